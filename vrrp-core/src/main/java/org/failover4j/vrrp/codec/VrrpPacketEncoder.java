package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.platform.IpFamily;

/**
 * Writes the packets one VRRP instance sends, byte for byte as keepalived 2.2.7 does, into a
 * caller's buffer. Over IPv4 that is the whole datagram (keepalived sends with IP_HDRINCL, so that
 * AH can cover the header): TOS 0xc0, the caller's identification, no DF, the configured TTL, then
 * the AH header when configured, then VRRP with its checksum; the IPv4 header checksum is filled in
 * too, although the kernel rewrites it. Over IPv6 it is the VRRP message, whose checksum it
 * computes as the kernel would.
 *
 * <p>One encoder per instance; per advert only the priority, addresses, identification and AH
 * sequence number change. Nothing is allocated per packet. Not thread-safe.
 */
public final class VrrpPacketEncoder {

  /** Version 4, header length 5 words: keepalived never sends options. */
  private static final int VERSION_IHL_NO_OPTIONS = 0x45;

  /** TOS keepalived sets: precedence "internetwork control". */
  private static final int TOS_INTERNETWORK_CONTROL = 0xc0;

  private static final byte[] NO_AUTH_DATA = new byte[VrrpAdvertDecoder.AUTH_DATA_LENGTH];

  private final VrrpWireConfig config;
  private final VrrpAdvertEncoder advert = new VrrpAdvertEncoder();
  private final AhAuthenticator authenticator;
  private final int advertLength;
  private final int count;

  /**
   * An encoder for the adverts of the instance {@code config} describes.
   *
   * @param config the instance's wire configuration
   */
  public VrrpPacketEncoder(VrrpWireConfig config) {
    this.config = config;
    this.count = config.virtualAddresses().size();
    this.advertLength = VrrpAdvertEncoder.length(config.version(), config.family(), count);
    this.authenticator =
        config.authType() == AuthType.IPSEC_AH ? new AhAuthenticator(config.authData()) : null;
  }

  /** {@return the length of the VRRP message} */
  public int advertLength() {
    return advertLength;
  }

  /** {@return the length of the IPv4 datagram: header, AH header if configured, VRRP} */
  public int ipv4Length() {
    return Ipv4Header.MIN_LENGTH + (authenticator != null ? AhHeader.LENGTH : 0) + advertLength;
  }

