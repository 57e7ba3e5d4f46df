package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.junit.jupiter.api.Test;

/** What a newcomer relies on at the edges of a router's life. */
class VrrpLifecycleTest {

  private final SimulatedLan lan = new SimulatedLan(3);

  @Test
  void closeWaitsUntilListenersHaveHandledStopped() throws Exception {
    SimulatedLan.Node node = lan.add(150);
    node.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    AtomicBoolean cleanedUp = new AtomicBoolean();
    node.instance()
        .addListener(
            new RoleListener() {
              @Override
              public void stopped(RoleChangeEvent event) {
                try {
                  Thread.sleep(300); // slow cleanup, as an application's stop hook may be
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                cleanedUp.set(true);
              }
            });
    node.stop();
    assertTrue(cleanedUp.get(), "close() returned before stopped() finished");
  }

  @Test
  void awaitingARoleOfAStoppedInstanceReturnsFalseAtOnce() throws Exception {
    SimulatedLan.Node node = lan.add(100);
    node.start();
    VrrpInstance instance = node.instance();
    node.stop();
    assertEquals(Role.STOPPED, instance.role());
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertFalse(instance.awaitRole(Role.MASTER, Duration.ofHours(1))));
  }

  @Test
  void anApplicationCanGiveUpMastershipAndTakePartAgain() {
    SimulatedLan.Node first = lan.add(150);
    SimulatedLan.Node second = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    first.instance().addListener(e -> seen.add(e.to() + " " + e.reason()), Runnable::run);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, first.role());

    first.instance().relinquish();
    lan.loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(Role.FAULT, first.role());
    assertEquals(Role.MASTER, second.role(), "priority 0 let the peer take over after Skew_Time");
    assertTrue(seen.contains("FAULT relinquished"), seen.toString());

