package org.failover4j.carp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;
import org.junit.jupiter.api.Test;

class CarpAdvertCodecTest {

  private final CarpHmac hmac = new CarpHmac();
  private final CarpKey key = CarpTestKeys.single();
  private final CarpAdvertEncoder encoder = new CarpAdvertEncoder(hmac, key);

  private ByteBuffer datagram(ByteOrder order, long counter) {
    ByteBuffer b = ByteBuffer.allocate(CarpAdvertEncoder.IPV4_LENGTH).order(order);
    encoder.encodeIpv4(
        b,
        0,
        CarpTestKeys.ipv4(CarpTestKeys.SOURCE),
        CarpTestKeys.ipv4(CarpTestKeys.GROUP),
        0x1234,
        1,
        40,
        3,
        counter);
    return b;
  }

  @Test
  void encodesTheFieldsWhereOpenBsdPutsThem() {
    ByteBuffer b = datagram(ByteOrder.BIG_ENDIAN, 0x0102030405060708L);
    String hex = HexFormat.of().formatHex(b.array());
    assertEquals("4510003812344000ff70", hex.substring(0, 20)); // TOS, DF, TTL 255, proto 112
    assertEquals("c000020be0000012", hex.substring(24, 40));
    assertEquals("210a28070301", hex.substring(40, 52)); // 0x21, vhid, skew, 7, demote, base
    assertEquals("0102030405060708", hex.substring(56, 72));
  }

  @Test
  void theHmacIsSha1HmacOverVersionTypeVhidAddressesAndCounterWithThePaddedKey() throws Exception {
    ByteBuffer b = datagram(ByteOrder.BIG_ENDIAN, 0x0102030405060708L);
    Mac jdk = Mac.getInstance("HmacSHA1");
    byte[] padded = new byte[20];
    byte[] pass = "s3cr3t".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(pass, 0, padded, 0, pass.length);
    jdk.init(new SecretKeySpec(padded, "HmacSHA1"));
    jdk.update(new byte[] {2, 1, 10, (byte) 192, 0, 2, 100});
    jdk.update(HexFormat.of().parseHex("0102030405060708"));
    byte[] expected = jdk.doFinal();
    byte[] actual = new byte[20];
    b.get(20 + CarpAdvertDecoder.HMAC_OFFSET, actual, 0, 20);
    assertArrayEquals(expected, actual);
  }

