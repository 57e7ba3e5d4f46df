package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.failover4j.api.ThreadEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

/**
 * The takeover a router plays on a simulated LAN as it starts, so its first real one is warm, and
 * the platform's own rehearsal it asks for; both after an owner's first advert.
 */
class RehearsalTest {

  @Test
  void theBackupTakesOverAndAdvertisesForEveryFamilyAndVersion() throws Exception {
    assertTrue(Rehearsal.takeover(false, 3, Duration.ofMillis(100)), "IPv4, VRRPv3");
    assertTrue(Rehearsal.takeover(true, 3, Duration.ofMillis(100)), "IPv6, VRRPv3");
    assertTrue(Rehearsal.takeover(false, 2, Duration.ofSeconds(1)), "IPv4, VRRPv2");
  }

  @Test
  void everyFamilyAndVersionAmongTheConfigurationsIsRehearsedOnce() {
    // Two IPv4 v3 instances and one IPv6 v3: two kinds, each a whole takeover.
    int played =
        Rehearsal.run(
            List.of(
                VrrpInstanceConfig.builder("a")
                    .iface("eth0")
                    .vrid(7)
                    .virtualAddress("192.0.2.100/24")
                    .build(),
                VrrpInstanceConfig.builder("b")
                    .iface("eth1")
                    .vrid(8)
                    .priority(255)
                    .virtualAddress("2001:db8::7/64")
                    .advertInterval(Duration.ofMillis(30))
                    .build(),
                VrrpInstanceConfig.builder("c")
                    .iface("eth2")
                    .vrid(9)
                    .virtualAddress("198.51.100.9/24")
                    .build()));
    assertEquals(2, played, "a rehearsal that did not take over counts as not played");
  }

  @Test
  void aStartedRouterAsksThePlatformToRehearseOnceItsOwnerHasAdvertised() throws Exception {
    ThreadEventLoop loop = ThreadEventLoop.start("rehearsal-test");
    try {
      SimulatedPlatform simulated =
          new SimulatedPlatform(loop)
              .attach(
                  "eth0",
                  new SimulatedNetwork(loop, 1).addHost("h1", InetAddress.getByName("192.0.2.1")));
      AtomicReference<VrrpRouter> router = new AtomicReference<>();
      List<Long> advertsAtEachRehearsal = new CopyOnWriteArrayList<>();
      // Any platform but the simulated one is rehearsed: this one forwards to it and records.
      Platform recording =
          (Platform)
              Proxy.newProxyInstance(
                  Platform.class.getClassLoader(),
                  new Class<?>[] {Platform.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("rehearseTakeover")) {
                      advertsAtEachRehearsal.add(
                          router.get().instance("owner").statistics().advertsSent());
                      return null;
                    }
                    try {
                      return method.invoke(simulated, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      router.set(
          VrrpRouter.builder()
              .platform(recording)
              .instance(
                  VrrpInstanceConfig.builder("owner")
                      .iface("eth0")
                      .vrid(5)
                      .priority(255)
                      .virtualAddress("192.0.2.100/24")
                      .build())
              .build());
      router.get().start();
      assertEquals(1, advertsAtEachRehearsal.size(), "asked once, by start()");
      assertTrue(advertsAtEachRehearsal.get(0) > 0, "the owner advertised before the rehearsal");
      router.get().close();
    } finally {
      loop.close();
    }
  }
}
