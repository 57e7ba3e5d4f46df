package org.failover4j.api.platform;

/** Receives the adverts of one {@link AdvertOwner}, on the event loop. */
@FunctionalInterface
public interface AdvertSink {

  /**
   * One datagram; {@code datagram} is reused after this returns.
   *
   * @param datagram the datagram, valid only during the call
   */
  void received(ReceivedDatagram datagram);
}