  @Test
  void addressesAreHashedIpv4AscendingThenIpv6Ascending() throws Exception {
    CarpKey shuffled =
        CarpTestKeys.key(7, "k", "2001:db8::2", "192.0.2.9", "2001:db8::1", "192.0.2.3");
    CarpKey sorted =
        CarpTestKeys.key(7, "k", "192.0.2.3", "192.0.2.9", "2001:db8::1", "2001:db8::2");
    ByteBuffer a = ByteBuffer.allocate(36);
    ByteBuffer c = ByteBuffer.allocate(36);
    new CarpAdvertEncoder(hmac, shuffled).encode(a, 0, 1, 0, 0, 99);
    new CarpAdvertEncoder(hmac, sorted).encode(c, 0, 1, 0, 0, 99);
    assertEquals(a, c);
    Mac jdk = Mac.getInstance("HmacSHA1");
    jdk.init(
        new SecretKeySpec(
            new byte[] {'k', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "HmacSHA1"));
    jdk.update(new byte[] {2, 1, 7});
    jdk.update(CarpTestKeys.inet("192.0.2.3").getAddress());
    jdk.update(CarpTestKeys.inet("192.0.2.9").getAddress());
    jdk.update(CarpTestKeys.inet("2001:db8::1").getAddress());
    jdk.update(CarpTestKeys.inet("2001:db8::2").getAddress());
    jdk.update(new byte[] {0, 0, 0, 0, 0, 0, 0, 99});
    byte[] actual = new byte[20];
    a.get(16, actual, 0, 20);
    assertArrayEquals(jdk.doFinal(), actual);
  }

  private static byte[] openBsdHmac(String passphrase, long counter, String... ordered)
      throws Exception {
    Mac jdk = Mac.getInstance("HmacSHA1");
    jdk.init(
        new SecretKeySpec(
            java.util.Arrays.copyOf(passphrase.getBytes(StandardCharsets.UTF_8), 20), "HmacSHA1"));
    jdk.update(new byte[] {2, 1, 7});
    for (String address : ordered) {
      jdk.update(CarpTestKeys.inet(address).getAddress());
    }
    jdk.update(ByteBuffer.allocate(8).putLong(counter).array());
    return jdk.doFinal();
  }

  @Test
  void addressesAscendAsUnsignedBytesWithinEachFamily() throws Exception {
    // 127 sorts before 192 only when bytes compare unsigned; 2001:: before fd00:: likewise.
    CarpKey key = CarpTestKeys.key(7, "k", "fd00::1", "192.0.2.1", "2001:db8::1", "127.0.0.1");
    ByteBuffer advert = ByteBuffer.allocate(36);
    new CarpAdvertEncoder(hmac, key).encode(advert, 0, 1, 0, 0, 42);
    byte[] actual = new byte[20];
    advert.get(16, actual, 0, 20);
    assertArrayEquals(
        openBsdHmac("k", 42, "127.0.0.1", "192.0.2.1", "2001:db8::1", "fd00::1"), actual);
  }

  @Test
  void ipv6LinkLocalAddressesAreLeftOutOfTheSentHmacAndAcceptedEitherWayAsOpenBsd()
      throws Exception {
    CarpKey key = CarpTestKeys.key(7, "k", "fe80::5", "192.0.2.1", "2001:db8::1");
    ByteBuffer advert = ByteBuffer.allocate(36);
    new CarpAdvertEncoder(hmac, key).encode(advert, 0, 1, 0, 0, 42);
    byte[] sent = new byte[20];
    advert.get(16, sent, 0, 20);
    // carp_prepare_ad signs with HMAC_NOV6LL.
    assertArrayEquals(openBsdHmac("k", 42, "192.0.2.1", "2001:db8::1"), sent);
    assertTrue(hmac.verify(key, advert, 0));
    // carp_hmac_verify also accepts the context with the link-local address.
    advert.put(16, openBsdHmac("k", 42, "192.0.2.1", "2001:db8::1", "fe80::5"));
    assertTrue(hmac.verify(key, advert, 0));
    // Anything else still fails: another address set, another link-local address.
    advert.put(16, openBsdHmac("k", 42, "192.0.2.1", "2001:db8::1", "fe80::6"));
    assertFalse(hmac.verify(key, advert, 0));
    advert.put(16, openBsdHmac("k", 42, "192.0.2.1"));
    assertFalse(hmac.verify(key, advert, 0));
    // Without a link-local virtual address there is one context only.
    CarpKey global = CarpTestKeys.key(7, "k", "192.0.2.1", "2001:db8::1");
    advert.put(16, openBsdHmac("k", 42, "192.0.2.1", "2001:db8::1", "fe80::5"));
    assertFalse(hmac.verify(global, advert, 0));
  }

  @Test
  void decodesTheSameWhateverTheBufferOrder() {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      ByteBuffer b = datagram(order, 0x8000_0000_0000_0001L);
      assertEquals(
          HexFormat.of().formatHex(datagram(ByteOrder.BIG_ENDIAN, 0x8000_0000_0000_0001L).array()),
          HexFormat.of().formatHex(b.array()),
          order.toString());
      CarpPacketDecoder decoder = new CarpPacketDecoder().wrapIpv4(b, 0, b.limit());
      CarpAdvertDecoder advert = decoder.advert();
      assertEquals(2, advert.version());
      assertEquals(1, advert.type());
      assertEquals(10, advert.vhid());
      assertEquals(40, advert.advskew());
      assertEquals(7, advert.authLength());
      assertEquals(3, advert.demote());
      assertEquals(1, advert.advbase());
      assertEquals(0x8000_0000_0000_0001L, advert.counter());
      assertTrue(advert.checksumValid());
      assertNull(advert.structuralProblem());
      assertEquals(255, decoder.ttl());
      assertEquals(CarpTestKeys.inet("192.0.2.11"), decoder.source());
      assertEquals(CarpTestKeys.ipv4(CarpTestKeys.GROUP), decoder.ipv4Destination());
      assertTrue(hmac.verify(key, advert));
    }
  }

