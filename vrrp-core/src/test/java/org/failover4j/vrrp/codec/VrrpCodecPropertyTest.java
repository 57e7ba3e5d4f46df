package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests over random adverts of every version, family, authentication type,
 * destination mode and checksum variant. Run with {@code -Dfailover4j.seed=N} to replay a failure;
 * the seed is in every failure message.
 */
class VrrpCodecPropertyTest {

  private static final int CASES = 10_000;

  private final long seed = Long.getLong("failover4j.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private final RandomAdverts adverts = new RandomAdverts(random);

  @Test
  void everyRandomAdvertSurvivesEncodeDecodeAndValidation() {
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (int i = 0; i < CASES; i++) {
      RandomAdverts.Advert c = adverts.next();
      String where = "seed " + seed + ", case " + i + ": " + c.config();
      try {
        ByteBuffer b = c.encode();
        VrrpAdvertDecoder advert = c.decode(decoder, b).advert().requireWellFormed();
        VrrpWireConfig config = c.config();
        assertEquals(config.version(), advert.version(), where);
        assertEquals(1, advert.type(), where);
        assertEquals(config.vrid(), advert.vrid(), where);
        assertEquals(c.priority(), advert.priority(), where);
        assertEquals(config.virtualAddresses(), advert.addresses(), where);
        assertEquals(config.intervalCentiseconds(), advert.intervalCentiseconds(), where);
        assertEquals(RandomAdverts.inet(c.source()), decoder.source(), where);
        assertEquals(RandomAdverts.inet(c.destination()), decoder.destination(), where);
        assertEquals(config.ttl(), decoder.ttl(), where);
        assertTrue(decoder.checksumValid(config.checksumMode()), where);
        if (config.family() == IpFamily.IPV4) {
          assertEquals(c.identification(), decoder.ipIdentification(), where);
          assertTrue(
              InternetChecksum.isValid(InternetChecksum.add(0, b, 0, 20)), "IP checksum, " + where);
        }
        if (config.version() == 2) {
          assertEquals(config.authType().code(), advert.authTypeCode(), where);
          byte[] auth = new byte[8];
          advert.copyAuthData(auth, 0);
          byte[] expected = new byte[8];
          if (config.authType() == AuthType.SIMPLE_TEXT) {
            System.arraycopy(c.password(), 0, expected, 0, c.password().length);
          }
          assertArrayEquals(expected, auth, where);
        }
        assertEquals(config.authType() == AuthType.IPSEC_AH, decoder.hasAh(), where);
        if (decoder.hasAh()) {
          assertEquals(decoder.ipv4Source(), decoder.ahSpi(), where);
          assertEquals(c.sequence(), decoder.ahSequence() & 0xFFFFFFFFL, where);
          assertTrue(
              new AhAuthenticator(c.password()).verify(b, 0, b.limit(), config.isUnicast()), where);
        }
        VrrpAdvertValidator validator =
            new VrrpAdvertValidator(c.receiver(), new AhSequenceCounter());
        assertNull(validator.validate(decoder), where);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(where, e);
      }
    }
  }

  @Test
  void everySingleBitFlipIsCaughtByAChecksumOrTheIcv() {
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (int i = 0; i < CASES; i++) {
      RandomAdverts.Advert c = adverts.next();
      ByteBuffer b = c.encode();
      int bit = random.nextInt(b.limit() * 8);
      int at = bit / 8;
      b.put(at, (byte) (b.get(at) ^ (1 << (bit % 8))));
      VrrpWireConfig config = c.config();
      String where = "seed " + seed + ", case " + i + ", byte " + at + ": " + config;
      boolean ipv4 = config.family() == IpFamily.IPV4;
      boolean ah = config.authType() == AuthType.IPSEC_AH;
      int vrrpAt = ipv4 ? 20 + (ah ? 24 : 0) : 0;
      int vrrpLength = b.limit() - vrrpAt;
      if (at >= vrrpAt) {
        assertFalse(vrrpChecksumValid(c, b, vrrpAt, vrrpLength), "VRRP checksum, " + where);
      } else if (ipv4 && at < 20) {
        assertFalse(InternetChecksum.isValid(InternetChecksum.add(0, b, 0, 20)), "IP, " + where);
      } // else in the AH header: the ICV, below, must catch it
      boolean mutable =
          at == 1 || at == 6 || at == 7 || at == 10 || at == 11 || (at == 8 && config.isUnicast());
      boolean coveredByIcv = ah && !mutable;
      if (coveredByIcv) {
        assertFalse(
            new AhAuthenticator(c.password()).verify(b, 0, b.limit(), config.isUnicast()),
            "ICV, " + where);
      }
      if (at >= vrrpAt || coveredByIcv) {
        assertDropped(decoder, c, b, where);
      }
    }
  }

  /** The flip leaves the packet undecodable, or the receiver's validator drops it. */
  private static void assertDropped(
      VrrpPacketDecoder decoder, RandomAdverts.Advert c, ByteBuffer b, String where) {
    try {
      VrrpAdvertValidator validator =
          new VrrpAdvertValidator(c.receiver(), new AhSequenceCounter());
      assertNotNull(validator.validate(c.decode(decoder, b)), "validator, " + where);
    } catch (MalformedPacketException dropped) {
      // fine: the decoder refused it
    }
  }

  private static boolean vrrpChecksumValid(
      RandomAdverts.Advert c, ByteBuffer b, int at, int length) {
    VrrpWireConfig config = c.config();
    if (config.family() == IpFamily.IPV6) {
      return VrrpChecksum.verifyIpv6(b, at, length, c.source(), c.destination());
    }
    // Over the packet as sent, whatever the flip did to the length fields.
    return VrrpChecksum.verifyIpv4(
        b,
        at,
        length,
        config.version(),
        config.checksumMode(),
        ByteBuffer.wrap(c.source()).getInt(),
        ByteBuffer.wrap(c.destination()).getInt());
  }
}
