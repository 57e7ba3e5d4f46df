package org.failover4j.carp.codec;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.AdvertClassifier;

/**
 * A reusable flyweight over one 36-byte CARP advert (the IP payload), as OpenBSD carp(4) and ucarp
 * send it:
 *
 * <pre>
 *  0       4       8              16              24              31
 * +-------+-------+---------------+---------------+---------------+
 * |Version| Type  |     VHID      |    AdvSkew    |    AuthLen    |   0
 * +-------+-------+---------------+---------------+---------------+
 * |    Demote     |    AdvBase    |           Checksum            |   4
 * +---------------+---------------+-------------------------------+
 * |                     Counter (64 bits)                         |   8
 * +---------------------------------------------------------------+
 * |                     SHA1-HMAC (20 bytes)                      |  16
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Every field is read in network byte order whatever the buffer's {@link ByteBuffer#order()}.
 * Wrapping checks only the length; the field checks are {@link #structuralProblem()} and {@link
 * CarpAdvertValidator}. Nothing here allocates.
 */
public final class CarpAdvertDecoder {

  /** The advert's length: CARP has no variable part. */
  public static final int LENGTH = AdvertClassifier.CARP_LENGTH;

  /** Version 2, type 1 (advertisement): the first byte of every valid advert. */
  public static final int VERSION_TYPE = AdvertClassifier.CARP_VERSION_TYPE;

  /** The only CARP version. */
  public static final int VERSION = 2;

  /** The advertisement type. */
  public static final int TYPE_ADVERTISEMENT = 1;

  /** Counter plus HMAC in 32-bit words. */
  public static final int AUTH_LENGTH = AdvertClassifier.CARP_AUTH_LENGTH;

  /** Offset of version and type. */
  public static final int VERSION_TYPE_OFFSET = 0;

  /** Offset of the virtual host id. */
  public static final int VHID_OFFSET = 1;

  /** Offset of the advertisement skew. */
  public static final int ADVSKEW_OFFSET = 2;

  /** Offset of the authentication length. */
  public static final int AUTH_LENGTH_OFFSET = 3;

  /** Offset of the demotion counter (OpenBSD; ucarp sends 0). */
  public static final int DEMOTE_OFFSET = 4;

  /** Offset of the advertisement base interval in seconds. */
  public static final int ADVBASE_OFFSET = 5;

  /** Offset of the Internet checksum over the 36 bytes. */
  public static final int CHECKSUM_OFFSET = 6;

  /** Offset of the 64-bit big-endian counter. */
  public static final int COUNTER_OFFSET = 8;

  /** Length of the counter. */
  public static final int COUNTER_LENGTH = 8;

  /** Offset of the SHA1-HMAC. */
  public static final int HMAC_OFFSET = 16;

  /** Length of the SHA1-HMAC. */
  public static final int HMAC_LENGTH = 20;

  private ByteBuffer buffer;
  private int offset;

  /**
   * True when a protocol-112 payload is a CARP advert rather than VRRP, by the platform's one rule
   * ({@link AdvertClassifier#isCarp}: exactly 36 bytes, 0x21, byte 3 equal to 7), and false rather
   * than an exception when the range lies outside the buffer. A VRRPv2 advert of 36 bytes carries 5
   * addresses (8 + 4·5 + 8), so its byte 3 is 5; a VRRPv3 advert over IPv4 with 7 addresses is also
   * 36 bytes with byte 3 equal to 7, but starts with 0x31. No allocation, no state.
   *
   * @param buffer the buffer holding the payload
   * @param offset absolute offset of the payload's first byte
   * @param length the payload's length
   * @return true for CARP
   */
  public static boolean isCarpAdvert(ByteBuffer buffer, int offset, int length) {
    return length == LENGTH
        && offset >= 0
        && offset <= buffer.limit() - LENGTH
        && AdvertClassifier.isCarp(buffer, offset, length);
  }

