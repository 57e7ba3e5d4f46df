package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.sim.SimulatedHost;
import org.junit.jupiter.api.Test;

/**
 * VRRP instances and a CARP-shaped consumer on one simulated interface share its advert channel:
 * each receives only its own datagrams, including a VRRP advert of exactly CARP's 36 bytes.
 */
class SharedAdvertChannelSimulationTest {

  private final SimulatedLan lan = new SimulatedLan(1);

  @Test
  void vrrpAndCarpShareAnInterfaceAndEachGetsItsOwn() throws Exception {
    // Five virtual addresses make a VRRPv2 advert of exactly 36 bytes, CARP's length.
    SimulatedLan.Node master =
        lan.add(
            200,
            b ->
                b.version(2)
                    .vrid(9)
                    .virtualAddress("192.0.2.101/24")
                    .virtualAddress("192.0.2.102/24")
                    .virtualAddress("192.0.2.103/24")
                    .virtualAddress("192.0.2.104/24"));
    SimulatedLan.Node backup =
        lan.add(
            100,
            b ->
                b.version(2)
                    .vrid(9)
                    .virtualAddress("192.0.2.101/24")
                    .virtualAddress("192.0.2.102/24")
                    .virtualAddress("192.0.2.103/24")
                    .virtualAddress("192.0.2.104/24"));
    lan.nodes.forEach(SimulatedLan.Node::start);

    // A CARP host with the same id on the backup's interface, and a CARP peer on the LAN.
    List<Integer> carpLengths = new ArrayList<>();
    AdvertChannel carp =
        backup.platform.openAdvertChannel(
            "eth0", IpFamily.IPV4, AdvertOwner.carp(9), d -> carpLengths.add(d.payloadLength()));
    SimulatedHost carpPeer = lan.network.addHost("carp", SimulatedLan.ip("192.0.2.50"));
    for (int i = 0; i < 5; i++) {
      lan.loop.advanceBy(Duration.ofMillis(500));
      carpPeer.send(IpFamily.IPV4.advertGroup(), carpDatagram(9));
      carpPeer.send(IpFamily.IPV4.advertGroup(), carpDatagram(10));
    }
    lan.loop.advanceBy(Duration.ofSeconds(3));

    assertEquals(Role.MASTER, master.role());
    assertEquals(Role.BACKUP, backup.role(), "CARP adverts with the same id never reach VRRP");
    assertEquals(List.of(36, 36, 36, 36, 36), carpLengths);
    VrrpStatistics stats = backup.instance().statistics();
    assertTrue(
        stats.advertsReceived() >= 3, "the backup hears the 36-byte VRRP adverts (1 s apart)");
    assertEquals(0, stats.totalDropped());
    assertEquals(5, backup.platform.advertDrops().get(AdvertDropReason.UNCLAIMED_CARP));

    carp.close();
    carpPeer.send(IpFamily.IPV4.advertGroup(), carpDatagram(9));
    lan.loop.advanceBy(Duration.ofMillis(10));
    assertEquals(6, backup.platform.advertDrops().get(AdvertDropReason.UNCLAIMED_CARP));
    assertEquals(Role.BACKUP, backup.role());
  }

  /** A CARP-shaped IPv4 datagram: the 36-byte header, counter and HMAC left zero. */
  private static ByteBuffer carpDatagram(int vhid) {
    ByteBuffer b = ByteBuffer.allocate(56);
    b.put(0, (byte) 0x45).putShort(2, (short) 56).put(8, (byte) 255).put(9, (byte) 112);
    b.put(12, new byte[] {(byte) 192, 0, 2, 50}).put(16, new byte[] {(byte) 224, 0, 0, 18});
    b.put(20, (byte) 0x21).put(21, (byte) vhid).put(23, (byte) 7).put(25, (byte) 1);
    return b;
  }
}
