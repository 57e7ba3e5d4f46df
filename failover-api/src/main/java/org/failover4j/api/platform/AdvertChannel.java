package org.failover4j.api.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One owner's claim on the shared protocol-112 socket of an interface and family: it receives that
 * owner's adverts and sends through the socket every VRRP instance and CARP host there shares.
 * Sends are zero-allocation: destinations are registered once and named by index. Closing the
 * channel releases the claim; the socket closes with its last claim. Use on the event loop.
 */
public interface AdvertChannel extends AutoCloseable {

  /** {@return the owner this channel was opened for} */
  AdvertOwner owner();

  /**
   * Registers a destination (the group or a unicast peer) and returns its index.
   *
   * @param destination the multicast group or unicast peer; for {@code send}, the index {@code
   *     addDestination} returned
   * @return the destination's index, for {@code send}
   * @throws IOException when the destination cannot be used (a socket option the kernel refuses)
   */
  int addDestination(InetAddress destination) throws IOException;

  /**
   * Sends {@code length} bytes from absolute {@code offset} of {@code packet}: over IPv4 a whole
   * datagram whose header the caller built (the socket includes headers, so that AH can cover
   * them), over IPv6 the protocol-112 payload. Failures are reported, counted under {@link
   * AdvertDropReason}, never thrown.
   *
   * @param packet the bytes to send
   * @param offset the absolute offset of the first byte
   * @param length how many bytes
   * @param destination the multicast group or unicast peer; for {@code send}, the index {@code
   *     addDestination} returned
   * @return whether the kernel took the packet, or why not
   */
  SendOutcome send(ByteBuffer packet, int offset, int length, int destination);

  /** Releases the claim. */
  @Override
  void close();
}
