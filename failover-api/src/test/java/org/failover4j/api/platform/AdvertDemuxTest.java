package org.failover4j.api.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.DropCounters;
import org.failover4j.api.IpProtocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who gets which datagram on a shared protocol-112 socket, at the edges of the CARP rule. */
class AdvertDemuxTest {

  private final DropCounters<AdvertDropReason> drops = new DropCounters<>(AdvertDropReason.class);
  private final AdvertDemux demux = new AdvertDemux(drops);
  private final List<String> got = new ArrayList<>();

  @BeforeEach
  void claimOneOfEach() {
    demux.claim(AdvertOwner.vrrp(2, 7), d -> got.add("vrrp2"));
    demux.claim(AdvertOwner.vrrp(3, 7), d -> got.add("vrrp3"));
    demux.claim(AdvertOwner.carp(7), d -> got.add("carp"));
  }

  @Test
  void aCarpAdvertIsExactly36BytesOf0x21WithSevenInByte3() {
    assertEquals("carp", route(payload(36, 0x21, 7, 7)));
    assertTrue(AdvertClassifier.isCarp(ByteBuffer.wrap(payload(36, 0x21, 7, 7)), 0, 36));
  }

  @Test
  void oneByteShortOrLongIsVrrp() {
    assertEquals("vrrp2", route(payload(35, 0x21, 7, 7)));
    assertEquals("vrrp2", route(payload(37, 0x21, 7, 7)));
  }

  @Test
  void byte3OtherThanSevenIsVrrp() {
    assertEquals("vrrp2", route(payload(36, 0x21, 7, 6)));
    assertEquals("vrrp2", route(payload(36, 0x21, 7, 8)));
  }

  @Test
  void aVrrpv2AdvertOfExactly36BytesStaysVrrp() {
    // Five IPv4 addresses: 8 + 20 + 8 bytes of authentication data, count 5 in byte 3.
    assertEquals("vrrp2", route(payload(36, 0x21, 7, 5)));
  }

  @Test
  void aVrrpv3AdvertOf36BytesWithSevenAddressesStaysVrrp() {
    // 8 + 7 x 4 bytes: the same length and byte 3 as CARP, told apart by the version nibble.
    assertEquals("vrrp3", route(payload(36, 0x31, 7, 7)));
  }

  @Test
  void vrrpBehindAhGoesToVrrpEvenWhenItLooksLikeCarp() {
    byte[] vrrp = payload(36, 0x21, 7, 7);
    byte[] ah = new byte[24 + vrrp.length];
    ah[0] = (byte) IpProtocol.VRRP;
    ah[1] = 4;
    System.arraycopy(vrrp, 0, ah, 24, vrrp.length);
    assertEquals("vrrp2", deliver(ipv4(IpProtocol.AH, ah)));
  }

  @Test
  void anAhOfAnotherLengthThanKeepalivedsIsNotAnAdvert() {
    byte[] vrrp = payload(40, 0x21, 7, 1);
    byte[] ah = new byte[28 + vrrp.length];
    ah[0] = (byte) IpProtocol.VRRP;
    ah[1] = 5; // 28 bytes: a 16-byte ICV keepalived never sends
    System.arraycopy(vrrp, 0, ah, 28, vrrp.length);
    assertEquals("", deliver(ipv4(IpProtocol.AH, ah)));
    assertEquals(1, drops.get(AdvertDropReason.NOT_AN_ADVERT));
  }

  @Test
  void unclaimedIdsAreCountedPerProtocol() {
    assertEquals("", route(payload(36, 0x21, 8, 7)));
    assertEquals("", route(payload(40, 0x31, 8, 1)));
    assertEquals(1, drops.get(AdvertDropReason.UNCLAIMED_CARP));
    assertEquals(1, drops.get(AdvertDropReason.UNCLAIMED_VRRP));
  }

  @Test
  void aVersionNobodySpeaksOnAVridGoesToTheInstanceOfTheOtherVersion() {
    demux.release(AdvertOwner.vrrp(2, 7));
    assertEquals("vrrp3", route(payload(36, 0x21, 7, 5)), "counted there as a version mismatch");
    assertEquals(0, drops.get(AdvertDropReason.UNCLAIMED_VRRP));
  }

