package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.platform.IpFamily;

/**
 * A reusable flyweight that writes the fields of one VRRP message into a caller's buffer, at the
 * offsets {@link VrrpAdvertDecoder} reads them from. It writes exactly what it is told, valid or
 * not (tests build broken packets with it); {@link VrrpPacketEncoder} uses it to write the adverts
 * an instance sends. Nothing here allocates. The checksum is left to {@link VrrpChecksum}.
 */
public final class VrrpAdvertEncoder {

  private ByteBuffer buffer;
  private int offset;
  private IpFamily family;

  /**
   * Starts writing a message over {@code family} at absolute {@code offset} of {@code buffer}.
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset of the message
   * @param family the address family
   * @return this encoder
   */
  public VrrpAdvertEncoder wrap(ByteBuffer buffer, int offset, IpFamily family) {
    this.buffer = buffer;
    this.offset = offset;
    this.family = family;
    return this;
  }

  /**
   * {@return the length of a message with {@code count} addresses of {@code family} and {@code
   * version}}
   *
   * @param version the VRRP version
   * @param family the address family
   * @param count the number of addresses
   */
  public static int length(int version, IpFamily family, int count) {
    return VrrpAdvertDecoder.ADDRESSES_OFFSET
        + count * family.addressLength()
        + (version == 2 && family == IpFamily.IPV4 ? VrrpAdvertDecoder.AUTH_DATA_LENGTH : 0);
  }

  /**
   * Writes the version and type nibbles.
   *
   * @param version the VRRP version
   * @param type the message type (1: advertisement)
   * @return this encoder
   */
  public VrrpAdvertEncoder versionAndType(int version, int type) {
    buffer.put(offset + VrrpAdvertDecoder.VERSION_TYPE_OFFSET, (byte) (version << 4 | type & 0x0F));
    return this;
  }

  /**
   * Writes the VRID.
   *
   * @param vrid the VRID
   * @return this encoder
   */
  public VrrpAdvertEncoder vrid(int vrid) {
    buffer.put(offset + VrrpAdvertDecoder.VRID_OFFSET, (byte) vrid);
    return this;
  }

  /**
   * Writes the priority.
   *
   * @param priority the priority
   * @return this encoder
   */
  public VrrpAdvertEncoder priority(int priority) {
    buffer.put(offset + VrrpAdvertDecoder.PRIORITY_OFFSET, (byte) priority);
    return this;
  }

  /**
   * Writes the address count.
   *
   * @param count the number of addresses
   * @return this encoder
   */
  public VrrpAdvertEncoder addressCount(int count) {
    buffer.put(offset + VrrpAdvertDecoder.COUNT_OFFSET, (byte) count);
    return this;
  }

  /**
   * VRRPv2: writes the auth type and the interval in seconds.
   *
   * @param authType the auth type code
   * @param seconds the interval in seconds
   * @return this encoder
   */
  public VrrpAdvertEncoder v2AuthTypeAndInterval(int authType, int seconds) {
    buffer.put(offset + VrrpAdvertDecoder.V2_AUTH_TYPE_OFFSET, (byte) authType);
    buffer.put(offset + VrrpAdvertDecoder.V2_ADVER_INT_OFFSET, (byte) seconds);
    return this;
  }

  /**
   * VRRPv3: writes the 4 reserved bits as 0 and the 12-bit interval in centiseconds.
   *
   * @param centiseconds the interval in centiseconds
   * @return this encoder
   */
  public VrrpAdvertEncoder v3Interval(int centiseconds) {
    ByteAccess.put16(
        buffer,
        offset + VrrpAdvertDecoder.V3_MAX_ADVER_INT_OFFSET,
        centiseconds & VrrpAdvertDecoder.V3_INTERVAL_MASK);
    return this;
  }

  /**
   * Writes the checksum field.
   *
   * @param value the checksum
   * @return this encoder
   */
  public VrrpAdvertEncoder checksum(int value) {
    ByteAccess.put16(buffer, offset + VrrpAdvertDecoder.CHECKSUM_OFFSET, value);
    return this;
  }

  /**
   * Writes {@code count} addresses packed in {@code addresses} (4 or 16 bytes each).
   *
   * @param addresses the addresses, packed
   * @param count the number of addresses
   * @return this encoder
   */
  public VrrpAdvertEncoder addresses(byte[] addresses, int count) {
    buffer.put(
        offset + VrrpAdvertDecoder.ADDRESSES_OFFSET, addresses, 0, count * family.addressLength());
    return this;
  }

  /**
   * VRRPv2 over IPv4: writes the 8 authentication bytes after {@code count} addresses.
   *
   * @param count the number of addresses
   * @param data the 8 bytes of authentication data
   * @return this encoder
   */
  public VrrpAdvertEncoder authData(int count, byte[] data) {
    int at = offset + VrrpAdvertDecoder.ADDRESSES_OFFSET + count * family.addressLength();
    buffer.put(at, data, 0, VrrpAdvertDecoder.AUTH_DATA_LENGTH);
    return this;
  }
}
