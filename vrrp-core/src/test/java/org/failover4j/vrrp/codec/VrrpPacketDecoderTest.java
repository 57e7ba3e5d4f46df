package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;

class VrrpPacketDecoderTest {

  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();

  private static MalformedPacketException malformed(Runnable action) {
    return assertThrows(MalformedPacketException.class, action::run);
  }

  @Test
  void readsEveryFieldOfTheSanityVector() throws Exception {
    ByteBuffer b = SanityVector.buffer();
    decoder.wrapIpv4(b, 0, b.limit());
    assertEquals(IpFamily.IPV4, decoder.family());
    assertEquals(64, decoder.length());
    assertEquals(20, decoder.ipHeaderLength());
    assertEquals(64, decoder.ipTotalLength());
    assertEquals(1, decoder.ipIdentification());
    assertEquals(0xc0, decoder.ipTos());
    assertEquals(255, decoder.ttl());
    assertEquals(SanityVector.SOURCE, decoder.ipv4Source());
    assertEquals(SanityVector.GROUP, decoder.ipv4Destination());
    assertEquals(InetAddress.getByName("10.0.0.1"), decoder.source());
    assertEquals(InetAddress.getByName("224.0.0.18"), decoder.destination());
    assertTrue(decoder.isMulticastDestination());
    assertTrue(decoder.hasAh());
    assertEquals(112, decoder.ahNextHeader());
    assertEquals(4, decoder.ahPayloadLength());
    assertEquals(SanityVector.SOURCE, decoder.ahSpi());
    assertEquals(1, decoder.ahSequence());
    byte[] icv = new byte[12];
    decoder.copyAhIcv(icv, 0);
    assertEquals("8c1e23f075326fdcf84dd341", HexFormat.of().formatHex(icv));
    assertTrue(decoder.checksumValid(ChecksumMode.PSEUDO_HEADER));

    VrrpAdvertDecoder advert = decoder.advert().requireWellFormed();
    assertEquals(44, advert.offset());
    assertEquals(2, advert.version());
    assertEquals(1, advert.type());
    assertEquals(51, advert.vrid());
    assertEquals(100, advert.priority());
    assertEquals(1, advert.addressCount());
    assertEquals(2, advert.authTypeCode());
    assertEquals(1, advert.advertIntervalSeconds());
    assertEquals(100, advert.intervalCentiseconds());
    assertEquals(0x6e66, advert.checksum());
    assertEquals(20, advert.expectedLength());
    assertEquals(0x0a000064, advert.ipv4Address(0));
    assertEquals(List.of(InetAddress.getByName("10.0.0.100")), advert.addresses());
    byte[] auth = new byte[8];
    advert.copyAuthData(auth, 0);
    assertEquals("0000000000000000", HexFormat.of().formatHex(auth));
    assertTrue(advert.containsAddress(new byte[] {10, 0, 0, 100}, 0));
    assertFalse(advert.containsAddress(new byte[] {10, 0, 0, 101}, 0));
  }

