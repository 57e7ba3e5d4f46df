package org.failover4j.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.Role;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the context hands mastership over at once: the router leaves with priority 0, and the
 * context finishes closing only after the listeners have seen the instance stop.
 */
class GracefulShutdownTest {

  /** An application configured by properties only. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  void closingTheContextLeavesWithPriorityZeroAndWaitsForListeners() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.addListeners(
        (ApplicationListener<RoleChangedEvent>)
            e -> {
              if (e.role() == Role.STOPPED) {
                sleep(300); // a listener that takes its time: close must wait for it
              }
              events.add(e.role() + " " + e.change().reason());
            });
    // The test's own LANs outlive the context, so the peer keeps running after it closes.
    SimulatedLan lan = new SimulatedLan();
    app.addInitializers(c -> c.getBeanFactory().registerSingleton("testLan", lan));
    ConfigurableApplicationContext context =
        app.run(
            "--failover4j.platform=simulated",
            "--failover4j.vrrp.instances.web.interface=eth0",
            "--failover4j.vrrp.instances.web.vrid=51",
            "--failover4j.vrrp.instances.web.priority=200",
            // 1 s adverts: a peer not told would need 3.2 s or more to take over.
            "--failover4j.vrrp.instances.web.virtual-addresses=192.0.2.100/24");
    VrrpRouter router = context.getBean(VrrpRouter.class);
    VrrpRouter peer = SimulatedFailoverTest.peer(lan, 100, Duration.ofSeconds(1));
    try {
      peer.start();
      assertTrue(router.instance("web").awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      assertTrue(peer.instance("peer").awaitRole(Role.BACKUP, Duration.ofSeconds(10)));

      long start = System.nanoTime();
      context.close();
      assertTrue(events.contains("STOPPED shutdown"), events.toString());
      assertEquals(1, router.instance("web").statistics().priorityZeroSent());
      // Priority 0 tells the backup to take over after Skew_Time, well before Master_Down.
      assertTrue(peer.instance("peer").awaitRole(Role.MASTER, Duration.ofSeconds(2)));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis < 3_000, "handover took " + tookMillis + " ms");
    } finally {
      peer.close();
      lan.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