  /**
   * Wraps the advert at absolute {@code offset} of {@code buffer}, {@code length} bytes as
   * received.
   *
   * @param buffer the buffer holding the payload
   * @param offset absolute offset of the payload's first byte
   * @param length the payload's length
   * @return this decoder
   * @throws MalformedPacketException with {@link CarpDropReason#TRUNCATED} below 36 bytes or when
   *     the range lies outside the buffer, {@link CarpDropReason#LENGTH_MISMATCH} above
   */
  public CarpAdvertDecoder wrap(ByteBuffer buffer, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
      throw new MalformedPacketException(
          CarpDropReason.TRUNCATED,
          "advert of " + length + " bytes at " + offset + " lies outside the buffer");
    }
    if (length < LENGTH) {
      throw new MalformedPacketException(
          CarpDropReason.TRUNCATED, "truncated CARP advert: " + length + " bytes, need 36");
    }
    if (length > LENGTH) {
      throw new MalformedPacketException(
          CarpDropReason.LENGTH_MISMATCH, "CARP advert of " + length + " bytes, expected 36");
    }
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  /** {@return the wrapped buffer} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return the absolute offset of the advert in {@link #buffer()}} */
  public int offset() {
    return offset;
  }

  /** {@return the version nibble (2)} */
  public int version() {
    return ByteAccess.getU8(buffer, offset) >>> 4;
  }

  /** {@return the type nibble (1)} */
  public int type() {
    return ByteAccess.getU8(buffer, offset) & 0x0F;
  }

  /** {@return the virtual host id, 0..255} */
  public int vhid() {
    return ByteAccess.getU8(buffer, offset + VHID_OFFSET);
  }

  /** {@return the advertisement skew, 0..255 (in 1/256 s)} */
  public int advskew() {
    return ByteAccess.getU8(buffer, offset + ADVSKEW_OFFSET);
  }

  /** {@return the authentication length in 32-bit words (7)} */
  public int authLength() {
    return ByteAccess.getU8(buffer, offset + AUTH_LENGTH_OFFSET);
  }

  /** {@return the sender's demotion counter, 0..255 (0 from ucarp)} */
  public int demote() {
    return ByteAccess.getU8(buffer, offset + DEMOTE_OFFSET);
  }

  /** {@return the advertisement base interval in seconds, 0..255} */
  public int advbase() {
    return ByteAccess.getU8(buffer, offset + ADVBASE_OFFSET);
  }

  /** {@return the checksum field} */
  public int checksum() {
    return ByteAccess.getU16(buffer, offset + CHECKSUM_OFFSET);
  }

  /** {@return the 64-bit counter (compare with {@link Long#compareUnsigned})} */
  public long counter() {
    return ByteAccess.getLong(buffer, offset + COUNTER_OFFSET);
  }

  /**
   * Copies the 20-byte HMAC into {@code destination} at {@code at}.
   *
   * @param destination the array to copy into
   * @param at where in it to start
   */
  public void copyHmac(byte[] destination, int at) {
    buffer.get(offset + HMAC_OFFSET, destination, at, HMAC_LENGTH);
  }

  /** {@return true when the Internet checksum over the 36 bytes verifies} */
  public boolean checksumValid() {
    return InternetChecksum.isValid(InternetChecksum.add(0, buffer, offset, LENGTH));
  }

  /**
   * {@return the first problem with version, type or authentication length, or null when all three
   * are as CARP requires} (The VHID, the HMAC and the counter need configuration: {@link
   * CarpAdvertValidator}.)
   */
  public CarpDropReason structuralProblem() {
    if (version() != VERSION) {
      return CarpDropReason.BAD_VERSION;
    }
    if (type() != TYPE_ADVERTISEMENT) {
      return CarpDropReason.BAD_TYPE;
    }
    if (authLength() != AUTH_LENGTH) {
      return CarpDropReason.BAD_AUTH_LENGTH;
    }
    return null;
  }
}
