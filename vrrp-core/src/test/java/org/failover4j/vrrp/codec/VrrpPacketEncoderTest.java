package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.failover4j.api.InternetChecksum;
import org.junit.jupiter.api.Test;

class VrrpPacketEncoderTest {

  private static final HexFormat HEX = HexFormat.of();

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static byte[] encodeIpv4(VrrpWireConfig config, int priority, int dst, int id, long seq) {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(config);
    ByteBuffer buffer = ByteBuffer.allocate(encoder.ipv4Length());
    assertEquals(
        encoder.ipv4Length(), encoder.encodeIpv4(buffer, 0, priority, 0xc000020b, dst, id, seq));
    return buffer.array();
  }

  @Test
  void writesTheSanityVectorByteForByte() {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(SanityVector.config());
    ByteBuffer buffer = ByteBuffer.allocate(80);
    int n = encoder.encodeIpv4(buffer, 5, 100, SanityVector.SOURCE, SanityVector.GROUP, 1, 1);
    assertEquals(64, n);
    byte[] written = new byte[n];
    buffer.get(5, written);
    assertEquals(SanityVector.HEX, HEX.formatHex(written));
  }

  @Test
  void writesVrrpv2WithoutAuthenticationAsKeepalived() throws Exception {
    VrrpWireConfig config =
        VrrpWireConfig.builder()
            .vrid(77)
            .virtualAddresses(ip("192.0.2.177"), ip("192.0.2.178"))
            .interval(Duration.ofSeconds(2))
            .build();
    byte[] packet = encodeIpv4(config, 104, 0xe0000012, 0x1234, 0);
    // 45 c0 | len 44 | id | 0 | ttl 255 | proto 112 | checksum | src | dst
    assertEquals("45c0002c12340000ff70", HEX.formatHex(packet, 0, 10));
    assertEquals("c000020be0000012", HEX.formatHex(packet, 12, 20));
    // 21 | vrid 77 | prio 104 | 2 addresses | auth 0 | 2 s | checksum | addresses | 8 zeros
    assertEquals("214d68020002", HEX.formatHex(packet, 20, 26));
    assertEquals("c00002b1c00002b2" + "0000000000000000", HEX.formatHex(packet, 28, 44));
    assertTrue(InternetChecksum.isValid(InternetChecksum.add(0, packet, 0, 20)), "IP checksum");
    assertTrue(InternetChecksum.isValid(InternetChecksum.add(0, packet, 20, 24)), "v2 checksum");
  }

  @Test
  void writesTheSimpleTextPasswordZeroPadded() throws Exception {
    VrrpWireConfig config =
        VrrpWireConfig.builder()
            .vrid(1)
            .virtualAddresses(ip("192.0.2.100"))
            .authentication(AuthType.SIMPLE_TEXT, "pw")
            .build();
    byte[] packet = encodeIpv4(config, 100, 0xe0000012, 1, 0);
    assertEquals(1, packet[24], "auth type 1");
    assertEquals("7077000000000000", HEX.formatHex(packet, 32, 40));
  }

  @Test
  void writesEachVrrpv3Ipv4ChecksumVariant() throws Exception {
    int peer = 0xc000020c;
    for (ChecksumMode mode : ChecksumMode.values()) {
      VrrpWireConfig config =
          VrrpWireConfig.builder()
              .version(3)
              .vrid(9)
              .virtualAddresses(ip("192.0.2.100"))
              .interval(Duration.ofMillis(250))
              .unicastPeers(List.of(ip("192.0.2.12")))
              .checksumMode(mode)
              .build();
      byte[] packet = encodeIpv4(config, 150, peer, 7, 0);
      assertEquals(32, packet.length);
      assertEquals("310996010019", HEX.formatHex(packet, 20, 26), "v3, 25 cs");
      ByteBuffer b = ByteBuffer.wrap(packet);
      for (ChecksumMode other : ChecksumMode.values()) {
        // Unicast to a peer: the three variants give three different checksums.
        assertEquals(
            other == mode,
            VrrpChecksum.verifyIpv4(b, 20, 12, 3, other, 0xc000020b, peer),
            mode + " verified as " + other);
      }
    }
  }

  @Test
  void writesIpv6AdvertsWithThePseudoHeaderChecksum() throws Exception {
    VrrpWireConfig config =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(51)
            .virtualAddresses(ip("2001:db8::100"), ip("fe80::1"))
            .interval(Duration.ofMillis(100))
            .build();
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(config);
    assertEquals(40, encoder.advertLength());
    ByteBuffer buffer = ByteBuffer.allocate(40);
    byte[] src = ip("fe80::11").getAddress();
    byte[] dst = ip("ff02::12").getAddress();
    assertEquals(40, encoder.encodeIpv6(buffer, 0, 200, src, dst));
    assertEquals("3133c802000a", HEX.formatHex(buffer.array(), 0, 6));
    assertTrue(VrrpChecksum.verifyIpv6(buffer, 0, 40, src, dst));
    dst[15] = 0x13;
    assertFalse(VrrpChecksum.verifyIpv6(buffer, 0, 40, src, dst));
    assertThrows(IllegalStateException.class, () -> encoder.encodeIpv4(buffer, 0, 1, 0, 0, 1, 0));
  }

  @Test
  void refusesABufferWithoutRoom() {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(SanityVector.config());
    ByteBuffer small = ByteBuffer.allocate(63);
    assertThrows(
        IllegalArgumentException.class, () -> encoder.encodeIpv4(small, 0, 100, 1, 2, 3, 4));
    assertArrayEquals(new byte[63], small.array(), "nothing written");
  }
}
