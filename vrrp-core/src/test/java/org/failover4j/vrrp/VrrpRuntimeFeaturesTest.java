package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.Test;

/** Runtime features on the simulated LAN: priority changes, announcements, tracking, drops. */
class VrrpRuntimeFeaturesTest {

  private final SimulatedLan lan = new SimulatedLan(7);

  @Test
  void raisingABackupsPriorityAtRunTimeMakesItPreempt() {
    SimulatedLan.Node master = lan.add(150);
    SimulatedLan.Node backup = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, master.role());

    backup.instance().setPriority(200);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, backup.role());
    assertEquals(200, backup.instance().effectivePriority());
    assertTrue(backup.events.get(backup.events.size() - 1).endsWith("MASTER preempt"));
    assertThrows(IllegalArgumentException.class, () -> backup.instance().setPriority(255));
  }

  @Test
  void beforeTakeoverHooksRunOnTheLoopBeforeTheAddressIsAddedAndBeforeListenersHear() {
    SimulatedLan.Node node = lan.add(150);
    node.start();
    java.util.List<String> seen = new java.util.ArrayList<>();
    node.instance()
        .addBeforeTakeover(
            () ->
                seen.add(
                    node.platform.addresses("eth0")
                        + " "
                        + node.instance().role()
                        + " in loop "
                        + lan.loop.inEventLoop()));
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, node.role());
    assertEquals(java.util.List.of("[] BACKUP in loop true"), seen);
    assertEquals(java.util.Set.of(SimulatedLan.VIP), node.platform.addresses("eth0"));
  }

  @Test
  void gratuitousAnnouncementsFollowKeepalivedsSchedule() {
    SimulatedLan.Node node =
        lan.add(
            200,
            b ->
                b.virtualAddress("192.0.2.101/24")
                    .announcements(
                        new GratuitousAnnouncements(
                            Duration.ofSeconds(5), 3, Duration.ofSeconds(10), 2)));
    node.start();
    lan.loop.advanceBy(Duration.ofMillis(3_300));
    assertEquals(Role.MASTER, node.role());
    assertEquals(3 * 2, node.platform.announcementsSent(), "3 rounds for each of 2 addresses");
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(6 * 2, node.platform.announcementsSent(), "3 more after garp_master_delay");
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(8 * 2, node.platform.announcementsSent(), "2 per garp_master_refresh");
    node.stop();
    lan.loop.advanceBy(Duration.ofSeconds(30));
    assertEquals(8 * 2, node.platform.announcementsSent(), "nothing after leaving MASTER");
  }

  @Test
  void excludedAddressesAreHeldByTheMasterButLeftOutOfItsAdverts() {
    SimulatedLan.Node master =
        lan.add(
            200,
            b ->
                b.excludedAddress(VirtualAddress.parse("192.0.2.150/24"))
                    .excludedAddress(VirtualAddress.parse("2001:db8::150/64")));
    // The backup knows only the virtual address: an advert listing more would be dropped for its
    // address count, and it would become a second master.
    SimulatedLan.Node backup = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, master.role());
    assertEquals(Role.BACKUP, backup.role());
    assertEquals(
        0,
        backup.instance().statistics().dropped(VrrpDropReason.ADDRESS_COUNT_MISMATCH),
        backup.instance().statistics().toString());
    assertEquals(
        3, master.platform.addresses("eth0").size(), () -> "" + master.platform.addresses("eth0"));
    assertTrue(master.platform.addresses("eth0").contains("192.0.2.150/24"));
    assertTrue(backup.platform.addresses("eth0").isEmpty());

    master.stop();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, backup.role());
    assertTrue(
        master.platform.addresses("eth0").isEmpty(), () -> "" + master.platform.addresses("eth0"));
  }

  @Test
  void anExcludedAddressListedTwiceIsRefused() {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                VrrpInstanceConfig.builder("VI_1")
                    .iface("eth0")
                    .vrid(1)
                    .virtualAddress("192.0.2.100/24")
                    .excludedAddress(VirtualAddress.parse("192.0.2.100/24"))
                    .build());
    assertEquals("excludedAddress", e.field());
  }

  @Test
  void healthChecksLowerThePriorityOrFault() {
    AtomicBoolean database = new AtomicBoolean(true);
    AtomicBoolean web = new AtomicBoolean(true);
    SimulatedLan.Node primary =
        lan.add(
            150,
            b ->
                b.trackCheck("db", -60, database::get, Duration.ofMillis(500))
                    .trackCheck("web", 0, web::get, Duration.ofMillis(500)));
    SimulatedLan.Node secondary = lan.add(120);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, primary.role());

    database.set(false);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(90, primary.instance().effectivePriority());
    assertEquals(Role.MASTER, secondary.role(), "120 beats 150 - 60");
    assertEquals(Role.BACKUP, primary.role());

    database.set(true);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, primary.role(), "back to 150: it preempts");

    web.set(false);
    lan.loop.advanceBy(Duration.ofSeconds(2));
    assertEquals(Role.FAULT, primary.role());
    assertTrue(primary.events.get(primary.events.size() - 1).endsWith("FAULT check-failed"));
    assertEquals(Role.MASTER, secondary.role());
    web.set(true);
    lan.loop.advanceBy(Duration.ofSeconds(6));
    assertEquals(Role.MASTER, primary.role());
  }

  @Test
  void aHealthyPositiveWeightCountsFromTheStart() {
    SimulatedLan.Node weighted =
        lan.add(100, b -> b.trackCheck("cache", 50, () -> true, Duration.ofSeconds(1)));
    SimulatedLan.Node plain = lan.add(120);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(150, weighted.instance().effectivePriority());
    assertEquals(Role.MASTER, weighted.role(), "150 beats 120");
    assertEquals(Role.BACKUP, plain.role());
  }

  @Test
  void anInstanceWaitsForItsChecksAndAHangingCheckIsAFailure() {
    java.util.List<Runnable> held = new java.util.ArrayList<>();
    AtomicBoolean hanging = new AtomicBoolean(true);
    SimulatedLan.Node node =
        lan.add(150, b -> b.trackCheck("db", 0, () -> true, Duration.ofSeconds(1)));
    node.platformSetup =
        platform ->
            platform.checkExecutor(
                run -> {
                  if (hanging.get()) {
                    held.add(run);
                  } else {
                    run.run();
                  }
                });
    node.start();
    lan.loop.advanceBy(Duration.ofMillis(900));
    assertEquals(Role.INITIALIZE, node.role(), "no result yet: not in the election");
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.FAULT, node.role(), "still running after an interval: a failure");
    assertEquals(1, held.size(), "never two runs at a time");
    hanging.set(false);
    held.remove(0).run(); // the hung run finally answers: healthy
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, node.role());
  }

  @Test
  void itsOwnLinkGoingDownIsAFaultAndItRecovers() {
    SimulatedLan.Node primary = lan.add(150);
    SimulatedLan.Node secondary = lan.add(120);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    primary.platform.setLink("eth0", false);
    lan.loop.runPending();
    assertEquals(Role.FAULT, primary.role());
    assertTrue(primary.events.get(primary.events.size() - 1).endsWith("FAULT interface-down"));
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, secondary.role());
    primary.platform.setLink("eth0", true);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, primary.role());
    assertEquals(Role.BACKUP, secondary.role());
  }

  @Test
  void aFailedStartSaysWhyAndLeavesNothingRunning() throws Exception {
    SimulatedLan.Node good = lan.add(150);
    good.start();
    VrrpRouter router =
        VrrpRouter.builder()
            .platform(good.platform)
            .instance(
                VrrpInstanceConfig.builder("VI_OK")
                    .iface("eth0")
                    .vrid(70)
                    .virtualAddress("192.0.2.70/24")
                    .virtualMac(true)
                    .build())
            .instance(
                VrrpInstanceConfig.builder("VI_BAD")
                    .iface("eth9")
                    .vrid(71)
                    .virtualAddress("192.0.2.71/24")
                    .build())
            .build();
    java.io.IOException e = assertThrows(java.io.IOException.class, router::start);
    assertEquals("no interface named eth9", e.getMessage());
    assertThrows(
        java.io.IOException.class,
        () -> good.platform.interfaceState("vrrp.70"),
        "the virtual MAC made before the failure is gone");
    assertEquals(Role.STOPPED, router.instance("VI_OK").role());
    assertEquals(Role.STOPPED, router.instance("VI_BAD").role());
    lan.loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.STOPPED, router.instance("VI_OK").role(), "no timer left running");
  }

  @Test
  void twoVirtualMacInstancesOnOneInterfaceBothHearTheirMasters() throws Exception {
    VrrpRouter masters = twoInstances("192.0.2.11", 200, false);
    VrrpRouter backups = twoInstances("192.0.2.12", 100, true);
    lan.loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, masters.instance("A").role());
    assertEquals(Role.MASTER, masters.instance("B").role());
    assertEquals(Role.BACKUP, backups.instance("A").role(), "vrrp.1 hears its master");
    assertEquals(Role.BACKUP, backups.instance("B").role(), "so does vrrp.2");
  }

  private VrrpRouter twoInstances(String address, int priority, boolean virtualMac)
      throws Exception {
    org.failover4j.api.sim.SimulatedPlatform platform =
        new org.failover4j.api.sim.SimulatedPlatform(lan.loop)
            .attach("eth0", lan.network.addHost(address, SimulatedLan.ip(address)));
    VrrpRouter router =
        VrrpRouter.builder()
            .platform(platform)
            .instance(virtual("A", 1, "192.0.2.101/24", priority, virtualMac))
            .instance(virtual("B", 2, "192.0.2.102/24", priority, virtualMac))
            .build();
    router.start();
    return router;
  }

  private static VrrpInstanceConfig virtual(
      String name, int vrid, String vip, int priority, boolean virtualMac) {
    return VrrpInstanceConfig.builder(name)
        .iface("eth0")
        .vrid(vrid)
        .priority(priority)
        .virtualAddress(vip)
        .virtualMac(virtualMac)
        .build();
  }

  @Test
  void packetsNoInstanceClaimsAreCountedByTheRouter() {
    SimulatedLan.Node vrid60 = lan.add(150);
    SimulatedLan.Node vrid61 = lan.add(100, b -> b.vrid(61));
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, vrid60.role());
    assertEquals(Role.MASTER, vrid61.role(), "different VRIDs do not meet");
    assertTrue(vrid61.router.statistics().drops().get(AdvertDropReason.UNCLAIMED_VRRP) > 5);
    assertEquals(0, vrid61.instance().statistics().totalDropped());
  }
}
