package org.failover4j.vrrp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;

/**
 * A reusable flyweight over one VRRP message (the IP payload after any AH header). Reading a field
 * reads the buffer; nothing is copied and, apart from the methods that say so, nothing allocated.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Auth Type   |   Adver Int   |           Checksum            |  v2 (RFC 3768)
 * |(rsvd) |     Max Adver Int     |           Checksum            |  v3 (RFC 5798)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          IPvX Address(es): Count × 4 (IPv4) or × 16 (IPv6)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Authentication Data (8 bytes): v2 over IPv4 only           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} only requires the fixed 8-byte header, as keepalived does before it looks the
 * VRID up; whether the rest is there is for {@link VrrpAdvertValidator} (in keepalived's order) or
 * {@link #requireWellFormed()} (for tools) to judge. Methods that read addresses or authentication
 * data check their bounds and throw {@link MalformedPacketException} with {@link
 * VrrpDropReason#TRUNCATED} when the bytes are missing.
 */
public final class VrrpAdvertDecoder {

  /** The fixed header: version/type, VRID, priority, count, auth type or interval, checksum. */
  public static final int HEADER_LENGTH = 8;

  /** Length of the VRRPv2 authentication data (over IPv4). */
  public static final int AUTH_DATA_LENGTH = 8;

  /** The only VRRP type: advertisement. */
  public static final int TYPE_ADVERTISEMENT = 1;

  static final int VERSION_TYPE_OFFSET = 0;
  static final int VRID_OFFSET = 1;
  static final int PRIORITY_OFFSET = 2;
  static final int COUNT_OFFSET = 3;
  static final int V2_AUTH_TYPE_OFFSET = 4;
  static final int V2_ADVER_INT_OFFSET = 5;
  static final int V3_MAX_ADVER_INT_OFFSET = 4;
  static final int V3_INTERVAL_MASK = 0x0FFF;
  static final int CHECKSUM_OFFSET = 6;
  static final int ADDRESSES_OFFSET = 8;

  private ByteBuffer buffer;
  private int offset;
  private int length;
  private IpFamily family;

