package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.codec.CarpDropReason;
import org.junit.jupiter.api.Test;

/**
 * CARP unicast peers (adverts to the peers only, adverts from anyone else dropped as {@code
 * NOT_A_PEER}) and the virtual MAC (a macvlan {@code carp.VHID} with {@code 00:00:5e:00:01:VHID}
 * that only the master has), on the simulated platform under virtual time.
 */
class CarpUnicastAndVirtualMacTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 11);

  private static InetAddress ip(String literal) throws IOException {
    return InetAddress.getByName(literal);
  }

  private static CarpHostConfig.Builder config(int advskew) {
    return CarpHostConfig.builder()
        .iface("eth0")
        .vhid(10)
        .passphrase("s3cr3t")
        .virtualAddress("192.0.2.100/24")
        .advskew(advskew);
  }

  private CarpHost start(SimulatedPlatform platform, CarpHostConfig config) throws IOException {
    CarpHost host = CarpHost.builder().platform(platform).config(config).build();
    host.start();
    return host;
  }

  @Test
  void unicastPeersHearOnlyEachOtherAndDropStrangers() throws Exception {
    SimulatedHost a = lan.addHost("a", ip("192.0.2.11"));
    SimulatedHost b = lan.addHost("b", ip("192.0.2.12"));
    SimulatedHost c = lan.addHost("c", ip("192.0.2.13"));
    // A fourth host sees every multicast advert and no unicast advert to others.
    List<String> toGroup = new ArrayList<>();
    SimulatedHost watcher = lan.addHost("w", ip("192.0.2.14"));
    watcher.onReceive(f -> toGroup.add(f.source().getHostAddress()));
    CarpHost hostA =
        start(
            new SimulatedPlatform(loop).attach("eth0", a),
            config(0).unicastPeer(ip("192.0.2.12")).build());
    CarpHost hostB =
        start(
            new SimulatedPlatform(loop).attach("eth0", b),
            config(100).unicastPeer(ip("192.0.2.11")).build());
    // Same VHID and key, multicast, and no peer of anybody: a stranger.
    CarpHost hostC = start(new SimulatedPlatform(loop).attach("eth0", c), config(0).build());
    loop.advanceBy(Duration.ofSeconds(10));

    assertEquals(Role.MASTER, hostA.role());
    assertEquals(Role.BACKUP, hostB.role(), "hears A's unicast adverts");
    assertTrue(
        hostB.statistics().advertsReceived() >= 5, "" + hostB.statistics().advertsReceived());
    assertEquals(0, hostC.statistics().advertsReceived(), "A's adverts went to B only");
    assertEquals(Role.MASTER, hostC.role(), "C heard nobody");
    assertTrue(
        hostA.statistics().drops().get(CarpDropReason.NOT_A_PEER) >= 5,
        "" + hostA.statistics().drops());
    assertTrue(
        hostB.statistics().drops().get(CarpDropReason.NOT_A_PEER) >= 5,
        "" + hostB.statistics().drops());
    assertFalse(toGroup.contains("192.0.2.11"), "A never multicast: " + toGroup);
    assertTrue(toGroup.contains("192.0.2.13"), "the watcher does see multicast: " + toGroup);
    assertEquals(
        hostA.statistics().drops().get(CarpDropReason.NOT_A_PEER),
        hostA.statistics().drops().values().stream().mapToLong(Long::longValue).sum(),
        "a stranger's adverts are dropped before the HMAC and replay checks");

    // A crashes: B takes over from its master-down timer, not because of C's adverts.
    a.crash();
    loop.advanceBy(Duration.ofMillis(3_390 + 1_000));
    assertEquals(Role.MASTER, hostB.role());
    hostA.close();
    hostB.close();
    hostC.close();
  }

  @Test
  void ipv6UnicastPeersHearOnlyEachOther() throws Exception {
    SimulatedHost a = lan.addHost("a", ip("2001:db8::11"));
    SimulatedHost b = lan.addHost("b", ip("2001:db8::12"));
    SimulatedHost c = lan.addHost("c", ip("2001:db8::13"));
    List<String> toGroup = new ArrayList<>();
    SimulatedHost watcher = lan.addHost("w", ip("2001:db8::14"));
    watcher.onReceive(f -> toGroup.add(f.destination().getHostAddress()));
    CarpHostConfig.Builder v6 =
        CarpHostConfig.builder()
            .iface("eth0")
            .vhid(10)
            .passphrase("s3cr3t")
            .virtualAddress("2001:db8::100/64");
    CarpHost hostA =
        start(
            new SimulatedPlatform(loop).attach("eth0", a),
            v6.advskew(0).unicastPeer(ip("2001:db8::12")).build());
    CarpHost hostB =
        start(
            new SimulatedPlatform(loop).attach("eth0", b),
            CarpHostConfig.builder()
                .iface("eth0")
                .vhid(10)
                .passphrase("s3cr3t")
                .virtualAddress("2001:db8::100/64")
                .advskew(100)
                .unicastPeer(ip("2001:db8::11"))
                .build());
    CarpHost hostC =
        start(
            new SimulatedPlatform(loop).attach("eth0", c),
            CarpHostConfig.builder()
                .iface("eth0")
                .vhid(10)
                .passphrase("s3cr3t")
                .virtualAddress("2001:db8::100/64")
                .build());
    loop.advanceBy(Duration.ofSeconds(10));

    assertEquals(Role.MASTER, hostA.role());
    assertEquals(Role.BACKUP, hostB.role(), "hears A's unicast IPv6 adverts");
    assertTrue(
        hostB.statistics().advertsReceived() >= 5, "" + hostB.statistics().advertsReceived());
    assertEquals(0, hostC.statistics().advertsReceived(), "A's adverts went to B only");
    assertTrue(
        hostA.statistics().drops().get(CarpDropReason.NOT_A_PEER) >= 5,
        "" + hostA.statistics().drops());
    assertFalse(toGroup.contains("2001:db8::12"), "no unicast advert seen by others: " + toGroup);
    a.crash();
    loop.advanceBy(Duration.ofMillis(3_390 + 1_000));
    assertEquals(Role.MASTER, hostB.role());
    hostA.close();
    hostB.close();
    hostC.close();
  }

  @Test
  void unicastPeersAreUnicastAddressesOfTheVipsFamilyGivenOnce() {
    assertThrows(
        InvalidConfigurationException.class,
        () -> config(0).unicastPeer(ip("2001:db8::1")).build());
    assertThrows(
        InvalidConfigurationException.class, () -> config(0).unicastPeer(ip("224.0.0.18")).build());
    assertThrows(
        InvalidConfigurationException.class,
        () -> config(0).unicastPeer(ip("192.0.2.1")).unicastPeer(ip("192.0.2.1")).build());
  }

  @Test
  void onlyTheMasterHasTheVirtualMacAndItMovesOnHandover() throws Exception {
    SimulatedPlatform pa =
        new SimulatedPlatform(loop).attach("eth0", lan.addHost("a", ip("192.0.2.11")));
    SimulatedPlatform pb =
        new SimulatedPlatform(loop).attach("eth0", lan.addHost("b", ip("192.0.2.12")));
    CarpHost a = start(pa, config(0).virtualMac(true).build());
    CarpHost b = start(pb, config(100).virtualMac(true).build());
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.BACKUP, b.role());
    byte[] vmac = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x0a};
    assertArrayEquals(vmac, pa.interfaceState("carp.10.eth0").mac());
    assertTrue(
        pa.addresses("carp.10.eth0").contains("192.0.2.100/24"), "" + pa.addresses("carp.10.eth0"));
    assertFalse(pa.addresses("eth0").contains("192.0.2.100/24"));
    assertThrows(IOException.class, () -> pb.interfaceState("carp.10.eth0"), "a backup has none");
    long announced = pa.announcementsSent();
    assertTrue(announced >= 1);

    a.close();
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(Role.MASTER, b.role());
    assertThrows(IOException.class, () -> pa.interfaceState("carp.10.eth0"), "deleted on leaving");
    assertArrayEquals(vmac, pb.interfaceState("carp.10.eth0").mac());
    assertTrue(pb.addresses("carp.10.eth0").contains("192.0.2.100/24"));
    assertTrue(pb.announcementsSent() >= 1);
    b.close();
    assertThrows(IOException.class, () -> pb.interfaceState("carp.10.eth0"));
  }

  @Test
  void aStaleVirtualMacFromACrashedRunIsDeletedAtStart() throws Exception {
    SimulatedPlatform p =
        new SimulatedPlatform(loop).attach("eth0", lan.addHost("a", ip("192.0.2.11")));
    p.createVirtualMac("carp.10.eth0", "eth0", new byte[] {0, 0, 0x5e, 0, 1, 10});
    p.addAddress("carp.10.eth0", ip("192.0.2.100"), 24);
    SimulatedPlatform other =
        new SimulatedPlatform(loop).attach("eth0", lan.addHost("b", ip("192.0.2.12")));
    CarpHost master = start(other, config(0).build());
    loop.advanceBy(Duration.ofSeconds(5));
    CarpHost backup = start(p, config(100).virtualMac(true).build());
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.BACKUP, backup.role());
    assertThrows(IOException.class, () -> p.interfaceState("carp.10.eth0"));
    backup.close();
    master.close();
  }
}
