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
   * Registers a destination and its source, as {@link AdvertChannel#addDestination} describes, and
   * returns its index: 0, 1, 2, ... in registration order (a socket opened again gets the same
   * destinations in the same order); a pair may come twice.
   *
   * @param destination the multicast group or unicast peer; for {@code send}, its index
   * @param source the IPv6 address to send from, or null for the interface's link-local address
   * @return the destination's index
   * @throws IOException when the socket cannot be opened or bound
   */
  int addDestination(InetAddress destination, InetAddress source) throws IOException;

  /**
   * Sends, as {@link AdvertChannel#send} describes; never throws for a refused send.
   *
   * @param packet the bytes to send
   * @param offset the absolute offset of the first byte
   * @param length how many bytes
   * @param destination the multicast group or unicast peer; for {@code send}, its index
   * @return whether the kernel took the packet, or why not
   */
  SendOutcome send(ByteBuffer packet, int offset, int length, int destination);

  /**
   * {@code claims} owners now share the socket(s): a platform may size its receive buffers to them,
   * since their adverts tend to arrive in bursts of one per owner. Does nothing by default.
   *
   * @param claims how many owners share the socket(s) now
   */
  default void claimed(int claims) {}

  /** Closes the socket(s). */
  @Override
  void close();

  /** Opens the socket(s) of an interface and family. */
  @FunctionalInterface
  interface Opener {
    /**
     * Opens the socket(s) of {@code iface} for {@code family}, delivering to {@code sink}.
     *
     * @param iface the interface name
     * @param family IPv4 or IPv6
     * @param sink where received datagrams go, on the event loop
     * @return the open socket
     * @throws IOException when the socket cannot be opened or bound
     */
    AdvertSocket open(String iface, IpFamily family, AdvertSink sink) throws IOException;
  }
}
