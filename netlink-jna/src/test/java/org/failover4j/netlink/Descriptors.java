package org.failover4j.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The process's open sockets, pipes and anonymous inodes (eventfd, epoll), from {@code
 * /proc/self/fd}, for leak checks: the kinds of descriptor this library opens. Files are left out:
 * the JVM opens jars, {@code /dev/urandom} and temporary files whenever it likes, and the listing's
 * own directory descriptor is among the entries while it is read.
 */
public final class Descriptors {

  private Descriptors() {}

  /** Every open socket, pipe or anonymous inode and what it is ({@code socket:[1234]}, ...). */
  public static Map<Integer, String> open() {
    Map<Integer, String> fds = new TreeMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        try {
          String target = Files.readSymbolicLink(entry).toString();
          if (!target.startsWith("/")) {
            fds.put(Integer.parseInt(entry.getFileName().toString()), target);
          }
        } catch (IOException gone) {
          // closed between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fds;
  }

  /** True when descriptor {@code fd} is open. */
  public static boolean isOpen(int fd) {
    return Files.exists(Path.of("/proc/self/fd", Integer.toString(fd)));
  }
}