  @Test
  void unknownVersionsNobodyRunsAreGarbageNotUnclaimedVrrp() {
    assertEquals("", route(payload(40, 0x41, 8, 1)));
    assertEquals("", route(payload(40, 0x01, 8, 1)));
    assertEquals(2, drops.get(AdvertDropReason.NOT_VRRP_OR_CARP));
    assertEquals(0, drops.get(AdvertDropReason.UNCLAIMED_VRRP));
  }

  @Test
  void anUnknownVersionOnAClaimedVridIsThatInstancesVersionError() {
    assertEquals("vrrp3", route(payload(40, 0x41, 7, 1)));
    assertEquals(0, drops.get(AdvertDropReason.NOT_VRRP_OR_CARP));
  }

  @Test
  void malformedDatagramsAreCountedByReason() {
    assertEquals("", route(payload(3, 0x31, 7, 0)));
    assertEquals(1, drops.get(AdvertDropReason.TOO_SHORT));
    assertEquals("", deliver(ipv4(IpProtocol.UDP, payload(36, 0x21, 7, 7))));
    assertEquals(1, drops.get(AdvertDropReason.NOT_AN_ADVERT));
    byte[] badHeader = ipv4(IpProtocol.VRRP, payload(36, 0x21, 7, 7));
    badHeader[0] = 0x65;
    assertEquals("", deliver(badHeader, badHeader.length));
    assertEquals(1, drops.get(AdvertDropReason.BAD_IP_HEADER));
    byte[] whole = ipv4(IpProtocol.VRRP, payload(36, 0x21, 7, 7));
    assertEquals("", deliver(whole, whole.length + 100));
    assertEquals(1, drops.get(AdvertDropReason.TRUNCATED_RECEIVE));
  }

  @Test
  void ownersAreExclusivePerProtocolVersionAndId() {
    assertThrows(IllegalStateException.class, () -> demux.claim(AdvertOwner.carp(7), d -> {}));
    assertFalse(demux.release(AdvertOwner.carp(7)));
    demux.claim(AdvertOwner.carp(7), d -> got.add("carp again"));
    assertEquals("carp again", route(payload(36, 0x21, 7, 7)));
    demux.release(AdvertOwner.vrrp(2, 7));
    demux.release(AdvertOwner.vrrp(3, 7));
    assertTrue(demux.release(AdvertOwner.carp(7)), "the last release empties the demux");
  }

  @Test
  void ipv6PayloadsAreRoutedTheSameWay() {
    byte[] carp = payload(36, 0x21, 7, 7);
    ReceivedDatagram d = new ReceivedDatagram();
    d.reset(true);
    d.fillIpv6(ByteBuffer.wrap(carp), 0, carp.length, carp.length, IpProtocol.VRRP);
    demux.received(d);
    assertEquals(List.of("carp"), got);
  }

  @Test
  void ownersCheckTheirRanges() {
    assertThrows(IllegalArgumentException.class, () -> AdvertOwner.vrrp(4, 1));
    assertThrows(IllegalArgumentException.class, () -> AdvertOwner.carp(0));
    assertThrows(IllegalArgumentException.class, () -> AdvertOwner.vrrp(3, 256));
  }

  private String route(byte[] protocol112Payload) {
    return deliver(ipv4(IpProtocol.VRRP, protocol112Payload));
  }

  private String deliver(byte[] datagram) {
    return deliver(datagram, datagram.length);
  }

  private String deliver(byte[] datagram, int fullLength) {
    got.clear();
    ReceivedDatagram d = new ReceivedDatagram();
    d.reset(false);
    // A little-endian buffer: the demux reads single bytes, so the order must not matter.
    ByteBuffer buffer =
        ByteBuffer.allocate(datagram.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buffer.put(8, datagram);
    d.fillIpv4(buffer, 8, datagram.length, fullLength);
    demux.received(d);
    return String.join(",", got);
  }

  private static byte[] payload(int length, int versionType, int id, int byte3) {
    byte[] p = new byte[length];
    p[0] = (byte) versionType;
    if (length > 1) {
      p[1] = (byte) id;
    }
    if (length > 3) {
      p[3] = (byte) byte3;
    }
    return p;
  }

  private static byte[] ipv4(int protocol, byte[] payload) {
    byte[] d = new byte[20 + payload.length];
    d[0] = 0x45;
    d[8] = (byte) 255;
    d[9] = (byte) protocol;
    d[12] = (byte) 192;
    d[14] = 2;
    d[15] = 1;
    d[16] = (byte) 224;
    d[19] = 18;
    System.arraycopy(payload, 0, d, 20, payload.length);
    return d;
  }
}
