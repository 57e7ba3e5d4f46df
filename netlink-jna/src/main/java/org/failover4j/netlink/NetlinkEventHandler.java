package org.failover4j.netlink;

import org.failover4j.api.MalformedPacketException;

/**
 * What a multicast netlink subscriber does with what {@link NetlinkSocket#drainEvents} reads: each
 * message, the kernel's report that events were dropped (ENOBUFS: resynchronise), and datagrams
 * that did not parse. Called on the event loop.
 */
public interface NetlinkEventHandler {

  /**
   * One message; it is valid until this returns.
   *
   * @param message the message
   */
  void message(NetlinkMessage message);

  /** The kernel dropped events for want of buffer: the subscriber's view must be rebuilt. */
  void eventsLost();

  /**
   * A datagram did not parse; the rest of it was skipped.
   *
   * @param e what was wrong
   */
  void malformed(MalformedPacketException e);
}
