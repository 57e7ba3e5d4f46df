package org.failover4j.api.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 42);
  private final SimulatedHost a = lan.addHost("a", ip("192.0.2.1"));
  private final SimulatedHost b = lan.addHost("b", ip("192.0.2.2"));
  private final SimulatedHost c = lan.addHost("c", ip("192.0.2.3"));
  private final List<String> atB = new ArrayList<>();
  private final List<String> atC = new ArrayList<>();

  SimulatedNetworkTest() {
    b.onReceive(f -> atB.add(f.source().getHostAddress() + " " + f.payload().get(0)));
    c.onReceive(f -> atC.add(f.source().getHostAddress() + " " + f.payload().get(0)));
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private void send(SimulatedHost from, String to, int marker) {
    from.send(ip(to), ByteBuffer.wrap(new byte[] {(byte) marker}));
  }

  @Test
  void multicastReachesEveryOtherHostAfterTheDelay() {
    lan.setDelay(Duration.ofMillis(5), Duration.ofMillis(5));
    send(a, "224.0.0.18", 1);
    loop.advanceBy(Duration.ofMillis(4));
    assertEquals(List.of(), atB);
    loop.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("192.0.2.1 1"), atB);
    assertEquals(List.of("192.0.2.1 1"), atC);
  }

  @Test
  void unicastReachesOnlyItsDestination() {
    send(a, "192.0.2.3", 7);
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(List.of(), atB);
    assertEquals(List.of("192.0.2.1 7"), atC);
  }

  @Test
  void partitionsBlockAndHealRestores() {
    lan.partition(Set.of(a), Set.of(c));
    send(a, "224.0.0.18", 1);
    send(c, "224.0.0.18", 2);
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(List.of("192.0.2.1 1", "192.0.2.3 2"), atB);
    assertEquals(List.of(), atC);
    lan.heal();
    send(a, "224.0.0.18", 3);
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(List.of("192.0.2.1 3"), atC);
  }

  @Test
  void crashedHostsNeitherSendNorReceive() {
    c.crash();
    send(a, "224.0.0.18", 1);
    send(c, "224.0.0.18", 2);
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(List.of("192.0.2.1 1"), atB);
    assertEquals(List.of(), atC);
    c.restart();
    send(a, "224.0.0.18", 3);
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(List.of("192.0.2.1 3"), atC);
  }

  @Test
  void lossAndDuplicationHappenAtTheirRatesAndReplayFromTheSeed() {
    assertArrayEquals(run(7), run(7));
    long[] result = run(7);
    // 10,000 sends to two receivers: about 10 % lost and 10 % of the rest doubled.
    assertTrue(Math.abs(result[0] - 2_000) < 200, "lost " + result[0]);
    assertTrue(Math.abs(result[1] - 19_800) < 400, "delivered " + result[1]);
  }

  private static long[] run(long seed) {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, seed);
    lan.setLoss(0.1);
    lan.setDuplication(0.1);
    lan.setDelay(Duration.ofMillis(1), Duration.ofMillis(20));
    SimulatedHost from = lan.addHost("a", ip("192.0.2.1"));
    lan.addHost("b", ip("192.0.2.2"));
    lan.addHost("c", ip("192.0.2.3"));
    for (int i = 0; i < 10_000; i++) {
      from.send(ip("224.0.0.18"), ByteBuffer.allocate(1));
    }
    loop.advanceBy(Duration.ofSeconds(1));
    return new long[] {lan.framesDropped(), lan.framesDelivered()};
  }
}