  @Test
  void wrapRejectsWrongLengthsAndHeadersWithTypedReasons() {
    ByteBuffer b = datagram(ByteOrder.BIG_ENDIAN, 1);
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    assertReason(CarpDropReason.TRUNCATED, () -> decoder.wrapIpv4(b, 0, 19));
    assertReason(CarpDropReason.TRUNCATED, () -> decoder.wrapIpv4(b, 10, 56));
    assertReason(CarpDropReason.LENGTH_MISMATCH, () -> decoder.wrapIpv4(b, 0, 55));
    ByteBuffer longer = ByteBuffer.allocate(57);
    longer.put(b.duplicate().clear());
    longer.putShort(2, (short) 57);
    assertReason(CarpDropReason.LENGTH_MISMATCH, () -> decoder.wrapIpv4(longer, 0, 57));
    ByteBuffer shorter = ByteBuffer.allocate(55);
    shorter.put(b.array(), 0, 55);
    shorter.putShort(2, (short) 55);
    assertReason(CarpDropReason.TRUNCATED, () -> decoder.wrapIpv4(shorter, 0, 55));
    ByteBuffer v6 = b.duplicate();
    b.put(0, (byte) 0x65);
    assertReason(CarpDropReason.BAD_IP_HEADER, () -> decoder.wrapIpv4(v6, 0, 56));
    b.put(0, (byte) 0x44);
    assertReason(CarpDropReason.BAD_IP_HEADER, () -> decoder.wrapIpv4(v6, 0, 56));
    b.put(0, (byte) 0x45);
    b.put(9, (byte) 17);
    assertReason(CarpDropReason.NOT_CARP, () -> decoder.wrapIpv4(v6, 0, 56));
    assertReason(CarpDropReason.BAD_IP_HEADER, () -> decoder.wrapIpv6(b, 20, 36, new byte[4], 255));
    assertReason(CarpDropReason.TRUNCATED, () -> new CarpAdvertDecoder().wrap(b, -1, 36));
  }

