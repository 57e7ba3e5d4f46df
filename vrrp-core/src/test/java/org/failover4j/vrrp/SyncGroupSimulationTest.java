package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

/**
 * A router with a sync group of two instances on two simulated LANs: members the group moves must
 * keep their own timers running (adverts every interval, timeouts after a recovery).
 */
class SyncGroupSimulationTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork inside = new SimulatedNetwork(loop, 1);
  private final SimulatedNetwork outside = new SimulatedNetwork(loop, 2);
  private final List<Long> insideAdverts = new ArrayList<>();
  private final List<Long> outsideAdverts = new ArrayList<>();
  private SimulatedPlatform platform;
  private VrrpRouter router;

  private void startGroupRouter() throws Exception {
    startGroupRouter(false);
  }

  private void startGroupRouter(boolean deferTakeoverWork) throws Exception {
    SimulatedHost in = inside.addHost("r-in", SimulatedLan.ip("192.0.2.11"));
    SimulatedHost out = outside.addHost("r-out", SimulatedLan.ip("198.51.100.11"));
    watch(inside.addHost("w-in", SimulatedLan.ip("192.0.2.99")), insideAdverts);
    watch(outside.addHost("w-out", SimulatedLan.ip("198.51.100.99")), outsideAdverts);
    platform = new SimulatedPlatform(loop).attach("eth0", in).attach("eth1", out);
    platform.deferAddressAdds(deferTakeoverWork);
    router =
        VrrpRouter.builder()
            .platform(platform)
            .instance(instance("VI_IN", "eth0", 1, "192.0.2.100/24"))
            .instance(instance("VI_OUT", "eth1", 2, "198.51.100.100/24"))
            .syncGroup("G1", "VI_IN", "VI_OUT")
            .build();
    router.start();
  }

  /** Records when adverts with a live priority arrive at {@code watcher}. */
  private void watch(SimulatedHost watcher, List<Long> times) {
    watcher.onReceive(
        frame -> {
          ByteBuffer p = frame.payload();
          if ((p.get(p.position() + 22) & 0xFF) > 0) {
            times.add(loop.nanoTime() / 1_000_000);
          }
        });
  }

  private static VrrpInstanceConfig instance(String name, String iface, int vrid, String vip) {
    return VrrpInstanceConfig.builder(name).iface(iface).vrid(vrid).virtualAddress(vip).build();
  }

  @Test
  void aMemberTheGroupMadeMasterAdvertisesEveryInterval() throws Exception {
    startGroupRouter();
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, router.syncGroup("G1").role());
    // From the first advert on, one a second on each LAN: no gap of a Master_Down.
    for (List<Long> times : List.of(insideAdverts, outsideAdverts)) {
      for (int i = 1; i < times.size(); i++) {
        long gap = times.get(i) - times.get(i - 1);
        assertTrue(gap <= 1_001, "gap of " + gap + " ms in " + times);
      }
      assertTrue(times.size() >= 6, times.toString());
    }
  }

  @Test
  void aGracefulCloseStopsTheGroupWithoutAFaultAndAnAbruptOneStillSaysStopped() throws Exception {
    startGroupRouter();
    List<String> groupEvents = new ArrayList<>();
    List<String> outEvents = new ArrayList<>();
    router.syncGroup("G1").addListener(recorder(groupEvents), Runnable::run);
    router.instance("VI_OUT").addListener(recorder(outEvents), Runnable::run);
    loop.advanceBy(Duration.ofSeconds(10));
    router.close();
    router.close(); // closing twice is harmless
    assertEquals(List.of("MASTER", "STOPPED shutdown"), tail(groupEvents, 2));
    assertEquals(List.of("MASTER", "STOPPED shutdown"), tail(outEvents, 2));
    assertTrue(platform.addresses("eth1").isEmpty());

    VrrpRouter other =
        VrrpRouter.builder()
            .platform(platform)
            .instance(instance("VI_A", "eth0", 5, "192.0.2.50/24"))
            .instance(instance("VI_B", "eth1", 6, "198.51.100.50/24"))
            .syncGroup("G2", "VI_A", "VI_B")
            .build();
    other.start();
    other.closeAbruptly();
    assertEquals(org.failover4j.api.Role.STOPPED, other.syncGroup("G2").role());
  }

  @Test
  void whenTheTakeoverWorkWaitsForTheAdvertsTheGroupStillReportsAfterItsMembers() throws Exception {
    startGroupRouter(true); // as the netlink platform does when takeovers fall due together
    List<String> events = new ArrayList<>();
    router.instance("VI_IN").addListener(prefixed("VI_IN ", events), Runnable::run);
    router.instance("VI_OUT").addListener(prefixed("VI_OUT ", events), Runnable::run);
    router.syncGroup("G1").addListener(prefixed("G1 ", events), Runnable::run);
    loop.advanceBy(Duration.ofSeconds(10));

    int group = events.indexOf("G1 MASTER");
    assertTrue(group > events.indexOf("VI_IN MASTER"), events.toString());
    assertTrue(group > events.indexOf("VI_OUT MASTER"), events.toString());
    assertTrue(events.indexOf("VI_IN MASTER") >= 0 && events.indexOf("VI_OUT MASTER") >= 0);
    assertEquals(1, platform.addresses("eth0").size());
    assertEquals(1, platform.addresses("eth1").size());
    router.close();
    assertTrue(platform.addresses("eth0").isEmpty() && platform.addresses("eth1").isEmpty());
  }

  private static org.failover4j.api.RoleChangeListener prefixed(
      String source, List<String> events) {
    return e -> events.add(source + e.to());
  }

  private static org.failover4j.api.RoleListener recorder(List<String> events) {
    return new org.failover4j.api.RoleListener() {
      @Override
      public void roleChanged(org.failover4j.api.RoleChangeEvent e) {
        events.add(e.to() == Role.STOPPED ? "STOPPED " + e.reason() : e.to().name());
      }
    };
  }

  private static List<String> tail(List<String> list, int n) {
    return list.subList(Math.max(0, list.size() - n), list.size());
  }

  @Test
  void afterAFaultAndRecoveryWithNoPeerTheGroupBecomesMasterAgain() throws Exception {
    startGroupRouter();
    loop.advanceBy(Duration.ofSeconds(10));
    platform.setLink("eth0", false);
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.FAULT, router.instance("VI_OUT").role());
    platform.setLink("eth0", true);
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, router.syncGroup("G1").role());
    assertEquals(Role.MASTER, router.instance("VI_IN").role());
    assertEquals(Role.MASTER, router.instance("VI_OUT").role());
  }
}
