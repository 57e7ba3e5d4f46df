package org.failover4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routers with a sync group of two instances on two simulated LANs under virtual time; the backup's
 * meters are bound to a {@link SimpleMeterRegistry} and followed through a failover.
 */
class VrrpRouterMetricsTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork inside = new SimulatedNetwork(loop, 1);
  private final SimulatedNetwork outside = new SimulatedNetwork(loop, 2);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private VrrpRouter router(int n, int priority, UnaryOperator<VrrpInstanceConfig.Builder> tweak)
      throws Exception {
    SimulatedPlatform platform =
        new SimulatedPlatform(loop)
            .attach("eth0", inside.addHost("in" + n, ip("192.0.2." + (10 + n))))
            .attach("eth1", outside.addHost("out" + n, ip("198.51.100." + (10 + n))));
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(
                tweak
                    .apply(
                        VrrpInstanceConfig.builder("VI_IN")
                            .iface("eth0")
                            .vrid(1)
                            .priority(priority)
                            .virtualAddress("192.0.2.100/24"))
                    .build())
            .instance(
                VrrpInstanceConfig.builder("VI_OUT")
                    .iface("eth1")
                    .vrid(2)
                    .priority(priority)
                    .virtualAddress("198.51.100.100/24")
                    .build())
            .syncGroup("G1", "VI_IN", "VI_OUT")
            .build();
    router.start();
    return router;
  }

  /** A router of one instance on the inside LAN, without a sync group. */
  private VrrpRouter single(int n, UnaryOperator<VrrpInstanceConfig.Builder> tweak)
      throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(
                new SimulatedPlatform(loop)
                    .attach("eth0", inside.addHost("in" + n, ip("192.0.2." + (10 + n)))))
            .instance(
                tweak
                    .apply(
                        VrrpInstanceConfig.builder("OTHER")
                            .iface("eth0")
                            .vrid(1)
                            .priority(50)
                            .virtualAddress("192.0.2.100/24"))
                    .build())
            .build();
    router.start();
    return router;
  }

  private VrrpRouter first;
  private VrrpRouter second;
  private VrrpRouterMetrics metrics;

  @AfterEach
  void closeRouters() {
    for (VrrpRouter r : new VrrpRouter[] {first, second}) {
      if (r != null) {
        r.close();
      }
    }
  }

  private Search meter(String name, String instance) {
    return registry.find(name).tag("instance", instance);
  }

  private double role(String instance, Role role) {
    Gauge g =
        meter("failover4j.vrrp.role", instance).tag("role", role.name().toLowerCase()).gauge();
    return g.value();
  }

  private double count(String name, String instance) {
    return meter(name, instance).functionCounter().count();
  }

  private double transitions(String instance, String to, String reason) {
    Counter c =
        meter("failover4j.vrrp.transitions", instance)
            .tag("to", to)
            .tag("reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aFailoverMovesEachMeter() throws Exception {
    first = router(1, 200, b -> b);
    second = router(2, 100, b -> b);
    metrics = new VrrpRouterMetrics(second, List.of("G1"));
    metrics.bindTo(registry);
    loop.advanceBy(Duration.ofSeconds(10));

    // The second router is a backup: it hears adverts and sends none.
    for (String vi : List.of("VI_IN", "VI_OUT")) {
      assertEquals(1.0, role(vi, Role.BACKUP), vi);
      assertEquals(0.0, role(vi, Role.MASTER), vi);
      assertEquals(1.0, transitions(vi, "backup", "startup"), registry.getMetersAsString());
      // The first router is master after one Master_Down_Interval (3.6 s), then adverts each
      // second.
      assertTrue(count("failover4j.vrrp.adverts.received", vi) >= 6, registry.getMetersAsString());
      assertEquals(0.0, count("failover4j.vrrp.adverts.sent", vi));
      assertEquals(0.0, count("failover4j.vrrp.master.transitions", vi));
      assertEquals(100.0, meter("failover4j.vrrp.priority", vi).gauge().value());
      assertEquals(
          "eth" + (vi.equals("VI_IN") ? 0 : 1),
          meter("failover4j.vrrp.role", vi).gauge().getId().getTag("interface"));
    }
    Gauge groupBackup =
        registry
            .find("failover4j.vrrp.sync.group.role")
            .tag("group", "G1")
            .tag("role", "backup")
            .gauge();
    assertEquals(1.0, groupBackup.value());

    // The master dies without a word: after Master_Down_Interval the backup takes over. Its
    // adverts fall on a whole second, so the last one may still be on the simulated wire: the
    // count is taken once that one has landed.
    first.closeAbruptly();
    first = null;
    loop.advanceBy(Duration.ofMillis(100));
    double heard = count("failover4j.vrrp.adverts.received", "VI_IN");
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(1.0, role("VI_IN", Role.MASTER), registry.getMetersAsString());
    assertEquals(0.0, role("VI_IN", Role.BACKUP));
    assertEquals(heard, count("failover4j.vrrp.adverts.received", "VI_IN"));
    for (String vi : List.of("VI_IN", "VI_OUT")) {
      assertEquals(1.0, count("failover4j.vrrp.master.transitions", vi), vi);
      // One advert as it takes over, then one a second.
      double sent = count("failover4j.vrrp.adverts.sent", vi);
      assertTrue(sent >= 6 && sent <= 11, vi + " sent " + sent);
    }
    assertEquals(
        1.0,
        registry.find("failover4j.vrrp.sync.group.role").tag("role", "master").gauge().value());
    assertEquals(
        1.0,
        registry
            .find("failover4j.vrrp.sync.group.transitions")
            .tag("to", "master")
            .counter()
            .count());
    double toMaster =
        registry.find("failover4j.vrrp.transitions").tag("to", "master").counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    assertEquals(2.0, toMaster, registry.getMetersAsString());
    assertTrue(
        transitions("VI_IN", "master", "master-down")
                + transitions("VI_OUT", "master", "master-down")
            >= 1,
        registry.getMetersAsString());
    // Each takeover is timed step by step, in keepalived's order: advert, addresses, announcements.
    for (String vi : List.of("VI_IN", "VI_OUT")) {
      io.micrometer.core.instrument.Timer advert = takeover(vi, "advert");
      io.micrometer.core.instrument.Timer addresses = takeover(vi, "addresses");
      io.micrometer.core.instrument.Timer announced = takeover(vi, "announcements");
      assertEquals(1, advert.count(), vi);
      assertEquals(1, announced.count(), vi);
      assertTrue(
          advert.totalTime(TimeUnit.NANOSECONDS) <= addresses.totalTime(TimeUnit.NANOSECONDS));
      assertTrue(
          addresses.totalTime(TimeUnit.NANOSECONDS) <= announced.totalTime(TimeUnit.NANOSECONDS));
    }

    // A graceful close: priority 0 on the way out, then STOPPED.
    second.close();
    second = null;
    assertEquals(1.0, role("VI_IN", Role.STOPPED));
    assertEquals(1.0, count("failover4j.vrrp.priority.zero.sent", "VI_IN"));
    assertEquals(1.0, count("failover4j.vrrp.master.releases", "VI_IN"));
  }

  @Test
  void dropsAreCountedByReasonPerInstanceAndUnclaimedOnTheRouter() throws Exception {
    second = router(2, 100, b -> b);
    metrics = new VrrpRouterMetrics(second, List.of());
    metrics.bindTo(registry);
    // A misconfigured neighbour: VRRPv2 on the same VRID, and one on a VRID nobody here runs.
    first = single(3, b -> b.version(2));
    loop.advanceBy(Duration.ofSeconds(10));

    FunctionCounter versionMismatch =
        meter("failover4j.vrrp.drops", "VI_IN").tag("reason", "version-mismatch").functionCounter();
    assertTrue(versionMismatch.count() >= 5, registry.getMetersAsString());
    assertEquals(
        0.0,
        meter("failover4j.vrrp.drops", "VI_OUT")
            .tag("reason", "version-mismatch")
            .functionCounter()
            .count());
    assertEquals(
        second.instance("VI_IN").statistics().totalDropped(),
        meter("failover4j.vrrp.drops", "VI_IN").functionCounters().stream()
            .mapToDouble(FunctionCounter::count)
            .sum());
    assertEquals(0.0, count("failover4j.vrrp.adverts.received", "VI_IN"));

    VrrpRouter stranger = single(4, b -> b.vrid(99));
    try {
      loop.advanceBy(Duration.ofSeconds(10));
      FunctionCounter unknown =
          registry
              .find("failover4j.vrrp.unclaimed.drops")
              .tag("reason", "unclaimed-vrrp")
              .functionCounter();
      assertTrue(unknown.count() >= 3, registry.getMetersAsString());
    } finally {
      stranger.close();
    }
  }

  @Test
  void authHmacRefusalsAreCountedByReason() throws Exception {
    String key = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    second = router(2, 100, b -> b.authHmac(HmacAuthentication.builder().key(1, key).build()));
    metrics = new VrrpRouterMetrics(second, List.of());
    metrics.bindTo(registry);
    // A neighbour on the same VRID with another key under the same id.
    first =
        single(
            3,
            b ->
                b.priority(200)
                    .authHmac(HmacAuthentication.builder().key(1, "y".repeat(32)).build()));
    loop.advanceBy(Duration.ofSeconds(10));
    FunctionCounter bad =
        meter("failover4j.vrrp.drops", "VI_IN").tag("reason", "hmac-bad").functionCounter();
    assertTrue(bad.count() >= 5, registry.getMetersAsString());
    assertEquals(
        second.instance("VI_IN").statistics().dropped(VrrpDropReason.HMAC_BAD), bad.count());
    assertEquals(
        0.0,
        meter("failover4j.vrrp.drops", "VI_IN")
            .tag("reason", "hmac-replayed")
            .functionCounter()
            .count());
  }

  @Test
  void closingTheBinderRemovesItsMetersAndStopsCounting() throws Exception {
    second = router(2, 100, b -> b);
    metrics = new VrrpRouterMetrics(second, List.of("G1"));
    metrics.bindTo(registry);
    loop.advanceBy(Duration.ofSeconds(5));
    assertTrue(registry.getMeters().size() > 60, registry.getMetersAsString());
    metrics.close();
    assertEquals(List.of(), registry.getMeters());
    second.close();
    second = null;
    assertNull(registry.find("failover4j.vrrp.transitions").counter());
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private io.micrometer.core.instrument.Timer takeover(String instance, String phase) {
    return registry
        .find("failover4j.vrrp.takeover")
        .tag("instance", instance)
        .tag("phase", phase)
        .timer();
  }
}
