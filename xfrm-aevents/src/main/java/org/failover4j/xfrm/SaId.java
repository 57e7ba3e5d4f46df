package org.failover4j.xfrm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import org.failover4j.api.AddressText;

/**
 * Identifies one SA as the kernel looks it up ({@code struct xfrm_usersa_id}): destination, SPI and
 * IPsec protocol; the address family follows from the destination. (The mark, when the SA has one,
 * travels separately as {@link XfrmMark}.)
 *
 * @param destination the SA's destination address ({@code daddr})
 * @param spi the security parameter index, as a 32-bit number (network order on the wire)
 * @param protocol the IPsec protocol number ({@link Xfrm#IPPROTO_ESP}, {@link Xfrm#IPPROTO_AH},
 *     {@link Xfrm#IPPROTO_COMP}, ...)
 */
public record SaId(InetAddress destination, int spi, int protocol) {

  /**
   * Checks the destination is present and the protocol fits in a byte.
   *
   * @param destination the SA's destination address ({@code daddr})
   * @param spi the security parameter index, as a 32-bit number (network order on the wire)
   * @param protocol the IPsec protocol number ({@link Xfrm#IPPROTO_ESP}, {@link Xfrm#IPPROTO_AH},
   *     {@link Xfrm#IPPROTO_COMP}, ...)
   */
  public SaId {
    Objects.requireNonNull(destination, "destination");
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol must be 0..255, was " + protocol);
    }
  }

  /**
   * {@return an ESP SA}
   *
   * @param destination the SA's destination address ({@code daddr})
   * @param spi the security parameter index, as a 32-bit number (network order on the wire)
   */
  public static SaId esp(InetAddress destination, int spi) {
    return new SaId(destination, spi, Xfrm.IPPROTO_ESP);
  }

  /**
   * {@link Xfrm#AF_INET} or {@link Xfrm#AF_INET6}, after the destination.
   *
   * @return the address family
   */
  public int family() {
    return destination instanceof Inet4Address ? Xfrm.AF_INET : Xfrm.AF_INET6;
  }

  /** {@return the SPI as iproute2 prints it: {@code 0x00001234}} */
  public String spiHex() {
    return String.format("0x%08x", spi);
  }

  @Override
  public String toString() {
    return Xfrm.protocolName(protocol) + " " + spiHex() + " to " + AddressText.of(destination);
  }
}
