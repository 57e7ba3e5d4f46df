package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HMAC of keepalived 2.4.3's {@code auth_hmac} against the wire images of its own regression
 * test ({@code test/auth_hmac_test.c}, the draft's appendix): key 00..1f as id 1, VRID 51, priority
 * 200, sequence 0x6800000080000000; one byte flipped at a time gives keepalived's verdicts.
 */
class HmacAuthenticatorTest {

  static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String IPV4_VECTOR =
      "3133c80100644402c0000264" + "010100006800000080000000" + "1b84bc4e8e43892dc6d98448f8ee2265";
  static final String IPV6_VECTOR =
      "3133c8010064a2e9"
          + "fe800000000000000000000000000100"
          + "010100006800000080000000"
          + "c8c56146ebfd66ee10ec4d8186461b78";
  private static final long SEQUENCE = 0x6800000080000000L;

  private final HmacAuthenticator authenticator =
      new HmacAuthenticator(HmacAuthentication.builder().key(1, "hex:" + KEY_HEX).build());

  private static byte[] address(String text) throws Exception {
    return InetAddress.getByName(text).getAddress();
  }

  @Test
  void verifiesKeepalivedsVectors() throws Exception {
    ByteBuffer v4 = ByteBuffer.wrap(HexFormat.of().parseHex(IPV4_VECTOR));
    assertNull(authenticator.verify(v4, 0, 12, address("198.51.100.10"), IpFamily.IPV4));
    ByteBuffer v6 = ByteBuffer.wrap(HexFormat.of().parseHex(IPV6_VECTOR));
    assertNull(authenticator.verify(v6, 0, 24, address("fe80::10"), IpFamily.IPV6));
    // Not at offset 0 of a direct buffer either.
    ByteBuffer direct = ByteBuffer.allocateDirect(100);
    direct.put(7, v6, 0, v6.capacity());
    assertNull(authenticator.verify(direct, 7, 24, address("fe80::10"), IpFamily.IPV6));
  }

  @Test
  void signsKeepalivedsVectors() throws Exception {
    byte[] v4 = HexFormat.of().parseHex(IPV4_VECTOR);
    ByteBuffer out4 = ByteBuffer.allocateDirect(v4.length);
    out4.put(0, v4, 0, 12);
    int source = ByteBuffer.wrap(address("198.51.100.10")).getInt();
    authenticator.signIpv4(out4, 0, 12, source, SEQUENCE);
    byte[] signed4 = new byte[v4.length];
    out4.get(0, signed4);
    assertArrayEquals(v4, signed4);

    byte[] v6 = HexFormat.of().parseHex(IPV6_VECTOR);
    ByteBuffer out6 = ByteBuffer.allocate(v6.length);
    out6.put(0, v6, 0, 24);
    authenticator.signIpv6(out6, 0, 24, address("fe80::10"), SEQUENCE);
    assertArrayEquals(v6, out6.array());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "tampered priority, 2, HMAC_BAD",
    "tampered advert interval, 5, HMAC_BAD",
    "tampered checksum, 6, ",
    "tampered vip, 23, HMAC_BAD",
    "unsupported ext type, 24, HMAC_MALFORMED",
    "unknown key id, 25, HMAC_UNKNOWN_KEY",
    "nonzero reserved, 26, HMAC_MALFORMED",
    "tampered seconds, 28, HMAC_BAD",
    "tampered counter, 34, HMAC_BAD",
    "tampered hmac, 36, HMAC_BAD",
  })
  void oneFlippedByteGivesKeepalivedsVerdict(String what, int at, VrrpDropReason expected)
      throws Exception {
    byte[] image = HexFormat.of().parseHex(IPV6_VECTOR);
    image[at] ^= 0x01;
    assertEquals(
        expected,
        authenticator.verify(ByteBuffer.wrap(image), 0, 24, address("fe80::10"), IpFamily.IPV6),
        what);
  }

  @Test
  void thePseudoHeaderBindsSourceAndVrid() throws Exception {
    ByteBuffer image = ByteBuffer.wrap(HexFormat.of().parseHex(IPV6_VECTOR));
    assertEquals(
        VrrpDropReason.HMAC_BAD,
        authenticator.verify(image, 0, 24, address("fe80::20"), IpFamily.IPV6));
    image.put(1, (byte) 52);
    assertEquals(
        VrrpDropReason.HMAC_BAD,
        authenticator.verify(image, 0, 24, address("fe80::10"), IpFamily.IPV6));
  }

  @Test
  void anotherKeyUnderTheSameIdDoesNotVerify() throws Exception {
    HmacAuthenticator other =
        new HmacAuthenticator(HmacAuthentication.builder().key(1, "k".repeat(32)).build());
    ByteBuffer image = ByteBuffer.wrap(HexFormat.of().parseHex(IPV6_VECTOR));
    assertEquals(
        VrrpDropReason.HMAC_BAD, other.verify(image, 0, 24, address("fe80::10"), IpFamily.IPV6));
  }

  @Test
  void configurationIsCheckedAndNeverShowsAKey() {
    assertEquals(
        "hmacKey",
        assertThrows(
                InvalidConfigurationException.class,
                () -> HmacAuthentication.builder().key(1, "short"))
            .field());
    assertEquals(
        "hmacKeyId",
        assertThrows(
                InvalidConfigurationException.class,
                () -> HmacAuthentication.builder().key(256, "k".repeat(32)))
            .field());
    assertEquals(
        "hmacKey",
        assertThrows(
                InvalidConfigurationException.class,
                () -> HmacAuthentication.builder().key(1, "k".repeat(65)))
            .field());
    InvalidConfigurationException twoKeys =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                HmacAuthentication.builder().key(1, "a".repeat(32)).key(2, "b".repeat(32)).build());
    assertEquals("hmacActiveKey", twoKeys.field());
    assertEquals(
        "hmacActiveKey",
        assertThrows(
                InvalidConfigurationException.class,
                () -> HmacAuthentication.builder().key(1, "a".repeat(32)).activeKey(3).build())
            .field());
    assertEquals(
        "hmacTimeWindow",
        assertThrows(
                InvalidConfigurationException.class,
                () -> HmacAuthentication.builder().timeWindow(java.time.Duration.ofSeconds(301)))
            .field());
    InvalidConfigurationException badHex =
        assertThrows(
            InvalidConfigurationException.class,
            () -> HmacAuthentication.builder().key(1, "hex:" + KEY_HEX + "zz"));
    assertFalse(badHex.getMessage().contains(KEY_HEX), badHex.getMessage());
    HmacAuthentication config =
        HmacAuthentication.builder()
            .key(1, "hex:" + KEY_HEX)
            .key(7, "secret-text-key-secret-text-key-!")
            .activeKey(7)
            .build();
    assertFalse(config.toString().contains("secret"), config.toString());
    assertFalse(config.toString().contains("0001020304"), config.toString());
    assertFalse(authenticator.toString().contains("0001020304"));
  }

  @Test
  void theWindowDefaultsAsKeepalivedDerivesIt() {
    HmacAuthentication config = HmacAuthentication.builder().key(1, "a".repeat(32)).build();
    assertEquals(5, config.timeWindowSeconds(100));
    assertEquals(5, config.timeWindowSeconds(10));
    assertEquals(6, config.timeWindowSeconds(200));
    assertEquals(300, config.timeWindowSeconds(25500));
    HmacAuthentication set =
        HmacAuthentication.builder()
            .key(1, "a".repeat(32))
            .timeWindow(java.time.Duration.ofSeconds(2))
            .build();
    assertEquals(2, set.timeWindowSeconds(100));
  }
}
