package org.failover4j.netlink;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;

/** Blocks the calling thread until one descriptor is readable or a deadline passes (ppoll). */
final class ReadWait {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final ByteBuffer pollfd = LibC.allocate(LibC.POLLFD_SIZE);
  private final ByteBuffer timespec = LibC.allocate(LibC.TIMESPEC_SIZE);
  private final long pollfdAddress = LibC.address(pollfd);
  private final long timespecAddress = LibC.address(timespec);

  /**
   * Waits until {@code fd} is readable (or in error) or {@link System#nanoTime()} reaches {@code
   * deadline}.
   *
   * @return false on timeout
   */
  boolean await(int fd, long deadline, String what) throws ErrnoException {
    while (true) {
      long left = Math.max(0, deadline - System.nanoTime());
      ByteAccess.putHost32(pollfd, 0, fd);
      ByteAccess.putHost16(pollfd, LibC.POLLFD_EVENTS, LibC.POLLIN);
      ByteAccess.putHost16(pollfd, LibC.POLLFD_REVENTS, 0);
      ByteAccess.putHost64(timespec, 0, left / NANOS_PER_SECOND);
      ByteAccess.putHost64(timespec, 8, left % NANOS_PER_SECOND);
      int ready = LibC.ppoll(pollfdAddress, 1, timespecAddress, 0);
      if (ready > 0) {
        return true;
      }
      if (ready == 0) {
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        continue;
      }
      int errno = Native.getLastError();
      if (errno != Errno.EINTR.number()) {
        throw ErrnoException.of("ppoll(" + what + ")", errno);
      }
    }
  }
}
