package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Gratuitous ARP and unsolicited neighbour advertisement frames, byte for byte. */
class FrameWriterTest {

  private static final MacAddress VMAC = MacAddress.vrrpIpv4(7);

  private static String hex(ByteBuffer b, int length) {
    return Golden.hex(b, 0, length);
  }

  @Test
  void gratuitousArpRequestIsKeepalivedsFrame() throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(64);
    int length =
        GratuitousArp.write(
            frame,
            0,
            VMAC,
            InetAddress.getByName("192.0.2.100").getAddress(),
            ArpOperation.REQUEST);
    assertEquals(42, length);
    assertEquals(
        ("ffffffffffff 00005e000107 0806" // broadcast, from the virtual MAC, ARP
                + "0001 0800 06 04 0001" // Ethernet, IPv4, request
                + "00005e000107 c0000264" // sender: the virtual MAC and address
                + "ffffffffffff c0000264") // target: broadcast (as keepalived), the address
            .replace(" ", ""),
        hex(frame, length));
  }

  @Test
  void gratuitousArpReplyNamesTheSenderAsTarget() throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(64);
    int length =
        GratuitousArp.write(
            frame, 0, VMAC, InetAddress.getByName("192.0.2.100").getAddress(), ArpOperation.REPLY);
    assertEquals(
        ("ffffffffffff 00005e000107 0806 0001 0800 06 04 0002"
                + "00005e000107 c0000264 00005e000107 c0000264")
            .replace(" ", ""),
        hex(frame, length));
  }

  @Test
  void unsolicitedNeighborAdvertisementFollowsRfc4861() throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(128);
    for (int i = 0; i < 128; i++) {
      frame.put(i, (byte) 0x55); // stale bytes must be overwritten
    }
    MacAddress mac = MacAddress.vrrpIpv6(7);
    byte[] address = InetAddress.getByName("2001:db8::100").getAddress();
    int length = UnsolicitedNeighborAdvertisement.write(frame, 0, mac, address, true);
    assertEquals(86, length);
    String expected =
        ("333300000001 00005e000207 86dd" // all-nodes multicast MAC, the virtual MAC, IPv6
                + "60000000 0020 3a ff" // version 6, 32 payload bytes, ICMPv6, hop limit 255
                + "20010db8000000000000000000000100" // source: the address itself
                + "ff020000000000000000000000000001" // all nodes
                + "88 00 CSUM a0000000" // NA, code 0, checksum, Router + Override
                + "20010db8000000000000000000000100" // target
                + "02 01 00005e000207") // target link-layer address option
            .replace(" ", "");
    String actual = hex(frame, length);
    assertEquals(expected.substring(0, 112), actual.substring(0, 112));
    assertEquals(expected.substring(116), actual.substring(116));
    assertEquals(
        String.format("%04x", checksum(frame)), actual.substring(112, 116), "ICMPv6 checksum");
  }

  @Test
  void addressesMustHaveTheirFamilysLength() {
    ByteBuffer frame = ByteBuffer.allocate(128);
    assertThrows(
        IllegalArgumentException.class,
        () -> GratuitousArp.write(frame, 0, VMAC, new byte[16], ArpOperation.REQUEST));
    assertThrows(
        IllegalArgumentException.class,
        () -> UnsolicitedNeighborAdvertisement.write(frame, 0, VMAC, new byte[4], false));
  }

  /** RFC 1071 over the pseudo-header and the ICMPv6 message, written out independently. */
  private static int checksum(ByteBuffer frame) {
    byte[] pseudo = new byte[40 + 32];
    frame.get(22, pseudo, 0, 32); // source and destination
    pseudo[35] = 32; // upper-layer length
    pseudo[39] = 58; // next header
    byte[] icmp = new byte[32];
    frame.get(54, icmp, 0, 32);
    icmp[2] = 0;
    icmp[3] = 0;
    System.arraycopy(icmp, 0, pseudo, 40, 32);
    long sum = 0;
    for (int i = 0; i < pseudo.length; i += 2) {
      sum += ((pseudo[i] & 0xff) << 8) | (pseudo[i + 1] & 0xff);
    }
    while (sum >> 16 != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  @Test
  void macAddressesParseFormatAndCompare() {
    MacAddress parsed = MacAddress.parse("00:00:5E:00:01:07");
    assertEquals(VMAC, parsed);
    assertEquals("00:00:5e:00:01:07", parsed.toString());
    assertEquals(VMAC, MacAddress.of(HexFormat.of().parseHex("00005e000107")));
    assertEquals("00:00:5e:00:02:ff", MacAddress.vrrpIpv6(255).toString());
    assertEquals(MacAddress.of(0x00005e000107L).hashCode(), VMAC.hashCode());
    assertEquals(true, MacAddress.parse("33-33-00-00-00-01").isMulticast());
    assertEquals(false, VMAC.isMulticast());
    assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("00:00:5e:00:01"));
    assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("00:00:5e:00:01:zz"));
    assertThrows(IllegalArgumentException.class, () -> MacAddress.vrrpIpv4(0));
    assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
  }
}
