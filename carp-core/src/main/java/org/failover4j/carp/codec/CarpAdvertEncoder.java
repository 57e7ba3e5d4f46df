package org.failover4j.carp.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;

/**
 * Writes CARP adverts of one virtual host into caller buffers: the 36-byte advert alone (what a raw
 * socket sends when the kernel builds the IP header, and always over IPv6), or a whole IPv4
 * datagram as ucarp builds it (TOS low-delay, don't-fragment, TTL 255). Network byte order whatever
 * the buffer's order; nothing allocates.
 */
public final class CarpAdvertEncoder {

  /** The length of an IPv4 datagram carrying an advert. */
  public static final int IPV4_LENGTH =
      CarpPacketDecoder.IPV4_HEADER_LENGTH + CarpAdvertDecoder.LENGTH;

  /** The TTL / hop limit CARP sends with and requires. */
  public static final int TTL = 255;

  private static final int TOS_LOW_DELAY = 0x10;
  private static final int DONT_FRAGMENT = 0x4000;

  private final CarpHmac hmac;
  private final CarpKey key;

  /**
   * An encoder for the virtual host of {@code key}, signing with the host's {@code hmac}.
   *
   * @param hmac the host's HMAC
   * @param key the virtual host's key
   */
  public CarpAdvertEncoder(CarpHmac hmac, CarpKey key) {
    this.hmac = Objects.requireNonNull(hmac, "hmac");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** {@return the virtual host's key} */
  public CarpKey key() {
    return key;
  }

  /**
   * Writes the 36-byte advert at absolute {@code offset}: version 2, type 1, the VHID, {@code
   * advskew}, authentication length 7, {@code demote}, {@code advbase}, the checksum, {@code
   * counter} and its HMAC. Returns the length written.
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset to write at
   * @param advbase the advertisement base in seconds
   * @param advskew the skew in 1/256 s
   * @param demote the demotion counter
   * @param counter the 64-bit counter
   * @return the number of bytes written, 36
   * @throws IllegalArgumentException for a field outside 0..255 or a buffer too small
   */
  public int encode(
      ByteBuffer buffer, int offset, int advbase, int advskew, int demote, long counter) {
    requireByte("advbase", advbase);
    requireByte("advskew", advskew);
    requireByte("demote", demote);
    if (offset < 0 || offset > buffer.limit() - CarpAdvertDecoder.LENGTH) {
      throw new IllegalArgumentException("no room for 36 bytes at " + offset);
    }
    buffer.put(offset, (byte) CarpAdvertDecoder.VERSION_TYPE);
    buffer.put(offset + CarpAdvertDecoder.VHID_OFFSET, (byte) key.vhid());
    buffer.put(offset + CarpAdvertDecoder.ADVSKEW_OFFSET, (byte) advskew);
    buffer.put(offset + CarpAdvertDecoder.AUTH_LENGTH_OFFSET, (byte) CarpAdvertDecoder.AUTH_LENGTH);
    buffer.put(offset + CarpAdvertDecoder.DEMOTE_OFFSET, (byte) demote);
    buffer.put(offset + CarpAdvertDecoder.ADVBASE_OFFSET, (byte) advbase);
    ByteAccess.put16(buffer, offset + CarpAdvertDecoder.CHECKSUM_OFFSET, 0);
    ByteAccess.put64(buffer, offset + CarpAdvertDecoder.COUNTER_OFFSET, counter);
    hmac.sign(key, buffer, offset);
    int sum = InternetChecksum.add(0, buffer, offset, CarpAdvertDecoder.LENGTH);
    ByteAccess.put16(
        buffer, offset + CarpAdvertDecoder.CHECKSUM_OFFSET, InternetChecksum.finish(sum));
    return CarpAdvertDecoder.LENGTH;
  }

  /**
   * Writes a 56-byte IPv4 datagram at absolute {@code offset}: a 20-byte header from {@code source}
   * to {@code destination} (network-order ints) with identification {@code ipId}, then the advert
   * as {@link #encode} writes it. Returns the length written.
   *
   * @param buffer the buffer to write into
   * @param advbase the advertisement base in seconds
   * @param advskew the skew in 1/256 s
   * @param demote the demotion counter
   * @param counter the 64-bit counter
   * @param offset the absolute offset to write at
   * @param source the source address, a network-order int
   * @param destination the destination address, a network-order int
   * @param ipId the IPv4 identification
   * @return the number of bytes written, 56
   */
  public int encodeIpv4(
      ByteBuffer buffer,
      int offset,
      int source,
      int destination,
      int ipId,
      int advbase,
      int advskew,
      int demote,
      long counter) {
    if (offset < 0 || offset > buffer.limit() - IPV4_LENGTH) {
      throw new IllegalArgumentException("no room for " + IPV4_LENGTH + " bytes at " + offset);
    }
    encode(
        buffer, offset + CarpPacketDecoder.IPV4_HEADER_LENGTH, advbase, advskew, demote, counter);
    buffer.put(offset + Ipv4Header.VERSION_IHL_OFFSET, (byte) Ipv4Header.VERSION_IHL_NO_OPTIONS);
    buffer.put(offset + Ipv4Header.TOS_OFFSET, (byte) TOS_LOW_DELAY);
    ByteAccess.put16(buffer, offset + Ipv4Header.TOTAL_LENGTH_OFFSET, IPV4_LENGTH);
    ByteAccess.put16(buffer, offset + Ipv4Header.IDENTIFICATION_OFFSET, ipId);
    ByteAccess.put16(buffer, offset + Ipv4Header.FLAGS_FRAGMENT_OFFSET, DONT_FRAGMENT);
    buffer.put(offset + Ipv4Header.TTL_OFFSET, (byte) TTL);
    buffer.put(offset + Ipv4Header.PROTOCOL_OFFSET, (byte) IpProtocol.VRRP);
    ByteAccess.put16(buffer, offset + Ipv4Header.CHECKSUM_OFFSET, 0);
    ByteAccess.put32(buffer, offset + Ipv4Header.SOURCE_OFFSET, source);
    ByteAccess.put32(buffer, offset + Ipv4Header.DESTINATION_OFFSET, destination);
    int sum = InternetChecksum.add(0, buffer, offset, CarpPacketDecoder.IPV4_HEADER_LENGTH);
    ByteAccess.put16(buffer, offset + Ipv4Header.CHECKSUM_OFFSET, InternetChecksum.finish(sum));
    return IPV4_LENGTH;
  }

  private static void requireByte(String field, int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException(field + " must be in 0..255, was " + value);
    }
  }
}
