package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
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
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.codec.CarpDropReason;
import org.failover4j.lab.Json;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/**
 * {@code failover4j carp} in-process on the simulated LAN: role events, the counters on a real
 * SIGUSR1 (raised in this JVM, handled by the handler the command installs) and at the exit, and
 * the graceful exit that hands the address to the backup at once.
 */
class CarpCountersTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private static CarpHostConfig config(int vhid, String pass, int advskew) {
    return CarpHostConfig.builder()
        .iface("eth0")
        .vhid(vhid)
        .passphrase(pass)
        .virtualAddress("192.0.2.100/24")
        .advskew(advskew)
        .build();
  }

  private List<Map<String, Object>> lines(String event) {
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .map(Json::parseObject)
        .filter(l -> event.equals(l.get("event")))
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
  void sigusr1PrintsTheCountersAndSigtermHandsOverAtOnce() throws Exception {
    ExecutorService command = Executors.newSingleThreadExecutor();
    try (PollEventLoop loop = PollEventLoop.start("carp-counters-test")) {
      SimulatedNetwork lan = new SimulatedNetwork(loop, 7);
      SimulatedPlatform platform =
          new SimulatedPlatform(loop).attach("eth0", lan.addHost("a", ip("192.0.2.11")));
      CarpHost host = CarpHost.builder().platform(platform).config(config(10, "s3cr3t", 0)).build();
      CarpHost backup =
          CarpHost.builder()
              .platform(
                  new SimulatedPlatform(loop).attach("eth0", lan.addHost("b", ip("192.0.2.12"))))
              .config(config(10, "s3cr3t", 100))
              .build();
      // A host with the wrong passphrase (BAD_HMAC), and one on a VHID nobody here runs.
      CarpHost wrongKey =
          CarpHost.builder()
              .platform(
                  new SimulatedPlatform(loop).attach("eth0", lan.addHost("x", ip("192.0.2.98"))))
              .config(config(10, "wrong", 200))
              .build();
      CarpHost otherVhid =
          CarpHost.builder()
              .platform(
                  new SimulatedPlatform(loop).attach("eth0", lan.addHost("y", ip("192.0.2.99"))))
              .config(config(99, "s3cr3t", 0))
              .build();
      CountDownLatch stop = new CountDownLatch(1);
      PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
      Future<Integer> status =
          command.submit(() -> CarpCommand.serve(host, true, stop, stdout, stdout));
      backup.start();
      wrongKey.start();
      otherVhid.start();
      assertTrue(host.awaitRole(Role.MASTER, Duration.ofSeconds(20)));
      await(
          () ->
              host.statistics().drops().get(CarpDropReason.BAD_HMAC) >= 1
                  && platform.advertDrops().get(AdvertDropReason.UNCLAIMED_CARP) >= 1
                  && backup.statistics().advertsReceived() >= 1,
          "a forged and an unclaimed advert");
      assertEquals(Role.BACKUP, backup.role());

      Signal.raise(new Signal("USR1"));
      await(() -> lines("counters").size() == 1, "the counters after SIGUSR1");
      Map<String, Object> first = lines("counters").get(0);
      assertEquals(10L, first.get("vhid"));
      assertEquals("MASTER", first.get("role"));
      assertEquals(1L, first.get("became_master"));
      assertEquals(0L, first.get("leaving_sent"));
      assertTrue((Long) first.get("adverts_sent") >= 1, first.toString());
      assertTrue((Long) first.get("dropped") >= 1, first.toString());
      assertEquals(first.get("dropped"), ((Map<?, ?>) first.get("drops")).get("BAD_HMAC"));
      assertTrue(((Map<?, ?>) first.get("unclaimed_drops")).containsKey("UNCLAIMED_CARP"));
      Instant.parse((String) first.get("time"));

      long stoppedAt = System.nanoTime();
      stop.countDown();
      assertEquals(0, status.get(20, TimeUnit.SECONDS));
      assertTrue(backup.awaitRole(Role.MASTER, Duration.ofSeconds(2)));
      long handover = (System.nanoTime() - stoppedAt) / 1_000_000;
      assertTrue(
          handover < 1_000, "255/255 hands over at once, not after master down: " + handover);
      assertTrue(!platform.addresses("eth0").contains("192.0.2.100/24"), "address removed");

      List<Map<String, Object>> counters = lines("counters");
      assertEquals(2, counters.size(), out.toString(StandardCharsets.UTF_8));
      Map<String, Object> last = counters.get(1);
      assertEquals("STOPPED", last.get("role"));
      assertEquals(1L, last.get("leaving_sent"), "the graceful exit is counted");
      assertEquals(1L, last.get("released_master"));
      assertEquals(host.statistics().advertsSent(), last.get("adverts_sent"));
      List<Map<String, Object>> roles = lines("role");
      assertEquals("MASTER", roles.get(roles.size() - 2).get("to"));
      assertEquals("STOPPED", roles.get(roles.size() - 1).get("to"));
      assertEquals(10L, roles.get(0).get("vhid"));
      String lastLine = out.toString(StandardCharsets.UTF_8).strip();
      assertTrue(lastLine.endsWith("}}") && lastLine.contains("\"counters\""), lastLine);
      backup.close();
      wrongKey.close();
      otherVhid.close();
    } finally {
      command.shutdownNow();
    }
  }

  @Test
  void textModeListsTheReasonsThatCounted() {
    CarpCounters c =
        new CarpCounters(
            Role.MASTER,
            12,
            5,
            0,
            1,
            0,
            0,
            Map.of(CarpDropReason.BAD_HMAC, 3L, CarpDropReason.BAD_TTL, 0L),
            Map.of(AdvertDropReason.UNCLAIMED_CARP, 2L));
    assertEquals(
        "2026-01-01T00:00:00.000Z VHID 10 counters: MASTER, sent 12 (leaving: 0), received 5,"
            + " became master 1, released master 0, send failures 0, dropped 3 (BAD_HMAC 3),"
            + " unclaimed 2 (UNCLAIMED_CARP 2)",
        c.text(10, Instant.parse("2026-01-01T00:00:00Z")));
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
