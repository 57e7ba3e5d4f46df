package org.failover4j.netlink;

import com.sun.jna.Native;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.failover4j.api.ByteAccess;

/**
 * The descriptor handling every socket of this module shares: opening with errno turned into
 * exceptions, {@code EINTR} retried, options set, and a close that never releases a descriptor
 * while a loop still polls it.
 */
abstract class NativeSocket implements Pollable {

  private final AtomicInteger fd;
  private final AtomicBoolean closeRequested = new AtomicBoolean();
  private final String name;
  private volatile PollEventLoop registeredWith;

  NativeSocket(int fd, String name) {
    this.fd = new AtomicInteger(fd);
    this.name = name;
  }

  /** Opens a non-blocking, close-on-exec socket. */
  static int open(int domain, int type, int protocol, String name) throws ErrnoException {
    int fd = LibC.socket(domain, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw ErrnoException.of("socket(" + name + ")", Native.getLastError());
    }
    return fd;
  }

  @Override
  public int fd() {
    return fd.get();
  }

  @Override
  public boolean isOpen() {
    return !closeRequested.get();
  }

  /** What this socket is, for messages: {@code raw IPv4 protocol 112}. */
  String name() {
    return name;
  }

  /** The descriptor for a call, or an exception when the socket was closed. */
  final int requireOpen() throws ClosedChannelException {
    int current = fd.get();
    if (current < 0 || closeRequested.get()) {
      throw new ClosedChannelException();
    }
    return current;
  }

  @Override
  public void close() {
    if (!closeRequested.compareAndSet(false, true)) {
      return;
    }
    PollEventLoop loop = registeredWith;
    if (loop == null || !loop.releaseLater(this)) {
      releaseDescriptor();
    }
  }

  /** Closes the descriptor once; the loop calls this after it stopped polling it. */
  final void releaseDescriptor() {
    int current = fd.getAndSet(-1);
    if (current >= 0) {
      LibC.close(current);
    }
  }

  /** Marks the socket closed and releases the descriptor at once (the loop, when it stops). */
  final void closeNow() {
    closeRequested.set(true);
    releaseDescriptor();
  }

  void registeredWith(PollEventLoop loop) {
    registeredWith = loop;
  }

  /** Sets an integer socket option. */
  final void setIntOption(int level, int option, int value, String what) throws ErrnoException {
    ByteBuffer v = LibC.allocate(4);
    ByteAccess.putHost32(v, 0, value);
    setOption(level, option, v, 4, what);
  }

  /** Sets a socket option whose value is the first {@code length} bytes of {@code value}. */
  final void setOption(int level, int option, ByteBuffer value, int length, String what)
      throws ErrnoException {
    int current = fd.get();
    try {
      if (LibC.setsockopt(current, level, option, LibC.address(value), length) != 0) {
        throw ErrnoException.of("setsockopt(" + what + ") on " + name, Native.getLastError());
      }
    } finally {
      // Only its address reaches the kernel: a buffer the collector freed meanwhile would hand
      // setsockopt reused memory (as a 1000-macvlan start that failed once with EINVAL suggests).
      Reference.reachabilityFence(value);
    }
  }

  /** Reads an integer socket option. */
  final int getIntOption(int level, int option, String what) throws ErrnoException {
    ByteBuffer v = LibC.allocate(8);
    ByteAccess.putHost32(v, 4, 4);
    long valueAddress = LibC.address(v);
    if (LibC.getsockopt(fd.get(), level, option, valueAddress, valueAddress + 4) != 0) {
      throw ErrnoException.of("getsockopt(" + what + ") on " + name, Native.getLastError());
    }
    return ByteAccess.getHostInt(v, 0);
  }

  /**
   * Reads a socket option into {@code value} (direct, at most its capacity) and returns the length
   * the kernel reports, which may exceed what fitted.
   */
  final int getOption(int level, int option, ByteBuffer value, String what) throws ErrnoException {
    ByteBuffer length = LibC.allocate(4);
    ByteAccess.putHost32(length, 0, value.capacity());
    try {
      if (LibC.getsockopt(fd.get(), level, option, LibC.address(value), LibC.address(length))
          != 0) {
        throw ErrnoException.of("getsockopt(" + what + ") on " + name, Native.getLastError());
      }
      return ByteAccess.getHostInt(length, 0);
    } finally {
      Reference.reachabilityFence(value); // as in setOption
    }
  }

  /** Binds to the socket address in the first {@code length} bytes of {@code sockaddr}. */
  final void bindTo(ByteBuffer sockaddr, int length, String what) throws ErrnoException {
    try {
      if (LibC.bind(fd.get(), LibC.address(sockaddr), length) != 0) {
        throw ErrnoException.of("bind(" + what + ") on " + name, Native.getLastError());
      }
    } finally {
      Reference.reachabilityFence(sockaddr); // as in setOption
    }
  }

  /**
   * Sets the receive buffer: {@code SO_RCVBUFFORCE} when the process may exceed the system limit
   * (CAP_NET_ADMIN), else {@code SO_RCVBUF}, which the kernel caps at {@code net.core.rmem_max}.
   */
  final void setReceiveBuffer(int bytes) throws ErrnoException {
    try {
      setIntOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE " + bytes);
    } catch (PermissionDeniedException e) {
      setIntOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes, "SO_RCVBUF " + bytes);
    }
  }

  /** The receive buffer the kernel granted (it doubles the requested size for bookkeeping). */
  final int receiveBuffer() throws ErrnoException {
    return getIntOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, "SO_RCVBUF");
  }

  @Override
  public String toString() {
    return name + " (fd " + fd.get() + (isOpen() ? "" : ", closed") + ")";
  }
}
