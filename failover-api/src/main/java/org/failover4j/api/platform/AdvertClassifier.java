package org.failover4j.api.platform;

import java.nio.ByteBuffer;

/**
 * Tells a CARP advert from a VRRP one. Both travel as IP protocol 112 to the same groups, and a
 * CARP advert starts with 0x21 exactly like a VRRPv2 advert (version 2, type 1). What sets CARP
 * apart is its fixed shape: exactly 36 bytes with 7 in byte 3 (CARP's authlen, where VRRP keeps its
 * address count). A VRRPv2 advert of 36 bytes has 5 addresses; one with 7 addresses has 44 bytes; a
 * VRRPv3 advert of 36 bytes with 7 IPv4 addresses starts with 0x31. This is the one place that rule
 * lives.
 */
public final class AdvertClassifier {

  /** The CARP header's length, which is also the whole advert. */
  public static final int CARP_LENGTH = 36;

  /** CARP's version 2 and type 1 (advertisement), in the first byte. */
  public static final int CARP_VERSION_TYPE = 0x21;

  /** CARP's authlen: 7 32-bit words of counter and HMAC, in byte 3. */
  public static final int CARP_AUTH_LENGTH = 7;

  private static final int AUTH_LENGTH_OFFSET = 3;

  private AdvertClassifier() {}

  /**
   * {@return true when the {@code length} bytes at absolute {@code offset} of {@code buffer} (a
   * protocol-112 payload) are a CARP advert rather than a VRRP one}
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the protocol-112 payload
   * @param length its length
   */
  public static boolean isCarp(ByteBuffer buffer, int offset, int length) {
    return length == CARP_LENGTH
        && (buffer.get(offset) & 0xFF) == CARP_VERSION_TYPE
        && (buffer.get(offset + AUTH_LENGTH_OFFSET) & 0xFF) == CARP_AUTH_LENGTH;
  }
}
