package org.failover4j.carp.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The edges of the rule that tells a CARP advert from VRRP on protocol 112 ({@link
 * CarpAdvertDecoder#isCarpAdvert}): 35, 36 and 37 bytes; byte 3 equal to 7 or not; a VRRPv2 advert
 * of exactly 36 bytes; a VRRPv3 advert of 36 bytes whose byte 3 is 7. It delegates to the
 * platform's {@code AdvertClassifier}, so these are that rule's edges too.
 */
class CarpDemuxRuleTest {

  private static ByteBuffer payload(int length, int first, int byte3) {
    ByteBuffer b = ByteBuffer.allocate(length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(2, (byte) first);
    if (length > 3) {
      b.put(2 + 3, (byte) byte3);
    }
    return b;
  }

  @Test
  void exactlyThirtySixBytesWithByteThreeSeven() {
    assertTrue(CarpAdvertDecoder.isCarpAdvert(payload(36, 0x21, 7), 2, 36));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(35, 0x21, 7), 2, 35));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(37, 0x21, 7), 2, 37));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(36, 0x21, 6), 2, 36));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(36, 0x21, 8), 2, 36));
  }

  @Test
  void aVrrpV2AdvertOfThirtySixBytesCarriesFiveAddressesSoIsNotCarp() {
    // 8 header bytes + 5 IPv4 addresses + 8 auth bytes = 36; byte 3 is the address count.
    ByteBuffer vrrp = ByteBuffer.allocate(36);
    vrrp.put(0, (byte) 0x21).put(1, (byte) 10).put(2, (byte) 100).put(3, (byte) 5);
    vrrp.put(4, (byte) 0).put(5, (byte) 1);
    assertFalse(CarpAdvertDecoder.isCarpAdvert(vrrp, 0, 36));
  }

  @Test
  void aVrrpV3AdvertWithSevenIpv4AddressesIsThirtySixBytesButVersionThree() {
    // 8 header bytes + 7 IPv4 addresses = 36 and byte 3 (the count) is 7.
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(36, 0x31, 7), 2, 36));
  }

  @Test
  void onlyVersionTwoTypeOneIsCarp() {
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(36, 0x22, 7), 2, 36));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(payload(36, 0x11, 7), 2, 36));
  }

  @Test
  void aRangeOutsideTheBufferIsNotCarpAndDoesNotThrow() {
    ByteBuffer b = payload(36, 0x21, 7);
    assertFalse(CarpAdvertDecoder.isCarpAdvert(b, 5, 36));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(b, -1, 36));
    assertFalse(CarpAdvertDecoder.isCarpAdvert(b.limit(30), 2, 36));
  }
}
