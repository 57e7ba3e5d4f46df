package org.failover4j.netlink;

/**
 * ENOBUFS on a netlink receive: the socket's receive queue overflowed and the kernel dropped
 * messages (events) for it. The socket stays usable; what was lost is unknown, so a listener that
 * tracks state should dump it again. Raising the receive buffer makes this rarer.
 */
public final class EventsLostException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  EventsLostException(String call) {
    super(call, Errno.ENOBUFS.number(), null);
  }
}
