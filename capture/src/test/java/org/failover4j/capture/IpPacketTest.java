package org.failover4j.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpPacketTest {

  private static final HexFormat HEX = HexFormat.of();

  /** IPv4 192.0.2.11 -> 224.0.0.18, TTL 255, protocol 112, 4 payload bytes. */
  private static final String IPV4 =
      "45000018" + "00010000" + "ff700000" + "c000020b" + "e0000012" + "deadbeef";

  /** IPv6 2001:db8::11 -> ff02::12, hop limit 255, next header 112, 4 payload bytes. */
  private static final String IPV6 =
      "60000000"
          + "0004"
          + "70"
          + "ff"
          + "20010db8000000000000000000000011"
          + "ff020000000000000000000000000012"
          + "deadbeef";

  private static final String MAC_PAIR = "01005e00001200005e000133";

  private final IpPacket packet = new IpPacket();

  private static ByteBuffer hex(String s) {
    return ByteBuffer.wrap(HEX.parseHex(s));
  }

  private void assertIpv4(String what) {
    assertEquals(4, packet.version(), what);
    assertEquals(112, packet.protocol(), what);
    assertEquals(255, packet.ttl(), what);
    assertEquals(20, packet.headerLength(), what);
    assertEquals(4, packet.payloadLength(), what);
    assertEquals(0xdeadbeef, packet.buffer().getInt(packet.payloadOffset()), what);
    assertEquals("192.0.2.11", packet.source().getHostAddress(), what);
    assertEquals("224.0.0.18", packet.destination().getHostAddress(), what);
    assertFalse(packet.isTruncated(), what);
    assertFalse(packet.isFragment(), what);
  }

  @Test
  void findsIpv4InEveryLinkType() {
    assertTrue(packet.wrapFrame(LinkType.RAW.code(), hex(IPV4)));
    assertIpv4("raw");
    assertTrue(packet.wrapFrame(12, hex(IPV4)));
    assertIpv4("DLT_RAW 12");
    assertTrue(packet.wrapFrame(LinkType.IPV4.code(), hex(IPV4)));
    assertIpv4("LINKTYPE_IPV4");
    assertTrue(packet.wrapFrame(LinkType.ETHERNET.code(), hex(MAC_PAIR + "0800" + IPV4)));
    assertIpv4("ethernet");
    String tagged = MAC_PAIR + "88a8" + "0064" + "8100" + "00c8" + "0800" + IPV4;
    assertTrue(packet.wrapFrame(LinkType.ETHERNET.code(), hex(tagged)));
    assertIpv4("802.1ad + 802.1Q");
    String sll = "0000" + "0001" + "0006" + "00005e0001330000" + "0800" + IPV4;
    assertTrue(packet.wrapFrame(LinkType.LINUX_SLL.code(), hex(sll)));
    assertIpv4("sll");
    String sll2 = "0800" + "0000" + "00000002" + "0001" + "00" + "06" + "00005e0001330000" + IPV4;
    assertTrue(packet.wrapFrame(LinkType.LINUX_SLL2.code(), hex(sll2)));
    assertIpv4("sll2");
  }

  @Test
  void findsIpv6AndSkipsExtensionHeaders() throws Exception {
    assertTrue(packet.wrapFrame(LinkType.ETHERNET.code(), hex(MAC_PAIR + "86dd" + IPV6)));
    assertEquals(6, packet.version());
    assertEquals(112, packet.protocol());
    assertEquals(255, packet.ttl());
    assertEquals(InetAddress.getByName("2001:db8::11"), packet.source());
    assertEquals(InetAddress.getByName("ff02::12"), packet.destination());
    assertEquals(4, packet.payloadLength());

    // Hop-by-hop (8 bytes: next 112, length 0, PadN) before the payload.
    String withHopByHop =
        "60000000000c" + "00" + "01" + IPV6.substring(16, 80) + "7000010400000000" + "deadbeef";
    assertTrue(packet.wrapFrame(LinkType.IPV6.code(), hex(withHopByHop)));
    assertEquals(112, packet.protocol());
    assertEquals(48, packet.headerLength());
    assertEquals(0xdeadbeef, packet.buffer().getInt(packet.payloadOffset()));

    // A first fragment: fragment header with M set.
    String fragment =
        "60000000000c" + "2c" + "40" + IPV6.substring(16, 80) + "7000000100000001" + "deadbeef";
    assertTrue(packet.wrapFrame(LinkType.RAW.code(), hex(fragment)));
    assertTrue(packet.isFragment());
    assertEquals(0, packet.fragmentOffset());
  }

  @Test
  void boundsThePayloadByTheHeaderNotTheFrame() {
    // Ethernet pads short frames to 60 bytes: the padding is not payload.
    String padded = MAC_PAIR + "0800" + IPV4 + "00".repeat(18);
    assertTrue(packet.wrapFrame(LinkType.ETHERNET.code(), hex(padded)));
    assertEquals(4, packet.payloadLength());

    // A capture cut short by the snap length: what is there, and a flag.
    String cut = IPV4.substring(0, IPV4.length() - 4);
    assertTrue(packet.wrapFrame(LinkType.RAW.code(), hex(cut)));
    assertTrue(packet.isTruncated());
    assertEquals(2, packet.payloadLength());
    assertEquals(4, packet.declaredPayloadLength());
  }

  @Test
  void saysNoToFramesWithoutAWholeIpHeader() {
    assertFalse(packet.wrapFrame(LinkType.ETHERNET.code(), hex(MAC_PAIR + "0806" + "0001")));
    assertFalse(packet.wrapFrame(LinkType.ETHERNET.code(), hex(MAC_PAIR + "08")));
    assertFalse(packet.wrapFrame(LinkType.ETHERNET.code(), hex(MAC_PAIR + "0800" + "4500")));
    assertFalse(packet.wrapFrame(LinkType.ETHERNET.code(), hex(MAC_PAIR + "86dd" + IPV4)));
    assertFalse(packet.wrapFrame(LinkType.RAW.code(), hex("4f00")));
    assertFalse(packet.wrapFrame(LinkType.RAW.code(), hex("41000018" + IPV4.substring(8))));
    assertFalse(packet.wrapFrame(147, hex(IPV4)), "a user link type");
    assertFalse(packet.wrapFrame(LinkType.RAW.code(), ByteBuffer.allocate(0)));
  }

  private String failure(int linkType, String frame) {
    assertFalse(packet.wrapFrame(linkType, hex(frame)), frame);
    return packet.failure();
  }

  @Test
  void saysWhyAFrameThatAnnouncedIpHasNone() {
    int ethernet = LinkType.ETHERNET.code();
    assertEquals(null, failure(ethernet, MAC_PAIR + "0806" + "0001"), "ARP is no error");
    assertEquals(
        "Ethernet header cut short: 13 bytes, need 14", failure(ethernet, MAC_PAIR + "08"));
    assertEquals(
        "IPv4 header cut short: 2 bytes, need 20", failure(ethernet, MAC_PAIR + "0800" + "4500"));
    assertEquals(
        "IP version 4 behind the ethertype of IPv6", failure(ethernet, MAC_PAIR + "86dd" + IPV4));
    assertEquals(
        "VLAN tag cut short: 2 bytes, need 4", failure(ethernet, MAC_PAIR + "8100" + "0001"));
    assertEquals(
        "IPv4 header length 4, below 20",
        failure(LinkType.RAW.code(), "41000018" + IPV4.substring(8)));
    assertEquals(
        "IPv4 header length 60, but 24 bytes captured",
        failure(LinkType.RAW.code(), "4f000018" + IPV4.substring(8)));
    assertEquals(
        "IPv4 total length 16, shorter than its 20-byte header",
        failure(LinkType.RAW.code(), "45000010" + IPV4.substring(8)));
    assertEquals("IP version 7, not 4 or 6", failure(LinkType.RAW.code(), "7000"));
    assertEquals("link type 147 is not Ethernet, Linux cooked or raw IP", failure(147, IPV4));
    assertEquals(
        "Linux cooked header cut short: 10 bytes, need 16",
        failure(LinkType.LINUX_SLL.code(), "00".repeat(10)));
    assertEquals(
        "IPv6 header cut short: 4 bytes, need 40", failure(LinkType.RAW.code(), "60000000"));
    assertTrue(packet.wrapFrame(LinkType.RAW.code(), hex(IPV4)));
    assertEquals(null, packet.failure(), "a success clears the last failure");
  }

  @Test
  void findsUdpPorts() {
    String udp =
        "4500001c000100004011" + "0000" + "c0000201" + "e0000051" + "22902290" + "00080000";
    assertTrue(packet.wrapFrame(LinkType.RAW.code(), hex(udp)));
    UdpDatagram datagram = new UdpDatagram();
    assertTrue(datagram.wrap(packet));
    assertEquals(8848, datagram.sourcePort());
    assertEquals(8848, datagram.destinationPort());
    assertEquals(0, datagram.payloadLength());
    assertFalse(datagram.isTruncated());
    assertTrue(packet.wrapFrame(LinkType.RAW.code(), hex(IPV4)));
    assertFalse(datagram.wrap(packet), "not UDP");
  }

  @Test
  void randomFramesNeverThrow() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int[] types = {1, 12, 101, 113, 228, 229, 276, 0};
    UdpDatagram udp = new UdpDatagram();
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = new byte[random.nextInt(90)];
      random.nextBytes(frame);
      if (frame.length > 0 && random.nextBoolean()) {
        frame[0] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
      }
      try {
        if (packet.wrapFrame(types[random.nextInt(types.length)], ByteBuffer.wrap(frame))) {
          assertTrue(packet.payloadOffset() + packet.payloadLength() <= frame.length);
          packet.source();
          packet.destination();
          if (udp.wrap(packet)) {
            assertTrue(udp.payloadOffset() + udp.payloadLength() <= frame.length);
          }
        }
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ", case " + i, e);
      }
    }
  }
}
