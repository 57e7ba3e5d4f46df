package org.failover4j.api.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * A platform's protocol-112 socket(s) of one interface and family, before sharing: what a {@link
 * Platform} implementation opens for {@link AdvertChannels}. It delivers every datagram it reads to
 * the sink it was opened with (the demultiplexer) and sends for every owner.
 */
public interface AdvertSocket extends AutoCloseable {

  /**
   * Registers a destination and returns its index: 0, 1, 2, ... in registration order (a socket
   * opened again gets the same destinations in the same order); an address may come twice.
   */
  int addDestination(InetAddress destination) throws IOException;

  /** Sends, as {@link AdvertChannel#send} describes; never throws for a refused send. */
  SendOutcome send(ByteBuffer packet, int offset, int length, int destination);

  /**
   * {@code claims} owners now share the socket(s): a platform may size its receive buffers to them,
   * since their adverts tend to arrive in bursts of one per owner. Does nothing by default.
   */
  default void claimed(int claims) {}

  /** Closes the socket(s). */
  @Override
  void close();

  /** Opens the socket(s) of an interface and family. */
  @FunctionalInterface
  interface Opener {
    /** Opens the socket(s) of {@code iface} for {@code family}, delivering to {@code sink}. */
    AdvertSocket open(String iface, IpFamily family, AdvertSink sink) throws IOException;
  }
}
