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
   * Registers a destination (the group or a unicast peer) and the source the adverts to it go from,
   * and returns its index.
   *
   * <p>Over IPv6 a non-null {@code source} is fixed: every advert to this destination leaves from
   * it, never from an address the kernel would choose (a master's virtual addresses compete for
   * that), so a VRRPv3 pseudo-header checksum over it holds and a peer list matches it. A source
   * that is tentative or not on the host yet is no error here: each send tries to bind it and
   * reports {@link SendOutcome#SOURCE_UNAVAILABLE} until it can. With {@code null} an IPv6 advert
   * goes from the interface's link-local address (followed when the interface is created again).
   * Over IPv4 the header the caller builds names the source, and {@code source} is ignored.
   *
   * @param destination the multicast group or unicast peer
   * @param source the IPv6 address to send from, or null for the interface's link-local address
   * @return the destination's index, for {@code send}
   * @throws IOException when the destination cannot be used (a socket option the kernel refuses)
   */
  int addDestination(InetAddress destination, InetAddress source) throws IOException;

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