  @Test
  void refusesWhatCannotBeVrrpWithSpecificReasons() {
    byte[] vector = SanityVector.bytes();
    MalformedPacketException e = malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(vector), 0, 19));
    assertEquals(VrrpDropReason.TRUNCATED, e.reason());
    assertEquals("truncated IPv4 header: 19 bytes, need 20", e.detail());
    e = malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(vector), 0, 51));
    assertEquals("truncated AH VRRP packet: 51 bytes, need 52", e.detail());

    byte[] v6 = vector.clone();
    v6[0] = 0x65;
    assertEquals(
        VrrpDropReason.BAD_IP_HEADER,
        malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(v6), 0, 64)).reason());
    byte[] shortIhl = vector.clone();
    shortIhl[0] = 0x44;
    assertEquals(
        VrrpDropReason.BAD_IP_HEADER,
        malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(shortIhl), 0, 64)).reason());
    byte[] tcp = vector.clone();
    tcp[9] = 6;
    e = malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(tcp), 0, 64));
    assertEquals(VrrpDropReason.NOT_VRRP, e.reason());
    assertEquals("IP protocol 6 is neither VRRP (112) nor AH (51)", e.detail());
    byte[] longIhl = vector.clone();
    longIhl[0] = 0x4f; // 60-byte header: AH and VRRP would end past the 64 bytes
    assertEquals(
        VrrpDropReason.TRUNCATED,
        malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(longIhl), 0, 64)).reason());
    assertEquals(
        VrrpDropReason.TRUNCATED,
        malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(vector), 10, 64)).reason());
  }

  @Test
  void wrapsACutAdvertButRefusesToReadWhatIsMissing() {
    ByteBuffer b = SanityVector.buffer();
    decoder.wrapIpv4(b, 0, 60); // the last 4 authentication bytes are missing
    VrrpAdvertDecoder advert = decoder.advert();
    assertEquals(51, advert.vrid());
    assertEquals(0x0a000064, advert.ipv4Address(0));
    MalformedPacketException e = malformed(() -> advert.copyAuthData(new byte[8], 0));
    assertEquals("truncated authentication data: 16 bytes, need 20", e.detail());
    e = malformed(advert::requireWellFormed);
    assertEquals("truncated VRRP message: 16 bytes, need 20", e.detail());
    assertFalse(decoder.checksumValid(ChecksumMode.PSEUDO_HEADER));
    assertEquals(VrrpDropReason.TRUNCATED, malformed(() -> advert.ipv4Address(1)).reason());

    ByteBuffer longer = ByteBuffer.allocate(65).put(SanityVector.bytes()).clear();
    decoder.wrapIpv4(longer, 0, 65);
    e = malformed(decoder.advert()::requireWellFormed);
    assertEquals(VrrpDropReason.LENGTH_MISMATCH, e.reason());
  }

  @Test
  void requireWellFormedRejectsUnknownVersionsAndTypes() {
    byte[] v4 = SanityVector.bytes();
    v4[44] = 0x41;
    assertEquals(
        VrrpDropReason.UNSUPPORTED_VERSION,
        malformed(() -> decoder.wrapIpv4(ByteBuffer.wrap(v4), 0, 64).advert().requireWellFormed())
            .reason());
    byte[] type2 = SanityVector.bytes();
    type2[44] = 0x22;
    assertEquals(
        VrrpDropReason.INVALID_TYPE,
        malformed(
                () -> decoder.wrapIpv4(ByteBuffer.wrap(type2), 0, 64).advert().requireWellFormed())
            .reason());
  }

  @Test
  void ipv6PacketsHaveNoIpv4OrAhFields() throws Exception {
    byte[] message =
        HexFormat.of().parseHex("313e640100320000" + "20010db8000000000000000000000160");
    byte[] src = InetAddress.getByName("fe80::1").getAddress();
    byte[] dst = InetAddress.getByName("ff02::12").getAddress();
    decoder.wrapIpv6(ByteBuffer.wrap(message), 0, message.length, src, dst, 255);
    assertEquals(IpFamily.IPV6, decoder.family());
    assertEquals(0, decoder.ipHeaderLength());
    assertEquals(InetAddress.getByName("fe80::1"), decoder.source());
    assertEquals(InetAddress.getByName("ff02::12"), decoder.destination());
    assertTrue(decoder.isMulticastDestination());
    assertEquals(50, decoder.advert().intervalCentiseconds());
    assertEquals(InetAddress.getByName("2001:db8::160"), decoder.advert().address(0));
    src[0] = 0; // copied on wrap: the caller may reuse its arrays
    assertEquals(InetAddress.getByName("fe80::1"), decoder.source());
    assertEquals(VrrpDropReason.ADDRESS_FAMILY_MISMATCH, malformed(decoder::ipv4Source).reason());
    assertEquals(VrrpDropReason.AH_MISMATCH, malformed(decoder::ahSpi).reason());
    assertEquals(
        VrrpDropReason.ADDRESS_FAMILY_MISMATCH,
        malformed(() -> decoder.advert().ipv4Address(0)).reason());
    assertEquals(
        VrrpDropReason.TRUNCATED,
        malformed(() -> decoder.wrapIpv6(ByteBuffer.wrap(message), 0, 7, src, dst, 255)).reason());
  }
}
