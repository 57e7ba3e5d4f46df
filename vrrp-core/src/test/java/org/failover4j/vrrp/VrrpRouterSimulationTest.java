package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.Test;

/** The whole runtime (codec, state machine, timers, addresses) on the simulated LAN. */
class VrrpRouterSimulationTest {

  private final SimulatedLan lan = new SimulatedLan(1);

  @Test
  void electsTheHighestPriorityFailsOverAndPreemptsBack() {
    SimulatedLan.Node high = lan.add(200);
    SimulatedLan.Node mid = lan.add(150);
    SimulatedLan.Node low = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(List.of(high), lan.masters());
    assertTrue(high.holdsVip());
    assertFalse(mid.holdsVip());
    assertEquals(Role.BACKUP, low.role());
    assertEquals(
        List.of("0ms INITIALIZE created", "0ms BACKUP startup", "3218ms MASTER master-down"),
        high.events);

    high.crash();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(List.of(mid), lan.masters());
    assertTrue(mid.holdsVip());

    high.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(List.of(high), lan.masters());
    assertFalse(mid.holdsVip(), "the preempted master removed its address");
    assertTrue(mid.events.get(mid.events.size() - 1).endsWith("BACKUP higher-priority"));
    assertTrue(high.events.get(high.events.size() - 1).endsWith("MASTER preempt"));
  }

  @Test
  void gracefulShutdownHandsOverAfterSkewTimeOnly() {
    SimulatedLan.Node first = lan.add(200);
    SimulatedLan.Node second = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    long before = lan.loop.nanoTime();
    first.stop();
    lan.loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(second), lan.masters());
    String last = second.events.get(second.events.size() - 1);
    assertTrue(last.endsWith("MASTER priority-zero"), last);
    long tookMs = Long.parseLong(last.substring(0, last.indexOf("ms"))) - before / 1_000_000;
    // Skew for priority 100 at 1 s is 609 ms; the delivery takes 1 ms.
    assertEquals(610, tookMs);
    assertEquals(1, second.instance().statistics().priorityZeroReceived());
  }

  @Test
  void adVersion2IntervalMismatchIsDroppedAndCounted() {
    SimulatedLan.Node v2 = lan.add(200, b -> b.version(2));
    SimulatedLan.Node other = lan.add(100, b -> b.version(2).advertInterval(Duration.ofSeconds(2)));
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(20));
    assertEquals(Role.MASTER, v2.role());
    assertEquals(Role.MASTER, other.role(), "keepalived drops v2 adverts with another interval");
    assertTrue(other.instance().statistics().dropped(VrrpDropReason.INTERVAL_MISMATCH) > 5);
  }

  @Test
  void unicastCopiesOfOneAdvertShareTheIpIdAndAhSequence() {
    SimulatedLan.Node sender =
        lan.add(
            200,
            b ->
                b.version(2)
                    .authAh("secret12")
                    .unicastPeer(SimulatedLan.ip("192.0.2.12"))
                    .unicastPeer(SimulatedLan.ip("192.0.2.13")));
    java.util.List<String> first = new java.util.ArrayList<>();
    java.util.List<String> second = new java.util.ArrayList<>();
    lan.network.addHost("p1", SimulatedLan.ip("192.0.2.12")).onReceive(f -> first.add(numbers(f)));
    lan.network.addHost("p2", SimulatedLan.ip("192.0.2.13")).onReceive(f -> second.add(numbers(f)));
    sender.start();
    lan.loop.advanceBy(Duration.ofSeconds(8));
    assertTrue(first.size() >= 4, first.toString());
    assertEquals(first, second, "the same ID and sequence number to both peers");
    assertEquals("id 1 seq 1", first.get(0));
    assertEquals("id 2 seq 2", first.get(1));
  }

  /** The IPv4 identification and AH sequence number of a frame. */
  private static String numbers(org.failover4j.api.sim.SimulatedFrame frame) {
    java.nio.ByteBuffer p = frame.payload();
    int at = p.position();
    return "id " + (p.getShort(at + 4) & 0xFFFF) + " seq " + p.getInt(at + 20 + 8);
  }

  @Test
  void ipsecAhRoutersAgreeAndKeepCountersInStep() {
    SimulatedLan.Node first = lan.add(200, b -> b.version(2).authAh("secret12"));
    SimulatedLan.Node second = lan.add(100, b -> b.version(2).authAh("secret12"));
    SimulatedLan.Node wrongKey = lan.add(50, b -> b.version(2).authAh("other"));
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(30));
    assertEquals(Role.MASTER, first.role());
    assertEquals(Role.BACKUP, second.role());
    VrrpStatistics seen = second.instance().statistics();
    assertEquals(seen.dropped(VrrpDropReason.BAD_ICV), seen.totalDropped(), "only the stranger");
    assertTrue(seen.advertsReceived() >= 25, "accepted every advert of the master");
    assertEquals(Role.MASTER, wrongKey.role(), "it cannot verify anyone");
    assertTrue(wrongKey.instance().statistics().dropped(VrrpDropReason.BAD_ICV) > 20);
  }
}