    first.instance().rejoin();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, first.role(), "back, and preempting with its higher priority");
    assertEquals(Role.BACKUP, second.role());
  }

  @Test
  void twoInstancesWithOneVridOnOneInterfaceAreRefusedAtBuild() {
    VrrpRouter.Builder builder =
        VrrpRouter.builder()
            .platform(new org.failover4j.api.sim.SimulatedPlatform(lan.loop))
            .instance(
                VrrpInstanceConfig.builder("A")
                    .iface("eth0")
                    .vrid(7)
                    .virtualAddress("192.0.2.7")
                    .build())
            .instance(
                VrrpInstanceConfig.builder("B")
                    .iface("eth0")
                    .vrid(7)
                    .virtualAddress("192.0.2.8")
                    .build());
    String message =
        org.junit.jupiter.api.Assertions.assertThrows(
                org.failover4j.api.InvalidConfigurationException.class, builder::build)
            .getMessage();
    assertEquals("instance: B and A both use VRRPv3 VRID 7 over IPV4 on eth0", message);
  }

  @Test
  void aClosedRouterSaysSoWhenStartedAgain() throws Exception {
    SimulatedLan.Node node = lan.add(100);
    node.start();
    VrrpRouter router = node.router;
    assertEquals(VrrpRouter.State.STARTED, router.state());
    node.stop();
    assertEquals(VrrpRouter.State.CLOSED, router.state());
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, router::start);
    assertEquals("the router is closed; build a new one", e.getMessage());
  }

  @Test
  void aStartQueuedBeforeCloseDoesNotReopenTheRouter() throws Exception {
    try (org.failover4j.api.ThreadEventLoop loop =
        org.failover4j.api.ThreadEventLoop.start("test-loop")) {
      org.failover4j.api.sim.SimulatedNetwork network =
          new org.failover4j.api.sim.SimulatedNetwork(loop, 1);
      org.failover4j.api.sim.SimulatedPlatform platform =
          new org.failover4j.api.sim.SimulatedPlatform(loop)
              .attach("eth0", network.addHost("r1", java.net.InetAddress.getByName("192.0.2.1")));
      VrrpRouter router =
          VrrpRouter.builder()
              .platform(platform)
              .instance(
                  VrrpInstanceConfig.builder("A")
                      .iface("eth0")
                      .vrid(7)
                      .virtualAddress("192.0.2.7")
                      .build())
              .build();
      java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
      loop.execute(
          () -> {
            try {
              hold.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      java.util.concurrent.CompletableFuture<Throwable> started =
          new java.util.concurrent.CompletableFuture<>();
      Thread starter =
          new Thread(
              () -> {
                try {
                  router.start();
                  started.complete(null);
                } catch (Throwable t) {
                  started.complete(t);
                }
              });
      starter.start();
      awaitWaiting(starter); // its work is queued on the held loop
      Thread closer = new Thread(router::close);
      closer.start();
      awaitWaiting(closer); // its release is queued behind the start
      hold.countDown();
      closer.join(10_000);
      assertTrue(
          started.get(10, java.util.concurrent.TimeUnit.SECONDS)
              instanceof org.failover4j.api.SourceClosedException,
          "the start must fail as closed, got " + started.getNow(null));
      assertEquals(VrrpRouter.State.CLOSED, router.state());
      assertEquals(Role.STOPPED, router.instance("A").role());
    }
  }

  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < deadline, thread + " never waited");
      Thread.sleep(1);
    }
  }

  @Test
  void statisticsPrintOnlyTheDropsThatHappenedInAStableOrder() {
    java.util.Map<org.failover4j.vrrp.codec.VrrpDropReason, Long> drops = new java.util.HashMap<>();
    for (org.failover4j.vrrp.codec.VrrpDropReason r :
        org.failover4j.vrrp.codec.VrrpDropReason.values()) {
      drops.put(r, 0L);
    }
    org.failover4j.vrrp.codec.VrrpDropReason[] all =
        org.failover4j.vrrp.codec.VrrpDropReason.values();
    drops.put(all[all.length - 1], 2L);
    drops.put(all[0], 1L);
    String text = new VrrpStatistics(1, 0, 5, 7, 0, 0, 0, 0, 0, drops).toString();
    assertEquals(
        "VrrpStatistics[becameMaster=1, releasedMaster=0, advertsReceived=5, advertsSent=7,"
            + " priorityZeroReceived=0, priorityZeroSent=0, answersSuppressed=0,"
            + " addressFailures=0, addressesRestored=0, drops={"
            + all[0]
            + "=1, "
            + all[all.length - 1]
            + "=2}]",
        text);
  }

  @Test
  void aFailedStartIsReportedAsSuch() {
    VrrpRouter router =
        VrrpRouter.builder()
            .platform(new org.failover4j.api.sim.SimulatedPlatform(lan.loop))
            .instance(
                VrrpInstanceConfig.builder("A")
                    .iface("eth9")
                    .vrid(7)
                    .virtualAddress("192.0.2.7")
                    .build())
            .build();
    org.junit.jupiter.api.Assertions.assertThrows(Exception.class, router::start);
    assertEquals(VrrpRouter.State.FAILED, router.state());
    IllegalStateException again =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, router::start);
    assertTrue(again.getMessage().startsWith("the router failed to start ("), again.getMessage());
  }

  @Test
  void instancesAndSyncGroupsComeAndGoWithoutDisturbingTheOthers() throws Exception {
    SimulatedLan.Node node = lan.add(150);
    node.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, node.role());
    int eventsBefore = node.events.size();

    VrrpInstance added =
        node.router.addInstance(
            VrrpInstanceConfig.builder("VI_2")
                .iface("eth0")
                .vrid(61)
                .priority(150)
                .virtualAddress("192.0.2.61/24")
                .build());
    VrrpSyncGroup group =
        node.router.addSyncGroup(
            "G",
            VrrpInstanceConfig.builder("VI_3")
                .iface("eth0")
                .vrid(62)
                .priority(150)
                .virtualAddress("192.0.2.62/24")
                .build(),
            VrrpInstanceConfig.builder("VI_4")
                .iface("eth0")
                .vrid(63)
                .priority(150)
                .virtualAddress("192.0.2.63/24")
                .build());
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, added.role());
    assertEquals(Role.MASTER, group.role());
    assertTrue(
        node.platform
            .addresses("eth0")
            .containsAll(java.util.List.of("192.0.2.61/24", "192.0.2.62/24", "192.0.2.63/24")));

    node.router.removeInstance("VI_2");
    IllegalStateException inGroup =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> node.router.removeInstance("VI_3"));
    assertEquals("VI_3 is in sync group G: remove the group instead", inGroup.getMessage());
    node.router.removeSyncGroup("G");
    lan.loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(Role.STOPPED, added.role());
    assertEquals(Role.STOPPED, group.role());
    assertEquals(java.util.Set.of(SimulatedLan.VIP), node.platform.addresses("eth0"));
    assertEquals(1, node.router.instances().size());
    assertEquals(Role.MASTER, node.role());
    assertEquals(eventsBefore, node.events.size(), "VI_1 never moved: " + node.events);
    org.junit.jupiter.api.Assertions.assertThrows(
        org.failover4j.api.InvalidConfigurationException.class,
        () ->
            node.router.addInstance(
                VrrpInstanceConfig.builder("VI_9")
                    .iface("eth0")
                    .vrid(60)
                    .virtualAddress("192.0.2.9/24")
                    .build()));
  }

  @Test
  void anInstanceThatFailsToOpenReleasesWhatItClaimed() throws Exception {
    SimulatedLan.Node node = lan.add(150);
    node.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    // 192.0.2.11 is the host's own address: refused after the instance claimed VRID 61.
    org.junit.jupiter.api.Assertions.assertThrows(
        java.io.IOException.class,
        () ->
            node.router.addInstance(
                VrrpInstanceConfig.builder("VI_2")
                    .iface("eth0")
                    .vrid(61)
                    .virtualAddress("192.0.2.11/24")
                    .build()));
    VrrpInstance fixed =
        node.router.addInstance(
            VrrpInstanceConfig.builder("VI_2")
                .iface("eth0")
                .vrid(61)
                .virtualAddress("192.0.2.61/24")
                .build());
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, fixed.role(), "VRID 61 was free again");
  }

  @Test
  void twoVirtualMacsOfOneVridAreRefusedAtBuild() {
    VrrpRouter.Builder builder =
        VrrpRouter.builder()
            .platform(new org.failover4j.api.sim.SimulatedPlatform(lan.loop))
            .instance(
                VrrpInstanceConfig.builder("A")
                    .iface("eth0")
                    .vrid(7)
                    .virtualMac(true)
                    .virtualAddress("192.0.2.7")
                    .build())
            .instance(
                VrrpInstanceConfig.builder("B")
                    .iface("eth1")
                    .vrid(7)
                    .virtualMac(true)
                    .virtualAddress("192.0.2.8")
                    .build());
    String message =
        org.junit.jupiter.api.Assertions.assertThrows(
                org.failover4j.api.InvalidConfigurationException.class, builder::build)
            .getMessage();
    assertEquals("instance: B and A would both create virtual MAC interface vrrp.7", message);
  }

  @Test
  void namedVirtualMacsLetOneVridRunOnTwoInterfacesButNotShareAName() {
    VrrpInstanceConfig a =
        VrrpInstanceConfig.builder("A")
            .iface("eth0")
            .vrid(7)
            .virtualMac("vr0.7")
            .virtualAddress("192.0.2.7")
            .build();
    VrrpInstanceConfig.Builder b =
        VrrpInstanceConfig.builder("B").iface("eth1").vrid(7).virtualAddress("192.0.2.8");
    VrrpRouter.Builder.checkInstances(List.of(a, b.virtualMac("vr1.7").build()));
    String message =
        assertThrows(
                InvalidConfigurationException.class,
                () -> VrrpRouter.Builder.checkInstances(List.of(a, b.virtualMac("vr0.7").build())))
            .getMessage();
    assertEquals("instance: B and A would both create virtual MAC interface vr0.7", message);
    VrrpInstanceConfig otherVrid =
        VrrpInstanceConfig.builder("C")
            .iface("eth1")
            .vrid(8)
            .virtualMac("vrrp.7")
            .virtualAddress("192.0.2.9")
            .build();
    VrrpInstanceConfig defaultName =
        VrrpInstanceConfig.builder("D")
            .iface("eth0")
            .vrid(7)
            .version(2)
            .virtualMac(true)
            .virtualAddress("192.0.2.10")
            .build();
    assertEquals(
        "instance: D and C would both create virtual MAC interface vrrp.7",
        assertThrows(
                InvalidConfigurationException.class,
                () -> VrrpRouter.Builder.checkInstances(List.of(otherVrid, defaultName)))
            .getMessage(),
        "a name is compared with the default names too");
  }
}
