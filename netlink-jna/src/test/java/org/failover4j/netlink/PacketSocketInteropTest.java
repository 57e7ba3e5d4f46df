package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.List;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/** Gratuitous ARP and unsolicited neighbour advertisements from a virtual MAC, read by tshark. */
@Interop(peers = "tshark")
class PacketSocketInteropTest {

  @Test
  void announcementsLeaveFromTheGivenMacAndDecodeInTshark(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    lab.host("b", lan);
    Capture wire = lan.capture("announce", "arp or icmp6");
    Inet4Address vip4 = (Inet4Address) lan.ipv4(100);
    Inet6Address vip6 = (Inet6Address) lan.ipv6(100);
    int eth0 = a.ifindex("eth0");
    try (PacketSocket socket = a.call(() -> PacketSocket.open(eth0))) {
      assertEquals(eth0, socket.ifindex());
      assertEquals(
          42, socket.sendGratuitousArp(MacAddress.vrrpIpv4(7), vip4, ArpOperation.REQUEST));
      assertEquals(42, socket.sendGratuitousArp(MacAddress.vrrpIpv4(7), vip4, ArpOperation.REPLY));
      assertEquals(
          86, socket.sendUnsolicitedNeighborAdvertisement(MacAddress.vrrpIpv6(7), vip6, false));
      assertEquals(
          86, socket.sendUnsolicitedNeighborAdvertisement(MacAddress.vrrpIpv6(8), vip6, true));
      // A whole frame built by the caller, from a heap buffer.
      ByteBuffer frame = ByteBuffer.allocate(GratuitousArp.LENGTH);
      GratuitousArp.write(
          frame, 0, MacAddress.vrrpIpv4(9), lan.ipv4(101).getAddress(), ArpOperation.REQUEST);
      assertEquals(42, socket.send(frame));
      assertEquals(42, frame.position());
      assertThrows(IllegalArgumentException.class, () -> socket.send(ByteBuffer.allocate(10)));
    }
    List<List<String>> arp =
        wire.fields(
            "arp",
            "eth.src",
            "eth.dst",
            "arp.opcode",
            "arp.isgratuitous",
            "arp.src.hw_mac",
            "arp.src.proto_ipv4",
            "arp.dst.hw_mac",
            "arp.dst.proto_ipv4");
    assertEquals(
        List.of(
            List.of(
                "00:00:5e:00:01:07",
                "ff:ff:ff:ff:ff:ff",
                "1",
                "1",
                "00:00:5e:00:01:07",
                "192.0.2.100",
                "ff:ff:ff:ff:ff:ff",
                "192.0.2.100"),
            List.of(
                "00:00:5e:00:01:07",
                "ff:ff:ff:ff:ff:ff",
                "2",
                "1",
                "00:00:5e:00:01:07",
                "192.0.2.100",
                "00:00:5e:00:01:07",
                "192.0.2.100"),
            List.of(
                "00:00:5e:00:01:09",
                "ff:ff:ff:ff:ff:ff",
                "1",
                "1",
                "00:00:5e:00:01:09",
                "192.0.2.101",
                "ff:ff:ff:ff:ff:ff",
                "192.0.2.101")),
        arp);
    List<List<String>> na =
        Capture.read(
            wire.file(),
            List.of(),
            "icmpv6.type == 136",
            "eth.src",
            "eth.dst",
            "ipv6.src",
            "ipv6.dst",
            "ipv6.hlim",
            "icmpv6.nd.na.flag.r",
            "icmpv6.nd.na.flag.s",
            "icmpv6.nd.na.flag.o",
            "icmpv6.nd.na.target_address",
            "icmpv6.opt.linkaddr",
            "icmpv6.checksum.status");
    assertEquals(
        List.of(
            List.of(
                "00:00:5e:00:02:07",
                "33:33:00:00:00:01",
                "2001:db8::100",
                "ff02::1",
                "255",
                "0",
                "0",
                "1",
                "2001:db8::100",
                "00:00:5e:00:02:07",
                "1"),
            List.of(
                "00:00:5e:00:02:08",
                "33:33:00:00:00:01",
                "2001:db8::100",
                "ff02::1",
                "255",
                "1",
                "0",
                "1",
                "2001:db8::100",
                "00:00:5e:00:02:08",
                "1")),
        na);
  }
}
