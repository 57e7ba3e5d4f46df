package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.failover4j.api.Role;
import org.failover4j.vrrp.election.ElectionTiming;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded fault scenarios on the simulated LAN: 3 to 7 routers with random priorities
 * suffer loss, delay, duplication, partitions, crashes and restarts; then the network heals. Within
 * two Master_Down_Intervals there must be exactly one master, the highest-priority live router
 * (ties to the higher address), holding the virtual address alone, and nothing may change after
 * that. A failing seed is printed; {@code -Dfailover4j.sim.seed=N} replays it.
 */
class VrrpSimulationScenariosTest {

  private static final int SCENARIOS = Integer.getInteger("failover4j.sim.scenarios", 2_000);

  @Test
  void oneHighestMasterAfterEveryHealing() {
    Long fixed = Long.getLong("failover4j.sim.seed");
    long base = fixed != null ? fixed : new Random().nextLong();
    int count = fixed != null ? 1 : SCENARIOS;
    for (int i = 0; i < count; i++) {
      long seed = base + i;
      try {
        runScenario(seed);
      } catch (AssertionError | RuntimeException e) {
        fail(
            "scenario failed; replay with -Dfailover4j.sim.seed=" + seed + ": " + e.getMessage(),
            e);
      }
    }
  }

  @Test
  void onePercentLossCausesNoSpuriousTransitionInAnHour() {
    for (long seed = 1; seed <= 5; seed++) {
      SimulatedLan lan = new SimulatedLan(seed);
      lan.network.setLoss(0.01);
      lan.network.setDelay(Duration.ofMillis(1), Duration.ofMillis(5));
      for (int p : new int[] {200, 150, 120, 100, 50}) {
        lan.add(p);
      }
      lan.nodes.forEach(SimulatedLan.Node::start);
      lan.loop.advanceBy(Duration.ofSeconds(10));
      List<Integer> before = transitions(lan);
      lan.loop.advanceBy(Duration.ofHours(1));
      assertEquals(before, transitions(lan), "seed " + seed + ": " + lan.nodes.get(0).events);
      assertEquals(List.of(lan.nodes.get(0)), lan.masters(), "seed " + seed);
    }
  }

  private static List<Integer> transitions(SimulatedLan lan) {
    return lan.nodes.stream().map(n -> n.events.size()).toList();
  }

  private static void runScenario(long seed) {
    Random random = new Random(seed);
    SimulatedLan lan = new SimulatedLan(seed);
    int version = random.nextInt(4) == 0 ? 2 : 3;
    int intervalCentis = version == 2 ? 100 : new int[] {10, 50, 100}[random.nextInt(3)];
    Duration interval = Duration.ofMillis(intervalCentis * 10L);
    int routers = 3 + random.nextInt(5);
    for (int i = 0; i < routers; i++) {
      int priority = 1 + random.nextInt(254);
      lan.add(priority, b -> b.version(version).advertInterval(interval));
    }
    long intervalNanos = interval.toNanos();
    for (SimulatedLan.Node node : lan.nodes) {
      lan.loop.advanceBy(Duration.ofNanos(random.nextInt((int) intervalNanos)));
      node.start();
    }

    // Chaos: a random fault every few intervals.
    int faults = 5 + random.nextInt(15);
    for (int f = 0; f < faults; f++) {
      applyRandomFault(lan, random);
      lan.loop.advanceBy(Duration.ofNanos(intervalNanos * (1 + random.nextInt(8))));
    }

    // Heal: no more faults; crashed routers stay down or come back at random.
    lan.network.heal();
    lan.network.setLoss(0);
    lan.network.setDuplication(0);
    lan.network.setDelay(Duration.ofMillis(1), Duration.ofMillis(2));
    for (SimulatedLan.Node node : lan.nodes) {
      if (!node.running() && random.nextBoolean()) {
        node.start();
      }
    }
    if (lan.nodes.stream().noneMatch(SimulatedLan.Node::running)) {
      lan.nodes.get(0).start();
    }
    long masterDown = ElectionTiming.masterDownNanos(version, 1, intervalCentis);
    lan.loop.advanceBy(Duration.ofNanos(2 * masterDown));

    // RFC 5798: a backup never preempts an equal priority, so any of the tied highest may win.
    int highest =
        lan.nodes.stream()
            .filter(SimulatedLan.Node::running)
            .mapToInt(n -> n.priority)
            .max()
            .orElseThrow();
    List<SimulatedLan.Node> masters = lan.masters();
    assertEquals(1, masters.size(), "one master " + describe(lan, version, intervalCentis));
    SimulatedLan.Node expected = masters.get(0);
    assertEquals(
        highest, expected.priority, "highest priority " + describe(lan, version, intervalCentis));
    for (SimulatedLan.Node node : lan.nodes) {
      if (node.running()) {
        assertEquals(
            node == expected,
            node.holdsVip(),
            node.name + " VIP " + describe(lan, version, intervalCentis));
      }
    }
    List<Integer> settled = transitions(lan);
    lan.loop.advanceBy(Duration.ofNanos(20 * intervalNanos));
    assertEquals(
        settled,
        transitions(lan),
        "flapping after convergence " + describe(lan, version, intervalCentis));
  }

  private static void applyRandomFault(SimulatedLan lan, Random random) {
    List<SimulatedLan.Node> nodes = lan.nodes;
    SimulatedLan.Node node = nodes.get(random.nextInt(nodes.size()));
    switch (random.nextInt(7)) {
      case 0 -> {
        if (node.running()) {
          node.crash();
        }
      }
      case 1 -> {
        if (!node.running()) {
          node.start();
        }
      }
      case 2 -> {
        if (node.running() && random.nextBoolean()) {
          node.stop();
        }
      }
      case 3 -> {
        List<SimulatedLan.Node> side = new ArrayList<>();
        List<SimulatedLan.Node> other = new ArrayList<>();
        nodes.forEach(n -> (random.nextBoolean() ? side : other).add(n));
        lan.network.partition(
            side.stream().map(n -> n.host).toList(), other.stream().map(n -> n.host).toList());
      }
      case 4 -> lan.network.heal();
      case 5 -> lan.network.setLoss(random.nextDouble() * 0.3);
      default -> {
        lan.network.setDuplication(random.nextDouble() * 0.2);
        lan.network.setDelay(Duration.ofMillis(0), Duration.ofMillis(random.nextInt(30)));
      }
    }
  }

  private static String describe(SimulatedLan lan, int version, int intervalCentis) {
    StringBuilder sb = new StringBuilder("v" + version + " " + intervalCentis * 10 + "ms:");
    for (SimulatedLan.Node n : lan.nodes) {
      sb.append("\n  ")
          .append(n.name)
          .append(" prio ")
          .append(n.priority)
          .append(' ')
          .append(n.running() ? n.role() : Role.STOPPED)
          .append(' ')
          .append(n.events);
    }
    return sb.toString();
  }
}
