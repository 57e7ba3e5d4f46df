package org.failover4j.vrrp.platform;

/** Receives every VRRP (and AH) packet an {@link AdvertChannel} reads, on the event loop. */
@FunctionalInterface
public interface AdvertSink {

  /** One packet; {@code packet} is reused after this returns. */
  void received(ReceivedAdvert packet);
}
