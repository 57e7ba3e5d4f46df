package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.failover4j.api.Role;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.lab.Json;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.VrrpStatistics;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/**
 * {@code failover4j vrrp}'s counters: printed on a real SIGUSR1 (raised in this JVM, handled by the
 * handler the command installs) and when it exits, with the instance on the simulated LAN and
 * forged packets to count.
 */
class VrrpCountersTest {

  private static final InetAddress GROUP = ip("224.0.0.18");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** A VRRPv3 advert from 192.0.2.99 for {@code vrid} with the given TTL. */
  private static ByteBuffer advert(int vrid, int ttl) {
    VrrpWireConfig wire =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(vrid)
            .interval(Duration.ofMillis(100))
            .virtualAddresses(ip("192.0.2.100"))
            .ttl(ttl)
            .build();
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(wire);
    ByteBuffer b = ByteBuffer.allocate(encoder.ipv4Length());
    encoder.encodeIpv4(b, 0, 50, 0xc0000263, 0xe0000012, 1, 0);
    return b;
  }

  private List<Map<String, Object>> counterLines() {
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .map(Json::parseObject)
        .filter(l -> "counters".equals(l.get("event")))
        .toList();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void sigusr1PrintsTheCountersAndExitPrintsThemAgain() throws Exception {
    ExecutorService command = Executors.newSingleThreadExecutor();
    try (PollEventLoop loop = PollEventLoop.start("counters-test")) {
      SimulatedNetwork lan = new SimulatedNetwork(loop, 7);
      SimulatedHost host = lan.addHost("a", ip("192.0.2.11"));
      SimulatedHost forger = lan.addHost("x", ip("192.0.2.99"));
      VrrpRouter router =
          VrrpRouter.builder()
              .ownedPlatform(new SimulatedPlatform(loop).attach("eth0", host))
              .instance(
                  VrrpInstanceConfig.builder("vrrp-42")
                      .iface("eth0")
                      .vrid(42)
                      .priority(200)
                      .advertInterval(Duration.ofMillis(100))
                      .virtualAddress("192.0.2.100/24")
                      .build())
              .build();
      VrrpInstance instance = router.instance("vrrp-42");
      CountDownLatch stop = new CountDownLatch(1);
      PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
      Future<Integer> status =
          command.submit(() -> VrrpCommand.serve(router, "vrrp-42", true, stop, stdout, stdout));
      assertTrue(instance.awaitRole(Role.MASTER, Duration.ofSeconds(20)));

      loop.execute(
          () -> {
            for (int i = 0; i < 3; i++) {
              forger.send(GROUP, advert(42, 254)); // a hop away: BAD_TTL
            }
            for (int i = 0; i < 2; i++) {
              forger.send(GROUP, advert(99, 255)); // nobody here runs VRID 99
            }
          });
      await(
          () ->
              instance.statistics().dropped(VrrpDropReason.BAD_TTL) == 3
                  && router.statistics().drops().get(AdvertDropReason.UNCLAIMED_VRRP) == 2,
          "the forged packets to be counted");

      Signal.raise(new Signal("USR1"));
      await(() -> counterLines().size() == 1, "the counters after SIGUSR1");
      Map<String, Object> first = counterLines().get(0);
      assertEquals(42L, first.get("vrid"));
      assertEquals("MASTER", first.get("role"));
      assertEquals(1L, first.get("became_master"));
      assertTrue((Long) first.get("adverts_sent") >= 1, first.toString());
      assertEquals(3L, first.get("dropped"));
      assertEquals(Map.of("BAD_TTL", 3L), first.get("drops"));
      assertEquals(Map.of("UNCLAIMED_VRRP", 2L), first.get("unclaimed_drops"));
      Instant.parse((String) first.get("time"));

      stop.countDown();
      assertEquals(0, status.get(20, TimeUnit.SECONDS));
      List<Map<String, Object>> lines = counterLines();
      assertEquals(2, lines.size(), out.toString(StandardCharsets.UTF_8));
      Map<String, Object> last = lines.get(1);
      assertEquals("STOPPED", last.get("role"));
      assertEquals(1L, last.get("priority_zero_sent"), "the graceful exit is counted");
      assertEquals(1L, last.get("released_master"));
      VrrpStatistics finalCounts = instance.statistics();
      assertEquals(finalCounts.advertsSent(), last.get("adverts_sent"));
      assertTrue(finalCounts.advertsSent() > (Long) first.get("adverts_sent"));
      String lastLine = out.toString(StandardCharsets.UTF_8).strip();
      assertTrue(lastLine.endsWith("\"unclaimed_drops\":{\"UNCLAIMED_VRRP\":2}}"), lastLine);
    } finally {
      command.shutdownNow();
    }
  }

  @Test
  void textModeListsTheReasonsThatCounted() {
    VrrpStatistics s =
        new VrrpStatistics(
            1,
            0,
            5,
            12,
            0,
            0,
            0,
            0,
            0,
            Map.of(VrrpDropReason.BAD_TTL, 3L, VrrpDropReason.BAD_ICV, 0L));
    assertEquals(
        "2026-01-01T00:00:00.000Z VRID 60 counters: MASTER, sent 12 (priority 0: 0), received 5"
            + " (priority 0: 0), became master 1, released master 0, dropped 3 (BAD_TTL 3),"
            + " unclaimed 2 (UNCLAIMED_VRRP 2)",
        CounterReport.text(
            60,
            Role.MASTER,
            Instant.parse("2026-01-01T00:00:00Z"),
            s,
            Map.of(AdvertDropReason.UNCLAIMED_VRRP, 2L)));
  }
}
