package org.failover4j.carp.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.failover4j.api.DropCounters;
import org.failover4j.api.Role;
import org.failover4j.api.Timer;
import org.failover4j.api.TransitionReason;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedFrame;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.carp.codec.CarpAdvertEncoder;
import org.failover4j.carp.codec.CarpAdvertValidator;
import org.failover4j.carp.codec.CarpDropReason;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.codec.CarpPacketDecoder;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;
import org.junit.jupiter.api.Test;

/**
 * CARP hosts on failover-api's simulated LAN under virtual time: the real encoder, validator
 * (replay-protected) and state machine, with loss, duplication, delay, partitions and frozen hosts.
 * Invariants: one master per VHID once the network heals, the most preferred host wins with
 * preemption, and no role changes at 1 % loss. Each scenario replays from its seed (printed on
 * failure; {@code -Dfailover4j.seed=N} runs that one alone).
 */
class CarpSimulationTest {

  private static final InetAddress GROUP = inet("224.0.0.18");
  private static final Long ONLY_SEED = Long.getLong("failover4j.seed");

  private static InetAddress inet(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** One simulated CARP host: codec, replay window, election, one timer. */
  private static final class Node implements CarpActions {
    final SimulatedHost host;
    final VirtualTimeEventLoop loop;
    final CarpStateMachine machine;
    final CarpAdvertEncoder encoder;
    final CarpAdvertValidator validator;
    final SendCounter counter;
    final CarpPacketDecoder decoder = new CarpPacketDecoder();
    final DropCounters<CarpDropReason> drops = new DropCounters<>(CarpDropReason.class);
    final ByteBuffer out = ByteBuffer.allocate(CarpAdvertEncoder.IPV4_LENGTH);
    final byte[] source = new byte[4];
    final Timer timer;
    final int sourceInt;
    int id;

    Node(SimulatedNetwork lan, VirtualTimeEventLoop loop, int index, int advskew, long seed) {
      InetAddress address = inet("192.0.2." + (10 + index));
      this.host = lan.addHost("h" + index, address);
      this.loop = loop;
      CarpKey key =
          CarpKey.of(7, "sim-key".getBytes(StandardCharsets.UTF_8), List.of(inet("192.0.2.7")));
      CarpHmac hmac = new CarpHmac();
      this.counter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(seed));
      this.encoder = new CarpAdvertEncoder(hmac, key);
      this.validator =
          new CarpAdvertValidator(key, hmac, counter, new ReplayGuard(8), address.getAddress());
      this.machine =
          new CarpStateMachine(new CarpElectionConfig(7, 1, advskew, true, address), this);
      this.sourceInt = ByteBuffer.wrap(address.getAddress()).getInt();
      this.timer = loop.newTimer(this::fire);
      host.onReceive(this::receive);
    }

    void start() {
      machine.start(loop.nanoTime());
      rearm();
    }

    private void fire() {
      machine.onTimer(loop.nanoTime());
      rearm();
    }

    private void rearm() {
      long deadline = machine.nextDeadline();
      if (deadline == CarpStateMachine.NO_DEADLINE) {
        timer.cancel();
      } else {
        timer.scheduleAt(deadline);
      }
    }

    private void receive(SimulatedFrame frame) {
      ByteBuffer b = frame.payload();
      CarpDropReason reason = validator.validate(decoder.wrapIpv4(b, 0, b.remaining()));
      if (reason != null) {
        drops.increment(reason);
        return;
      }
      decoder.copySource(source, 0);
      var advert = decoder.advert();
      machine.onAdvert(
          loop.nanoTime(), advert.advbase(), advert.advskew(), advert.demote(), source);
      rearm();
    }

    @Override
    public void sendAdvert(int advbase, int advskew, int demote, AdvertCause cause) {
      out.clear();
      encoder.encodeIpv4(
          out,
          0,
          sourceInt,
          0xE0000012,
          ++id & 0xFFFF,
          advbase,
          advskew,
          demote,
          counter.next(loop.now().toEpochMilli()));
      host.send(GROUP, out);
    }

    @Override
    public void transition(Role from, Role to, TransitionReason reason) {}

    @Override
    public void reassert() {}

    @Override
    public String toString() {
      return host.name();
    }
  }

  private static List<Long> seeds(int count) {
    if (ONLY_SEED != null) {
      return List.of(ONLY_SEED);
    }
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= count; s++) {
      seeds.add(s * 0x9E3779B97F4A7C15L);
    }
    return seeds;
  }

  private static List<Node> masters(List<Node> nodes) {
    return nodes.stream().filter(n -> n.machine.role() == Role.MASTER).toList();
  }

  @Test
  void oneMasterPerVhidAfterPartitionsFreezesAndHealing() {
    for (long seed : seeds(40)) {
      String where = "seed " + seed;
      Random random = new Random(seed);
      VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
      SimulatedNetwork lan = new SimulatedNetwork(loop, seed);
      lan.setLoss(random.nextDouble() * 0.05);
      lan.setDuplication(random.nextDouble() * 0.05);
      lan.setDelay(Duration.ofMillis(1), Duration.ofMillis(1 + random.nextInt(20)));
      int n = 2 + random.nextInt(4);
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        nodes.add(new Node(lan, loop, i, 10 + 30 * i, random.nextLong()));
      }
      nodes.forEach(Node::start);
      loop.advanceBy(Duration.ofSeconds(20));
      for (int round = 0; round < 3; round++) {
        List<SimulatedHost> side = new ArrayList<>();
        List<SimulatedHost> other = new ArrayList<>();
        for (Node node : nodes) {
          (random.nextBoolean() ? side : other).add(node.host);
        }
        lan.partition(side, other);
        Node frozen = nodes.get(random.nextInt(n));
        if (random.nextBoolean()) {
          frozen.host.crash();
        }
        loop.advanceBy(Duration.ofSeconds(5 + random.nextInt(20)));
        lan.heal();
        frozen.host.restart();
        // A few master-down intervals after healing, exactly one master, the preferred one.
        loop.advanceBy(Duration.ofSeconds(15));
        List<Node> masters = masters(nodes);
        assertEquals(1, masters.size(), where + ", round " + round + ": " + masters.size());
        assertEquals(nodes.get(0), masters.get(0), where + ": the least skewed host wins");
      }
      long duplicates =
          nodes.stream().mapToLong(x -> x.drops.get(CarpDropReason.REPLAYED_COUNTER)).sum();
      long bad = nodes.stream().mapToLong(x -> x.drops.total()).sum() - duplicates;
      assertEquals(0, bad, where + ": only duplicates may be dropped");
    }
  }

  @Test
  void noRoleChangesAtOnePercentLoss() {
    for (long seed : seeds(10)) {
      String where = "seed " + seed;
      VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
      SimulatedNetwork lan = new SimulatedNetwork(loop, seed);
      lan.setLoss(0.01);
      lan.setDelay(Duration.ofMillis(1), Duration.ofMillis(5));
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        nodes.add(new Node(lan, loop, i, 20 * i, seed + i));
      }
      nodes.forEach(Node::start);
      loop.advanceBy(Duration.ofSeconds(10));
      assertEquals(List.of(nodes.get(0)), masters(nodes), where);
      long before = nodes.stream().mapToLong(x -> x.machine.transitions()).sum();
      loop.advanceBy(Duration.ofMinutes(10));
      long after = nodes.stream().mapToLong(x -> x.machine.transitions()).sum();
      assertEquals(before, after, where + ": role changes at 1 % loss");
      assertTrue(lan.framesDropped() > 0, where + ": the loss was real");
    }
  }
}