  /**
   * Wraps the VRRP message at absolute {@code offset} of {@code buffer}, {@code length} bytes long,
   * received over {@code family}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the message
   * @param length its length in bytes
   * @param family the address family it was received over
   * @return this decoder
   * @throws MalformedPacketException ({@link VrrpDropReason#TRUNCATED}) with fewer than 8 bytes
   */
  public VrrpAdvertDecoder wrap(ByteBuffer buffer, int offset, int length, IpFamily family) {
    if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "VRRP message of " + length + " bytes at " + offset + " lies outside the buffer");
    }
    if (length < HEADER_LENGTH) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "truncated VRRP header: " + length + " bytes, need " + HEADER_LENGTH);
    }
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    this.family = family;
    return this;
  }

  /** {@return the buffer this flyweight reads} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return the absolute offset of the message in {@link #buffer()}} */
  public int offset() {
    return offset;
  }

  /** {@return the bytes wrapped, which may differ from {@link #expectedLength()}} */
  public int length() {
    return length;
  }

  /** {@return the family the message arrived over, which sets the address length} */
  public IpFamily family() {
    return family;
  }

  /** {@return the version nibble: 2 or 3 for real adverts} */
  public int version() {
    return (buffer.get(offset + VERSION_TYPE_OFFSET) & 0xF0) >>> 4;
  }

  /** {@return the type nibble: 1 for an advertisement} */
  public int type() {
    return buffer.get(offset + VERSION_TYPE_OFFSET) & 0x0F;
  }

  /** {@return the virtual router ID, 0..255} */
  public int vrid() {
    return buffer.get(offset + VRID_OFFSET) & 0xFF;
  }

  /** {@return the sender's priority, 0..255 (0: the master is leaving; 255: the address owner)} */
  public int priority() {
    return buffer.get(offset + PRIORITY_OFFSET) & 0xFF;
  }

  /** {@return the number of addresses the message announces} */
  public int addressCount() {
    return buffer.get(offset + COUNT_OFFSET) & 0xFF;
  }

  /**
   * VRRPv2: the Auth Type field (0 none, 1 simple text, 2 IPsec-AH); its raw byte for v3.
   *
   * @return the field's value
   */
  public int authTypeCode() {
    return buffer.get(offset + V2_AUTH_TYPE_OFFSET) & 0xFF;
  }

  /**
   * VRRPv2: the advertisement interval in seconds.
   *
   * @return the interval in seconds
   */
  public int advertIntervalSeconds() {
    return buffer.get(offset + V2_ADVER_INT_OFFSET) & 0xFF;
  }

  /**
   * VRRPv3: the 12-bit maximum advertisement interval in centiseconds.
   *
   * @return the interval in centiseconds
   */
  public int maxAdvertIntervalCentiseconds() {
    return ByteAccess.getU16(buffer, offset + V3_MAX_ADVER_INT_OFFSET) & V3_INTERVAL_MASK;
  }

  /**
   * VRRPv3: the 4 reserved bits before the interval (sent as 0, ignored on receipt).
   *
   * @return the bits
   */
  public int reservedBits() {
    return ByteAccess.getU16(buffer, offset + V3_MAX_ADVER_INT_OFFSET) >>> 12;
  }

  /**
   * {@return the advertisement interval in centiseconds, whatever the version: v2 seconds × 100, or
   * the v3 field (any version other than 2 is read as v3)}
   */
  public int intervalCentiseconds() {
    return version() == 2 ? advertIntervalSeconds() * 100 : maxAdvertIntervalCentiseconds();
  }

  /** {@return the checksum field as received} */
  public int checksum() {
    return ByteAccess.getU16(buffer, offset + CHECKSUM_OFFSET);
  }

  /** {@return true when this message carries authentication data: VRRPv2 over IPv4} */
  public boolean hasAuthData() {
    return version() == 2 && family == IpFamily.IPV4;
  }

  /**
   * {@return the length the header implies: 8, the addresses, and for VRRPv2 over IPv4 the 8 bytes
   * of authentication data (keepalived's {@code expected_vrrp_pkt_len})}
   */
  public int expectedLength() {
    return VrrpAdvertEncoder.length(version(), family, addressCount());
  }

  /**
   * {@return true when exactly a keepalived 2.4 {@code auth_hmac} trailer (28 bytes) follows the
   * message: keepalived tells it by the length alone}
   */
  public boolean hasHmacTrailer() {
    return length == expectedLength() + HmacTrailer.LENGTH;
  }

  /** {@return 28 with an {@code auth_hmac} trailer, else 0} */
  public int hmacTrailerLength() {
    return hasHmacTrailer() ? HmacTrailer.LENGTH : 0;
  }

  /** {@return the {@code auth_hmac} trailer's key id (with {@link #hasHmacTrailer()})} */
  public int hmacKeyId() {
    return HmacTrailer.keyId(buffer, hmacTrailerOffset());
  }

  /**
   * {@return the {@code auth_hmac} trailer's 64-bit sequence: UTC seconds, 1/65536 s, counter}
   * (with {@link #hasHmacTrailer()})
   */
  public long hmacSequence() {
    return HmacTrailer.sequence(buffer, hmacTrailerOffset());
  }

  private int hmacTrailerOffset() {
    if (!hasHmacTrailer()) {
      throw new MalformedPacketException(
          VrrpDropReason.LENGTH_MISMATCH, "no auth_hmac trailer after the VRRP message");
    }
    return offset + expectedLength();
  }

  /**
   * Checks what a tool needs before it trusts the fields: version 2 or 3, type 1, and exactly the
   * bytes the header implies, or those and an {@code auth_hmac} trailer. Receivers use {@link
   * VrrpAdvertValidator} instead, which checks these among others in keepalived's order.
   *
   * @return this decoder
   * @throws MalformedPacketException with {@link VrrpDropReason#UNSUPPORTED_VERSION}, {@link
   *     VrrpDropReason#INVALID_TYPE}, {@link VrrpDropReason#TRUNCATED} or {@link
   *     VrrpDropReason#LENGTH_MISMATCH}
   */
  public VrrpAdvertDecoder requireWellFormed() {
    int version = version();
    if (version != 2 && version != 3) {
      throw new MalformedPacketException(
          VrrpDropReason.UNSUPPORTED_VERSION, "VRRP version " + version + ", known are 2 and 3");
    }
    if (type() != TYPE_ADVERTISEMENT) {
      throw new MalformedPacketException(
          VrrpDropReason.INVALID_TYPE, "VRRP type " + type() + ", only 1 (advertisement) exists");
    }
    int expected = expectedLength();
    if (length < expected) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "truncated VRRP message: " + length + " bytes, need " + expected);
    }
    if (length > expected && !hasHmacTrailer()) {
      throw new MalformedPacketException(
          VrrpDropReason.LENGTH_MISMATCH,
          "VRRP message of " + length + " bytes, header implies " + expected);
    }
    return this;
  }

  /**
   * {@return the absolute offset in {@link #buffer()} of address {@code index}}
   *
   * @param index the address's index, from 0
   */
  public int addressOffset(int index) {
    int width = family.addressLength();
    if (index < 0 || index >= addressCount()) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "address " + index + " of a message announcing " + addressCount());
    }
    int at = ADDRESSES_OFFSET + index * width;
    if (at + width > length) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "truncated address list: " + length + " bytes, need " + (at + width));
    }
    return offset + at;
  }

  /**
   * IPv4 address {@code index} as a network-order int.
   *
   * @param index the address's index, from 0
   * @return the address
   */
  public int ipv4Address(int index) {
    requireFamily(IpFamily.IPV4);
    return ByteAccess.getInt(buffer, addressOffset(index));
  }

  /**
   * Copies address {@code index} (4 or 16 bytes) into {@code destination} at {@code at}.
   *
   * @param index the address's index, from 0
   * @param destination the array to copy into
   * @param at where in the array to start
   */
  public void copyAddress(int index, byte[] destination, int at) {
    buffer.get(addressOffset(index), destination, at, family.addressLength());
  }

  /**
   * {@return true when {@code address} (4 or 16 bytes from {@code at}) is among the addresses
   * present; does not throw for a truncated list, it just looks at what is there}
   *
   * @param address an array that holds the address
   * @param at where in the array to start
   */
  public boolean containsAddress(byte[] address, int at) {
    int width = family.addressLength();
    int present = Math.min(addressCount(), (length - ADDRESSES_OFFSET) / width);
    for (int i = 0; i < present; i++) {
      int base = offset + ADDRESSES_OFFSET + i * width;
      int j = 0;
      while (j < width && buffer.get(base + j) == address[at + j]) {
        j++;
      }
      if (j == width) {
        return true;
      }
    }
    return false;
  }

  /**
   * Address {@code index} as an {@link InetAddress} (allocates).
   *
   * @param index the address's index, from 0
   * @return the address
   */
  public InetAddress address(int index) {
    byte[] bytes = new byte[family.addressLength()];
    copyAddress(index, bytes, 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes always make an address", e);
    }
  }

  /** {@return every address as an {@link InetAddress}, in message order (allocates)} */
  public List<InetAddress> addresses() {
    List<InetAddress> list = new ArrayList<>(addressCount());
    for (int i = 0; i < addressCount(); i++) {
      list.add(address(i));
    }
    return list;
  }

  /** {@return the absolute offset of the VRRPv2 authentication data, right after the addresses} */
  public int authDataOffset() {
    requireFamily(IpFamily.IPV4);
    int at = ADDRESSES_OFFSET + addressCount() * family.addressLength();
    if (at + AUTH_DATA_LENGTH > length) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "truncated authentication data: " + length + " bytes, need " + (at + AUTH_DATA_LENGTH));
    }
    return offset + at;
  }

  /**
   * Copies the 8 bytes of VRRPv2 authentication data into {@code destination} at {@code at}.
   *
   * @param destination the array to copy into
   * @param at where in the array to start
   */
  public void copyAuthData(byte[] destination, int at) {
    buffer.get(authDataOffset(), destination, at, AUTH_DATA_LENGTH);
  }

  private void requireFamily(IpFamily expected) {
    if (family != expected) {
      throw new MalformedPacketException(
          VrrpDropReason.ADDRESS_FAMILY_MISMATCH,
          "an " + family + " message has no " + expected + " field here");
    }
  }
}
