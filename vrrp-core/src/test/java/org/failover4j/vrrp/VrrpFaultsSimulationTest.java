package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;
import org.junit.jupiter.api.Test;

/**
 * The faults keepalived survives, on the simulated LAN: a split brain after a stall, an address
 * that cannot be added, an address removed behind the runtime's back, and a flood of lower-priority
 * adverts.
 */
class VrrpFaultsSimulationTest {

  private final SimulatedLan lan = new SimulatedLan(11);

  @Test
  void aMasterThatHearsAnotherMasterAnswersAndAnnouncesAgain() {
    SimulatedLan.Node first = lan.add(150);
    SimulatedLan.Node second = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, first.role());

    // The master stalls (a GC pause, a frozen VM): the wire hears nothing from it for 6 s.
    lan.network.partition(List.of(first.host), List.of(second.host));
    lan.loop.advanceBy(Duration.ofSeconds(6));
    assertEquals(Role.MASTER, second.role(), "the backup took over during the stall");
    long announcedBefore = first.platform.announcementsSent();

    lan.network.heal();
    lan.loop.advanceBy(Duration.ofSeconds(2));
    assertEquals(Role.MASTER, first.role());
    assertEquals(Role.BACKUP, second.role());
    assertTrue(
        first.platform.announcementsSent() > announcedBefore,
        "clients that followed the other master must be pointed back at once");
    assertTrue(first.holdsVip());
    assertFalse(second.holdsVip());
  }

  @Test
  void anInstanceThatCannotAddItsAddressesFaultsInsteadOfClaimingMaster() {
    SimulatedLan.Node privileged = lan.add(100);
    SimulatedLan.Node unprivileged = lan.add(150, b -> b.addressRetry(Duration.ofSeconds(5)));
    unprivileged.platformSetup = p -> p.refuseAddressChanges("EPERM (simulated)");
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(10));

    assertTrue(
        unprivileged.events.stream().noneMatch(e -> e.endsWith("MASTER master-down")),
        "never reported MASTER: " + unprivileged.events);
    assertTrue(unprivileged.events.stream().anyMatch(e -> e.endsWith("FAULT address-failed")));
    assertEquals(Role.MASTER, privileged.role(), "the peer serves instead");
    assertTrue(privileged.holdsVip());
    assertTrue(unprivileged.instance().statistics().addressFailures() >= 1);

    // The capability comes back: the next retry succeeds and the higher priority preempts.
    unprivileged.platform.refuseAddressChanges(null);
    lan.loop.advanceBy(Duration.ofSeconds(15));
    assertEquals(Role.MASTER, unprivileged.role());
    assertTrue(unprivileged.holdsVip());
    assertEquals(Role.BACKUP, privileged.role());
    assertFalse(privileged.holdsVip());
  }

  @Test
  void anAddressRemovedBehindTheRuntimesBackIsAddedAgain() throws Exception {
    SimulatedLan.Node master = lan.add(150);
    master.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertTrue(master.holdsVip());
    long announced = master.platform.announcementsSent();

    master.platform.removeAddressExternally("eth0", InetAddress.getByName("192.0.2.100"), 24);
    lan.loop.advanceBy(Duration.ofMillis(10));
    assertTrue(master.holdsVip(), "restored");
    assertTrue(master.platform.announcementsSent() > announced, "and announced again");
    assertEquals(1, master.instance().statistics().addressesRestored());
    assertEquals(Role.MASTER, master.role());
  }

  @Test
  void aFloodOfLowerPriorityAdvertsIsAnsweredAtMostOncePerInterval() throws Exception {
    SimulatedLan.Node master = lan.add(150);
    master.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    long sentBefore = master.instance().statistics().advertsSent();

    flood(lan.network.addHost("attacker", SimulatedLan.ip("192.0.2.66")), 5_000);
    lan.loop.advanceBy(Duration.ofMillis(999));

    long sent = master.instance().statistics().advertsSent() - sentBefore;
    assertTrue(sent <= 2, "one periodic advert and one answer at most, was " + sent);
    assertTrue(master.instance().statistics().answersSuppressed() >= 4_998);
    assertEquals(Role.MASTER, master.role());
  }

  @Test
  void lowerPriorityNoAdvertAnnouncesWithoutAnswering() throws Exception {
    SimulatedLan.Node master = lan.add(150, b -> b.lowerPriorityNoAdvert(true));
    master.start();
    lan.loop.advanceBy(Duration.ofSeconds(8));
    long sentBefore = master.instance().statistics().advertsSent();
    long announcedBefore = master.platform.announcementsSent();

    // 20 ms after a whole second: between two periodic adverts (every second from ~3.4 s).
    flood(lan.network.addHost("peer", SimulatedLan.ip("192.0.2.66")), 1);
    lan.loop.advanceBy(Duration.ofMillis(20));

    assertEquals(sentBefore, master.instance().statistics().advertsSent());
    assertTrue(master.platform.announcementsSent() > announcedBefore);
  }

  @Test
  void theHostsOwnAddressIsRefusedAsAVipUnlessThisIsItsOwner() throws Exception {
    // r1's interface address is 192.0.2.11: a backup with that VIP would delete it.
    SimulatedLan.Node backup = lan.add(100, b -> b.virtualAddress("192.0.2.11/24"));
    java.io.UncheckedIOException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.UncheckedIOException.class, backup::start);
    assertTrue(refused.getCause().getMessage().contains("eth0's own address"));

    SimulatedLan.Node owner = lan.add(255, b -> b.virtualAddress("192.0.2.12/24"));
    owner.start();
    lan.loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(Role.MASTER, owner.role());
    owner.stop();
    assertEquals(Role.STOPPED, owner.role());
  }

  @Test
  void peersWithDifferentSecretsAreLoggedOncePerIntervalWithoutTheSecret() {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(captured, true));
    try {
      SimulatedLan.Node a = lan.add(150, b -> b.version(2).authPassword("alpha123"));
      SimulatedLan.Node b = lan.add(100, x -> x.version(2).authPassword("bravo456"));
      lan.nodes.forEach(SimulatedLan.Node::start);
      lan.loop.advanceBy(Duration.ofSeconds(12));
      assertEquals(Role.MASTER, a.role());
      assertEquals(Role.MASTER, b.role(), "neither accepts the other: a split brain to report");
    } finally {
      System.setErr(original);
    }
    String log = captured.toString();
    long warnings =
        log.lines().filter(l -> l.contains("failed authentication (AUTH_FAILURE)")).count();
    assertTrue(warnings >= 2 && warnings <= 4, "rate-limited, per instance: " + log);
    assertFalse(log.contains("alpha123") || log.contains("bravo456"), "no secret in the log");
  }

  /** Sends {@code count} valid VRRPv3 adverts with priority 50 for the LAN's VRID and address. */
  private void flood(SimulatedHost from, int count) throws Exception {
    VrrpWireConfig wire =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(60)
            .interval(Duration.ofSeconds(1))
            .virtualAddresses(List.of(InetAddress.getByName("192.0.2.100")))
            .build();
    ByteBuffer buffer = ByteBuffer.allocate(1500);
    int source = ByteBuffer.wrap(from.address().getAddress()).getInt();
    int length = new VrrpPacketEncoder(wire).encodeIpv4(buffer, 0, 50, source, 0xe0000012, 1, 0);
    buffer.limit(length);
    for (int i = 0; i < count; i++) {
      from.send(IpFamily.IPV4.advertGroup(), buffer);
    }
  }
}
