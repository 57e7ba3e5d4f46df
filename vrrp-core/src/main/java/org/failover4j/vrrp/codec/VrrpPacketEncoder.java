package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
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
 * <p>With keepalived 2.4's {@code auth_hmac} (unless receive-only) the 28-byte trailer follows the
 * VRRP message, and the IP length covers it. The IPv4 VRRP checksum covers the message alone, as
 * keepalived computes it; the IPv6 one the whole payload, trailer included, as the kernel computes
 * it for keepalived. Unicast copies of one advert (same sequence and priority) share one HMAC
 * computation.
 *
 * <p>One encoder per instance; per advert only the priority, addresses, identification and AH or
 * HMAC sequence number change. Nothing is allocated per packet. Not thread-safe.
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
  private final HmacAuthenticator signer;
  private final int trailerLength;
  private final int advertLength;
  private final int count;
  private final byte[] lastTrailer = new byte[HmacTrailer.LENGTH];
  private long lastSignedSequence;
  private int lastSignedPriority = -1;
  private int lastSignedSource4;
  private final byte[] lastSignedSource6 = new byte[16];

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
    this.trailerLength = config.hmacTrailerLength();
    this.signer = trailerLength > 0 ? new HmacAuthenticator(config.hmacAuthentication()) : null;
  }

  /** {@return the length of the VRRP message, without an {@code auth_hmac} trailer} */
  public int advertLength() {
    return advertLength;
  }

  /**
   * {@return the length of the IPv6 payload: the VRRP message and any {@code auth_hmac} trailer}
   */
  public int ipv6Length() {
    return advertLength + trailerLength;
  }

  /** {@return true when adverts carry an {@code auth_hmac} trailer: pass a sequence number} */
  public boolean signsHmac() {
    return signer != null;
  }

  /** {@return the length of the IPv4 datagram: header, AH header if configured, VRRP, trailer} */
  public int ipv4Length() {
    return Ipv4Header.MIN_LENGTH
        + (authenticator != null ? AhHeader.LENGTH : 0)
        + advertLength
        + trailerLength;
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
   * @throws IllegalStateException when the instance signs {@code auth_hmac} adverts: use the
   *     overload with the HMAC sequence
   */
  public int encodeIpv4(
      ByteBuffer buffer,
      int offset,
      int priority,
      int source,
      int destination,
      int identification,
      long ahSequence) {
    requireNoHmac();
    return encodeIpv4(buffer, offset, priority, source, destination, identification, ahSequence, 0);
  }

  /**
   * As {@link #encodeIpv4(ByteBuffer, int, int, int, int, int, long)}, followed by the {@code
   * auth_hmac} trailer when the instance signs.
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset of the packet
   * @param priority the priority to advertise, 0..255
   * @param source the source address, a network-order int
   * @param destination 224.0.0.18, or the unicast peer this copy goes to
   * @param identification the IPv4 identification, 1..65535
   * @param ahSequence the AH sequence number, ignored without AH
   * @param hmacSequence the {@code auth_hmac} sequence ({@link HmacReplayGuard#nextSendSequence}),
   *     the same for every copy of one advert; ignored when the instance does not sign
   * @return the number of bytes written, {@link #ipv4Length()}
   */
  public int encodeIpv4(
      ByteBuffer buffer,
      int offset,
      int priority,
      int source,
      int destination,
      int identification,
      long ahSequence,
      long hmacSequence) {
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
    if (signer != null) {
      trailer(buffer, vrrpAt, priority, hmacSequence, source, null);
    }
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
   * @throws IllegalStateException when the instance signs {@code auth_hmac} adverts: use the
   *     overload with the HMAC sequence
   */
  public int encodeIpv6(
      ByteBuffer buffer, int offset, int priority, byte[] source, byte[] destination) {
    requireNoHmac();
    return encodeIpv6(buffer, offset, priority, source, destination, 0);
  }

  /**
   * As {@link #encodeIpv6(ByteBuffer, int, int, byte[], byte[])}, followed by the {@code auth_hmac}
   * trailer when the instance signs; the checksum then covers the trailer too.
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset of the packet
   * @param priority the priority to advertise, 0..255
   * @param source the source address
   * @param destination the destination address
   * @param hmacSequence the {@code auth_hmac} sequence, the same for every copy of one advert;
   *     ignored when the instance does not sign
   * @return the number of bytes written, {@link #ipv6Length()}
   */
  public int encodeIpv6(
      ByteBuffer buffer,
      int offset,
      int priority,
      byte[] source,
      byte[] destination,
      long hmacSequence) {
    requireFamily(IpFamily.IPV6);
    int total = ipv6Length();
    requireRoom(buffer, offset, total);
    writeAdvert(buffer, offset, priority);
    if (signer != null) {
      trailer(buffer, offset, priority, hmacSequence, 0, source);
    }
    advert.checksum(VrrpChecksum.computeIpv6(buffer, offset, total, source, destination));
    return total;
  }

  /**
   * Writes the trailer after the message at {@code messageAt}: signed once per advert, copied for
   * its other unicast copies, whose HMAC input (no destination in it) is the same.
   */
  private void trailer(
      ByteBuffer buffer,
      int messageAt,
      int priority,
      long sequence,
      int sourceIpv4,
      byte[] sourceIpv6) {
    int at = messageAt + advertLength;
    if (priority == lastSignedPriority
        && sequence == lastSignedSequence
        && (sourceIpv6 == null
            ? sourceIpv4 == lastSignedSource4
            : Arrays.equals(sourceIpv6, lastSignedSource6))) {
      buffer.put(at, lastTrailer, 0, HmacTrailer.LENGTH);
      return;
    }
    if (sourceIpv6 == null) {
      signer.signIpv4(buffer, messageAt, advertLength, sourceIpv4, sequence);
    } else {
      signer.signIpv6(buffer, messageAt, advertLength, sourceIpv6, sequence);
    }
    buffer.get(at, lastTrailer, 0, HmacTrailer.LENGTH);
    if (sourceIpv6 == null) {
      lastSignedSource4 = sourceIpv4;
    } else {
      System.arraycopy(sourceIpv6, 0, lastSignedSource6, 0, 16);
    }
    lastSignedPriority = priority;
    lastSignedSequence = sequence;
  }

  private void requireNoHmac() {
    if (signer != null) {
      throw new IllegalStateException("this instance signs auth_hmac adverts: pass a sequence");
    }
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