  @Test
  void theValidatorNamesTheFirstProblem() {
    CarpAdvertValidator validator = validator(CounterMode.REPLAY_PROTECTED);
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    assertNull(validator.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, 5), 0, 56)));
    assertEquals(
        CarpDropReason.REPLAYED_COUNTER,
        validator.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, 5), 0, 56)));
    assertNull(validator.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, 9), 0, 56)));
    assertNull(validator.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, 7), 0, 56)));

    assertEquals(CarpDropReason.BAD_TTL, validate(validator, b -> b.put(8, (byte) 1), 20));
    assertEquals(CarpDropReason.BAD_CHECKSUM, validate(validator, b -> b.put(40, (byte) 1), 21));
    assertEquals(CarpDropReason.BAD_VERSION, validate(validator, b -> rewrite(b, 20, 0x31), 22));
    assertEquals(CarpDropReason.BAD_TYPE, validate(validator, b -> rewrite(b, 20, 0x22), 23));
    assertEquals(CarpDropReason.BAD_AUTH_LENGTH, validate(validator, b -> rewrite(b, 23, 6), 24));
    assertEquals(CarpDropReason.UNKNOWN_VHID, validate(validator, b -> rewrite(b, 21, 11), 25));
    assertEquals(CarpDropReason.BAD_HMAC, validate(validator, b -> rewrite(b, 50, 0x55), 26));
    assertEquals(CarpDropReason.BAD_HMAC, validate(validator, b -> rewrite(b, 30, 0x55), 27));
    // advbase, advskew and demote are not covered by the HMAC: changed, the advert still passes.
    assertNull(validate(validator, b -> rewrite(b, 25, 200), 28));
    assertNull(validate(validator, b -> rewrite(b, 22, 0), 29));
    assertNull(validate(validator, b -> rewrite(b, 24, 0), 30));
  }

  @Test
  void aWrongKeyOrAnotherAddressFailsTheHmac() {
    ByteBuffer b = datagram(ByteOrder.BIG_ENDIAN, 42);
    CarpAdvertDecoder advert = new CarpPacketDecoder().wrapIpv4(b, 0, 56).advert();
    assertTrue(hmac.verify(key, advert));
    assertFalse(hmac.verify(CarpTestKeys.key(10, "s3cr3T", "192.0.2.100"), advert));
    assertFalse(hmac.verify(CarpTestKeys.key(10, "s3cr3t", "192.0.2.101"), advert));
    assertFalse(hmac.verify(CarpTestKeys.key(11, "s3cr3t", "192.0.2.100"), advert));
    assertTrue(hmac.verify(key, advert), "re-keying back works");
  }

  @Test
  void ownAdvertsRaiseTheSendCounterAndUcarpModeAdoptsCounters() {
    SendCounter counter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1));
    CarpAdvertValidator own =
        new CarpAdvertValidator(key, hmac, counter, new ReplayGuard(4), CarpTestKeys.SOURCE);
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    assertEquals(
        CarpDropReason.OWN_ADVERT,
        own.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, Long.MAX_VALUE - 5), 0, 56)));
    assertEquals(Long.MAX_VALUE - 4, counter.next(1_700_000_000L));

    SendCounter ucarp = new SendCounter(CounterMode.UCARP_COMPATIBLE, new Random(1));
    CarpAdvertValidator compatible =
        new CarpAdvertValidator(key, hmac, ucarp, null, new byte[] {(byte) 192, 0, 2, 12});
    assertNull(compatible.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, 77), 0, 56)));
    assertNull(compatible.validate(decoder.wrapIpv4(datagram(ByteOrder.BIG_ENDIAN, 77), 0, 56)));
    assertEquals(78, ucarp.next(0));
  }

  /**
   * The HMAC does not cover the IP source: a recorded advert replayed under a new source address is
   * a first-seen sender to the replay windows and passes, unless the guard has a maximum age.
   */
  @Test
  void aReplayUnderARewrittenSourceNeedsTheMaximumAgeToBeCaught() {
    long sentAt = 1_700_000_000_000L;
    long counter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1)).next(sentAt);
    long replayedAt = sentAt + 600_000;
    byte[] observer = {(byte) 192, 0, 2, 12};
    CarpAdvertValidator plain =
        new CarpAdvertValidator(
            key,
            hmac,
            new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(2)),
            new ReplayGuard(4),
            observer);
    CarpAdvertValidator aged =
        new CarpAdvertValidator(
            key,
            hmac,
            new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(3)),
            new ReplayGuard(4, java.time.Duration.ofSeconds(60)),
            observer);
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    ByteBuffer original = datagram(ByteOrder.BIG_ENDIAN, counter);
    assertNull(plain.validate(decoder.wrapIpv4(original, 0, 56), sentAt + 1_000));
    assertNull(aged.validate(decoder.wrapIpv4(original, 0, 56), sentAt + 1_000));
    ByteBuffer rewritten = datagram(ByteOrder.BIG_ENDIAN, counter);
    rewritten.put(15, (byte) 99); // source 192.0.2.99: not covered by the HMAC
    assertNull(plain.validate(decoder.wrapIpv4(rewritten, 0, 56), replayedAt), "the weakness");
    assertEquals(
        CarpDropReason.STALE_COUNTER,
        aged.validate(decoder.wrapIpv4(rewritten, 0, 56), replayedAt));
    assertEquals(
        CarpDropReason.REPLAYED_COUNTER,
        aged.validate(decoder.wrapIpv4(original, 0, 56), sentAt + 2_000));
  }

  @Test
  void keysRejectWhatCannotBeAKey() {
    assertThrows(IllegalArgumentException.class, () -> CarpTestKeys.key(0, "x", "192.0.2.1"));
    assertThrows(IllegalArgumentException.class, () -> CarpTestKeys.key(256, "x", "192.0.2.1"));
    assertThrows(IllegalArgumentException.class, () -> CarpTestKeys.key(1, "x"));
    assertThrows(
        IllegalArgumentException.class,
        () -> CarpTestKeys.key(1, "123456789012345678901", "192.0.2.1"));
    assertThrows(
        IllegalArgumentException.class, () -> CarpTestKeys.key(1, "x", "192.0.2.1", "192.0.2.1"));
    String text = CarpTestKeys.key(1, "hunter2", "192.0.2.1").toString();
    assertFalse(text.contains("hunter2"), text);
  }

  @Test
  void theEncoderRejectsFieldsOutOfRange() {
    ByteBuffer b = ByteBuffer.allocate(36);
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(b, 0, 256, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(b, 0, 1, -1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(b, 1, 1, 0, 0, 0));
  }

  private CarpAdvertValidator validator(CounterMode mode) {
    return new CarpAdvertValidator(
        key,
        hmac,
        new SendCounter(mode, new Random(3)),
        new ReplayGuard(4),
        new byte[] {(byte) 192, 0, 2, 12});
  }

  private CarpDropReason validate(
      CarpAdvertValidator validator, java.util.function.Consumer<ByteBuffer> damage, long counter) {
    ByteBuffer b = datagram(ByteOrder.BIG_ENDIAN, 1000 + counter);
    damage.accept(b);
    return validator.validate(new CarpPacketDecoder().wrapIpv4(b, 0, b.limit()));
  }

  /** Changes one advert byte and fixes the checksum, so the later checks are reached. */
  private static void rewrite(ByteBuffer b, int at, int value) {
    b.put(at, (byte) value);
    b.putShort(26, (short) 0);
    int sum = org.failover4j.api.InternetChecksum.add(0, b, 20, 36);
    b.putShort(26, (short) org.failover4j.api.InternetChecksum.finish(sum));
  }

  private static void assertReason(CarpDropReason reason, Runnable action) {
    MalformedPacketException e = assertThrows(MalformedPacketException.class, action::run);
    assertEquals(reason, e.reason(), e.getMessage());
  }
}
