package org.failover4j.api;

import java.nio.ByteBuffer;

/**
 * The IPv4 header (RFC 791): the offsets of its fields, defined once for every codec that reads or
 * writes one (VRRP and AH, the capture views, raw sockets). Multi-byte fields are in network order:
 * read them with {@link ByteAccess}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |      TOS      |          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      TTL      |   Protocol    |        Header Checksum        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Source Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Destination Address                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv4Header {

  /** The length of a header without options (IHL 5). */
  public static final int MIN_LENGTH = 20;

  /** Version (high 4 bits) and header length in 32-bit words (low 4 bits). */
  public static final int VERSION_IHL_OFFSET = 0;

  /** Type of service / DSCP and ECN. */
  public static final int TOS_OFFSET = 1;

  /** Total length, header included: 16 bits. */
  public static final int TOTAL_LENGTH_OFFSET = 2;

  /** Identification: 16 bits. */
  public static final int IDENTIFICATION_OFFSET = 4;

  /** Flags (high 3 bits) and fragment offset in 8-byte units: 16 bits. */
  public static final int FLAGS_FRAGMENT_OFFSET = 6;

  /** Time to live. */
  public static final int TTL_OFFSET = 8;

  /** The payload's {@link IpProtocol protocol number}. */
  public static final int PROTOCOL_OFFSET = 9;

  /** Header checksum: 16 bits. */
  public static final int CHECKSUM_OFFSET = 10;

  /** Source address: 4 bytes. */
  public static final int SOURCE_OFFSET = 12;

  /** Destination address: 4 bytes. */
  public static final int DESTINATION_OFFSET = 16;

  /** The more-fragments flag in the 16-bit flags and fragment-offset field. */
  public static final int MORE_FRAGMENTS = 0x2000;

  /** The fragment offset, in 8-byte units, in the 16-bit flags and fragment-offset field. */
  public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

  /** Version 4, header length 5 words: a header without options, as VRRP and CARP send. */
  public static final int VERSION_IHL_NO_OPTIONS = 0x45;

  /** 224.0.0.18, the VRRP and CARP multicast group, as a network-order int. */
  public static final int ADVERT_GROUP = 0xe0000012;

  private Ipv4Header() {}

  /**
   * {@return true for a class D (224.0.0.0/4) address given as a network-order int}
   *
   * @param address the address, a network-order int
   */
  public static boolean isMulticast(int address) {
    return (address >>> 28) == 0xE;
  }

  /**
   * {@return the header length in bytes of the header at absolute {@code at}, or -1 when {@code
   * available} bytes cannot hold a valid IPv4 header there (too short, not version 4, IHL under 5
   * words or past the end)}
   *
   * @param buffer the bytes
   * @param at the absolute offset of the header
   * @param available how many bytes from there are present
   */
  public static int headerLength(ByteBuffer buffer, int at, int available) {
    if (available < MIN_LENGTH) {
      return -1;
    }
    int versionIhl = buffer.get(at + VERSION_IHL_OFFSET) & 0xFF;
    int length = (versionIhl & 0x0F) * 4;
    if (versionIhl >>> 4 != 4 || length < MIN_LENGTH || length > available) {
      return -1;
    }
    return length;
  }
}
