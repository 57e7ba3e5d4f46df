package org.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.failover4j.api.Role;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot application configured only by properties runs its router on the simulated platform
 * beside a peer the test starts: it elects itself, yields to a preempting peer, takes over when the
 * peer dies, and goes to FAULT when its link fails; events, the master-only bean, health and meters
 * follow each step.
 */
@SpringBootTest(
    classes = SimulatedFailoverTest.App.class,
    properties = {
      "failover4j.platform=simulated",
      "failover4j.vrrp.instances.web.interface=eth0",
      "failover4j.vrrp.instances.web.vrid=51",
      "failover4j.vrrp.instances.web.priority=150",
      "failover4j.vrrp.instances.web.advert-interval=100ms",
      "failover4j.vrrp.instances.web.virtual-addresses=192.0.2.100/24",
      "failover4j.vrrp.instances.web.announcements.delay=0s"
    })
class SimulatedFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The application: a service that must run only on the master, and an event recorder. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    @MasterOnly
    MasterService masterService() {
      return new MasterService();
    }

    @Bean
    Recorder recorder() {
      return new Recorder();
    }
  }

  /** Stands for a scheduler or consumer that must run on one node only. */
  static class MasterService implements Lifecycle {
    private volatile boolean running;
    final List<Boolean> switches = new CopyOnWriteArrayList<>();

    @Override
    public void start() {
      running = true;
      switches.add(true);
    }

    @Override
    public void stop() {
      running = false;
      switches.add(false);
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }

  /** Records role events as "ROLE reason". */
  static class Recorder {
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile boolean serviceRunningWhenMaster;
    @Autowired MasterService service;

    @EventListener
    void on(RoleChangedEvent e) {
      if (e.isMaster()) {
        serviceRunningWhenMaster = service.isRunning();
      }
      events.add(e.name() + " " + e.role() + " " + e.change().reason());
    }
  }

  @Autowired VrrpRouter router;
  @Autowired SimulatedLan lan;
  @Autowired MasterService service;
  @Autowired Recorder recorder;
  @Autowired MeterRegistry meters;
  @Autowired HealthContributorRegistry health;

  private Health health() {
    return ((HealthIndicator) health.getContributor("failover4j")).health();
  }

  private double roleGauge(String role) {
    return meters
        .get("failover4j.vrrp.role")
        .tag("instance", "web")
        .tag("role", role)
        .gauge()
        .value();
  }

  @SuppressWarnings("unchecked")
  private Object healthRole() {
    Map<String, Object> instances = (Map<String, Object>) health().getDetails().get("instances");
    return ((Map<String, Object>) instances.get("web")).get("role");
  }

  @Test
  void electsYieldsTakesOverAndReportsEachStep() throws Exception {
    // Alone on the LAN: master, the service runs, the address is on the interface.
    assertTrue(router.instance("web").awaitRole(Role.MASTER, WAIT));
    await(service::isRunning);
    assertTrue(recorder.serviceRunningWhenMaster, "master-only beans start before the event");
    assertThat(lan.addresses("eth0")).contains("192.0.2.100/24");
    assertEquals(Status.UP, health().getStatus());
    assertEquals(Role.MASTER, healthRole());
    assertEquals(1.0, roleGauge("master"));

    // A peer with a higher priority preempts: backup, service stopped, address gone.
    VrrpRouter peer = peer(lan, 200, Duration.ofMillis(100));
    peer.start();
    assertTrue(router.instance("web").awaitRole(Role.BACKUP, WAIT));
    await(() -> !service.isRunning());
    assertThat(lan.addresses("eth0")).doesNotContain("192.0.2.100/24");
    assertEquals(Status.UP, health().getStatus());
    assertEquals(Role.BACKUP, healthRole());
    assertEquals(1.0, roleGauge("backup"));

    // The peer dies without a word: this node takes over after Master_Down_Interval.
    peer.closeAbruptly();
    assertTrue(router.instance("web").awaitRole(Role.MASTER, WAIT));
    await(service::isRunning);
    await(() -> recorder.events.contains("web MASTER master-down"));
    assertThat(lan.addresses("eth0")).contains("192.0.2.100/24");
    // The first election was a Master_Down expiry too.
    assertEquals(
        2.0,
        meters
            .get("failover4j.vrrp.transitions")
            .tag("instance", "web")
            .tag("to", "master")
            .tag("reason", "master-down")
            .counter()
            .count());
    assertTrue(
        meters
                .get("failover4j.vrrp.adverts.received")
                .tag("instance", "web")
                .functionCounter()
                .count()
            > 0);

    // Its own link fails: FAULT, reported as DOWN; the link returns and it is master again.
    lan.setLink("eth0", false);
    assertTrue(router.instance("web").awaitRole(Role.FAULT, WAIT));
    assertEquals(Status.DOWN, health().getStatus());
    await(() -> !service.isRunning());
    lan.setLink("eth0", true);
    assertTrue(router.instance("web").awaitRole(Role.MASTER, WAIT));
    await(service::isRunning);
    assertEquals(Status.UP, health().getStatus());
    // The application gives mastership up on its own (its service cannot start): the peer is
    // gone, so nobody serves, but the node is out of service, not broken; then it takes part again.
    router.instance("web").relinquish();
    assertTrue(router.instance("web").awaitRole(Role.FAULT, WAIT));
    await(() -> !service.isRunning());
    assertEquals(Status.OUT_OF_SERVICE, health().getStatus());
    router.instance("web").rejoin();
    assertTrue(router.instance("web").awaitRole(Role.MASTER, WAIT));
    await(service::isRunning);
    assertEquals(Status.UP, health().getStatus());
    assertEquals(List.of(true, false, true, false, true, false, true), service.switches);
    await(() -> recorder.events.size() >= 5);
    assertEquals("web MASTER", recorder.events.get(recorder.events.size() - 1).substring(0, 10));
  }

  /** A peer of instance "web" (VRID 51, same address) on the LAN of eth0 at 192.0.2.2. */
  static VrrpRouter peer(SimulatedLan lan, int priority, Duration interval) {
    return lan.peer("eth0", "192.0.2.2")
        .instance(
            VrrpInstanceConfig.builder("peer")
                .iface("eth0")
                .vrid(51)
                .priority(priority)
                .advertInterval(interval)
                .virtualAddress("192.0.2.100/24")
                .build())
        .build();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(10);
    }
  }
}
