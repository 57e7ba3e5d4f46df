package org.failover4j.netlink;

/**
 * Something with a file descriptor that a {@link PollEventLoop} can watch: the sockets of this
 * module. Closing it releases the descriptor; a loop it is registered with forgets it first.
 */
public interface Pollable extends AutoCloseable {

  /** {@return the file descriptor, or -1 once it has been released} */
  int fd();

  /** {@return false once {@link #close()} was called} */
  boolean isOpen();

  /** Releases the descriptor; calling it again does nothing. */
  @Override
  void close();
}