  /**
   * Writes the IPv4 datagram of one advert at absolute {@code offset} of {@code buffer}.
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset of the packet
   * @param priority the priority to advertise, 0..255 (0 when giving up mastership)
   * @param source the source address, a network-order int (also the AH SPI)
   * @param destination 224.0.0.18, or the unicast peer this copy goes to
   * @param identification the IPv4 identification, 1..65535: keepalived counts it per instance from
   *     1, skipping 0, which the kernel would replace after the ICV was computed
   * @param ahSequence the AH sequence number ({@link AhSequenceCounter#nextForSend()}), ignored
   *     without AH
   * @return the number of bytes written, {@link #ipv4Length()}
   */
  public int encodeIpv4(
      ByteBuffer buffer,
      int offset,
      int priority,
      int source,
      int destination,
      int identification,
      long ahSequence) {
    requireFamily(IpFamily.IPV4);
    int total = ipv4Length();
    requireRoom(buffer, offset, total);
    boolean ah = authenticator != null;
    buffer.put(offset + Ipv4Header.VERSION_IHL_OFFSET, (byte) VERSION_IHL_NO_OPTIONS);
    buffer.put(offset + Ipv4Header.TOS_OFFSET, (byte) TOS_INTERNETWORK_CONTROL);
    ByteAccess.put16(buffer, offset + Ipv4Header.TOTAL_LENGTH_OFFSET, total);
    ByteAccess.put16(buffer, offset + Ipv4Header.IDENTIFICATION_OFFSET, identification);
    ByteAccess.put16(buffer, offset + Ipv4Header.FLAGS_FRAGMENT_OFFSET, 0);
    buffer.put(offset + Ipv4Header.TTL_OFFSET, (byte) config.ttl());
    buffer.put(offset + Ipv4Header.PROTOCOL_OFFSET, (byte) (ah ? IpProtocol.AH : IpProtocol.VRRP));
    ByteAccess.put16(buffer, offset + Ipv4Header.CHECKSUM_OFFSET, 0);
    ByteAccess.put32(buffer, offset + Ipv4Header.SOURCE_OFFSET, source);
    ByteAccess.put32(buffer, offset + Ipv4Header.DESTINATION_OFFSET, destination);

    int vrrpAt = offset + Ipv4Header.MIN_LENGTH;
    if (ah) {
      buffer.put(vrrpAt + AhHeader.NEXT_HEADER_OFFSET, (byte) IpProtocol.VRRP);
      buffer.put(
          vrrpAt + AhHeader.PAYLOAD_LENGTH_OFFSET, (byte) AhHeader.PAYLOAD_LENGTH_HMAC_MD5_96);
      ByteAccess.put16(buffer, vrrpAt + AhHeader.RESERVED_OFFSET, 0);
      ByteAccess.put32(buffer, vrrpAt + AhHeader.SPI_OFFSET, source);
      ByteAccess.put32(buffer, vrrpAt + AhHeader.SEQUENCE_OFFSET, (int) ahSequence);
      for (int i = 0; i < AhHeader.ICV_LENGTH; i++) {
        buffer.put(vrrpAt + AhHeader.ICV_OFFSET + i, (byte) 0);
      }
      vrrpAt += AhHeader.LENGTH;
    }
    writeAdvert(buffer, vrrpAt, priority);
    advert.checksum(
        VrrpChecksum.computeIpv4(
            buffer,
            vrrpAt,
            advertLength,
            config.version(),
            config.checksumMode(),
            source,
            destination));
    ByteAccess.put16(
        buffer,
        offset + Ipv4Header.CHECKSUM_OFFSET,
        InternetChecksum.finish(InternetChecksum.add(0, buffer, offset, Ipv4Header.MIN_LENGTH)));
    if (ah) {
      authenticator.sign(buffer, offset, total, config.isUnicast());
    }
    return total;
  }

  /**
   * Writes the VRRP message of one IPv6 advert at absolute {@code offset} of {@code buffer}, with
   * the checksum over the pseudo-header of {@code source} and {@code destination} (16 bytes each).
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset of the packet
   * @param priority the priority to advertise, 0..255 (0 when giving up mastership)
   * @param source the source address
   * @param destination the destination address
   * @return the number of bytes written, {@link #advertLength()}
   */
  public int encodeIpv6(
      ByteBuffer buffer, int offset, int priority, byte[] source, byte[] destination) {
    requireFamily(IpFamily.IPV6);
    requireRoom(buffer, offset, advertLength);
    writeAdvert(buffer, offset, priority);
    advert.checksum(VrrpChecksum.computeIpv6(buffer, offset, advertLength, source, destination));
    return advertLength;
  }

  private void writeAdvert(ByteBuffer buffer, int at, int priority) {
    advert
        .wrap(buffer, at, config.family())
        .versionAndType(config.version(), VrrpAdvertDecoder.TYPE_ADVERTISEMENT)
        .vrid(config.vrid())
        .priority(priority)
        .addressCount(count)
        .checksum(0)
        .addresses(config.packedAddresses(), count);
    if (config.version() == 2) {
      advert.v2AuthTypeAndInterval(config.authType().code(), config.intervalCentiseconds() / 100);
      // Simple text sends the password; none and AH send 8 zero bytes.
      advert.authData(
          count, config.authType() == AuthType.SIMPLE_TEXT ? config.authData() : NO_AUTH_DATA);
    } else {
      advert.v3Interval(config.intervalCentiseconds());
    }
  }

  private void requireFamily(IpFamily family) {
    if (config.family() != family) {
      throw new IllegalStateException("this encoder's instance runs over " + config.family());
    }
  }

  private static void requireRoom(ByteBuffer buffer, int offset, int length) {
    if (offset < 0 || offset > buffer.limit() - length) {
      throw new IllegalArgumentException(
          "no room for " + length + " bytes at " + offset + " in a buffer of " + buffer.limit());
    }
  }
}
