package org.failover4j.api.address;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.address.AddressHolder.HostAddressPolicy;
import org.failover4j.api.address.AddressHolder.VirtualMacLifetime;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

/** The address holder on the simulated platform, under virtual time. */
class AddressHolderTest {

  private static final GratuitousAnnouncements ONE_NOW_ONE_LATER =
      new GratuitousAnnouncements(Duration.ofSeconds(2), 1, Duration.ZERO, 1);

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 7);
  private final SimulatedHost host = lan.addHost("a", ip("192.0.2.1"));
  private final SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", host);
  private final List<String> heard = new ArrayList<>();

  private final AddressHolder.Events events =
      new AddressHolder.Events() {
        @Override
        public void addressesLost() {
          heard.add("lost");
        }

        @Override
        public void retryDue() {
          heard.add("retry");
        }

        @Override
        public void linkChanged(String iface, boolean up) {
          heard.add(iface + (up ? " up" : " down"));
        }
      };

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private AddressHolder.Builder holder(String... cidrs) {
    List<VirtualAddress> addresses = new ArrayList<>();
    for (String c : cidrs) {
      addresses.add(VirtualAddress.parse(c));
    }
    return AddressHolder.builder(platform, "test")
        .iface("eth0")
        .addresses(addresses)
        .announcements(ONE_NOW_ONE_LATER)
        .events(events);
  }

  @Test
  void holdsAnnouncesOnTheScheduleAndReleases() throws IOException {
    AddressHolder h = holder("192.0.2.100/24", "192.0.2.101/24").build();
    h.open();
    assertTrue(h.hold());
    h.announce();
    assertEquals(Set.of("192.0.2.100/24", "192.0.2.101/24"), platform.addresses("eth0"));
    assertEquals(2, platform.announcementsSent());
    loop.advanceBy(Duration.ofSeconds(2));
    assertEquals(4, platform.announcementsSent(), "the second round after the delay");

    h.release();
    assertEquals(Set.of(), platform.addresses("eth0"));
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(4, platform.announcementsSent(), "nothing once released");
  }

  @Test
  void beforeTakeoverHooksRunInOrderBeforeTheFirstAddressAndAFailureDoesNotStopTheTakeover()
      throws IOException {
    AddressHolder h = holder("192.0.2.100/24").build();
    h.open();
    List<String> seen = new ArrayList<>();
    h.addBeforeTakeover(() -> seen.add("first sees " + platform.addresses("eth0")));
    h.addBeforeTakeover(
        () -> {
          throw new IllegalStateException("no SA state");
        });
    org.failover4j.api.BeforeTakeover removed = () -> seen.add("removed");
    h.addBeforeTakeover(removed);
    h.addBeforeTakeover(() -> seen.add("last sees " + platform.addresses("eth0")));
    assertTrue(h.removeBeforeTakeover(removed));

    assertTrue(h.hold(), "a failed hook still lets the addresses move");

    assertEquals(List.of("first sees []", "last sees []"), seen);
    assertEquals(Set.of("192.0.2.100/24"), platform.addresses("eth0"));
    assertEquals(1, h.beforeTakeoverFailures());
    h.release();
    h.hold();
    assertEquals(4, seen.size(), "every takeover runs the hooks again");
  }

  @Test
  void anAddressRemovedByOthersIsAddedBackAndAnnounced() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").build();
    h.open();
    h.hold();
    h.announce();
    long before = platform.announcementsSent();

    platform.removeAddressExternally("eth0", ip("192.0.2.100"), 24);

    assertEquals(Set.of("192.0.2.100/24"), platform.addresses("eth0"));
    assertEquals(1, h.restored());
    assertTrue(platform.announcementsSent() > before, "announced again at once");
  }

  @Test
  void anAddressRemovedWhileNotHoldingStaysRemoved() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").build();
    h.open();
    h.hold();
    h.release();
    platform.addAddress("eth0", ip("192.0.2.100"), 24);
    platform.removeAddressExternally("eth0", ip("192.0.2.100"), 24);
    assertEquals(Set.of(), platform.addresses("eth0"));
    assertEquals(0, h.restored());
  }

  @Test
  void aFailedAddIsReleasedReportedAfterTheTransitionAndRetried() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").retry(Duration.ofSeconds(3)).build();
    h.open();
    platform.refuseAddressChanges("EPERM");

    assertFalse(h.hold());
    assertEquals(List.of(), heard, "told only once the caller's transition is over");
    loop.runPending();
    assertEquals(List.of("lost"), heard);
    assertEquals(1, h.failures());
    assertFalse(h.isHolding());

    loop.advanceBy(Duration.ofMillis(2_999));
    assertEquals(List.of("lost"), heard);
    loop.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("lost", "retry"), heard);
  }

  @Test
  void anAddRefusedAfterTheHoldIsReleasedReportedAndRetried() throws IOException {
    AddressHolder h =
        holder("192.0.2.100/24", "192.0.2.101/24").retry(Duration.ofSeconds(3)).build();
    h.open();
    platform.deferAddressAdds(true);

    assertTrue(h.hold(), "the platform adds later, in the same turn");
    h.announce();
    platform.refuseAddressChanges("EACCES");
    loop.runPending();
    assertEquals(List.of("lost"), heard);
    assertEquals(1, h.failures());
    assertFalse(h.isHolding());
    assertEquals(Set.of(), platform.addresses("eth0"), "nothing half-held is left");

    platform.refuseAddressChanges(null);
    loop.advanceBy(Duration.ofSeconds(3));
    assertEquals(List.of("lost", "retry"), heard);
    assertTrue(h.hold());
    loop.runPending();
    assertTrue(h.isHolding());
    assertEquals(2, platform.addresses("eth0").size());
  }

  @Test
  void anAddressThatCannotBeAddedBackIsLost() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").build();
    h.open();
    h.hold();
    platform.refuseAddressChanges("EPERM");
    platform.removeAddressExternally("eth0", ip("192.0.2.100"), 24);
    assertEquals(List.of("lost"), heard);
    assertEquals(1, h.failures());
    assertFalse(h.isHolding());
  }

  @Test
  void staleAddressesOfACrashedRunAreCleared() throws IOException {
    platform.addAddress("eth0", ip("192.0.2.100"), 24);
    platform.createVirtualMac("carp.1.eth0", "eth0", VirtualMac.ianaMac(false, 1));
    AddressHolder h =
        holder("192.0.2.100/24")
            .virtualMac(
                new VirtualMac("carp.1.eth0", VirtualMac.ianaMac(false, 1)),
                VirtualMacLifetime.WHILE_HOLDING)
            .build();
    h.open();
    h.clearStale();
    assertEquals(Set.of(), platform.addresses("eth0"));
    assertThrows(IOException.class, () -> platform.interfaceState("carp.1.eth0"));
  }

  @Test
  void theHostsOwnAddressIsRefusedOrKept() throws IOException {
    IOException refused =
        assertThrows(
            IOException.class,
            () ->
                holder("192.0.2.1/24")
                    .hostAddresses(HostAddressPolicy.REFUSE, "pick another")
                    .build()
                    .open());
    assertTrue(refused.getMessage().contains("eth0's own address"), refused.getMessage());
    assertTrue(refused.getMessage().contains("pick another"), refused.getMessage());

    AddressHolder owner = holder("192.0.2.1/24").hostAddresses(HostAddressPolicy.KEEP, "").build();
    owner.open();
    owner.clearStale();
    assertTrue(owner.hold());
    owner.release();
    assertEquals(Set.of(ip("192.0.2.1")).size(), owner.hostOwned().size());
    assertEquals(Set.of(), platform.addresses("eth0"), "never added, never removed");
  }

  @Test
  void answersAnotherMasterAtMostOncePerGapAndCountsTheRest() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").answerGap(Duration.ofSeconds(1)).build();
    h.open();
    h.hold();
    assertTrue(h.answerAnotherMaster());
    for (int i = 0; i < 9; i++) {
      loop.advanceBy(Duration.ofMillis(100));
      if (i < 8) {
        assertFalse(h.answerAnotherMaster());
      }
    }
    assertEquals(8, h.answersSuppressed());
    loop.advanceBy(Duration.ofMillis(100));
    assertTrue(h.answerAnotherMaster(), "a second later it answers again");
  }

  @Test
  void oneFailedAnnouncementDoesNotStopTheOthers() throws IOException {
    AddressHolder h = holder("192.0.2.100/24", "192.0.2.101/24", "192.0.2.102/24").build();
    h.open();
    h.hold();
    platform.refuseAnnouncements(ip("192.0.2.100"), "not ready");
    h.announce();
    assertEquals(
        List.of("eth0 192.0.2.101 02:00:00:00:00:02", "eth0 192.0.2.102 02:00:00:00:00:02"),
        platform.announcementLog());
    assertEquals(1, h.announcementFailures());
  }

  @Test
  void aRecreatedInterfaceIsAnnouncedFromItsNewMac() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").build();
    h.open();
    h.hold();
    h.announce();
    byte[] oldMac = platform.interfaceState("eth0").mac();

    platform.recreate("eth0");
    byte[] newMac = platform.interfaceState("eth0").mac();
    assertFalse(java.util.Arrays.equals(oldMac, newMac));
    assertEquals(List.of("eth0 down", "eth0 up"), heard, "the owner hears the link");

    // The owner takes the addresses back (VRRP's FAULT and BACKUP, CARP's link-down rule).
    h.release();
    h.hold();
    h.announce();
    List<String> log = platform.announcementLog();
    assertTrue(log.get(log.size() - 1).endsWith(mac(newMac)), log.toString());
    assertEquals(1, h.interfacesFollowed());
  }

  @Test
  void anAddressWithItsOwnDeviceScopeAndLabelLivesThereAndIsAnnouncedFromIt() throws IOException {
    platform.attach("eth1", lan.addHost("a-eth1", ip("198.51.100.1")));
    VirtualAddress labelled =
        VirtualAddress.parse("192.0.2.100/24")
            .withScope(VirtualAddress.Scope.HOST)
            .withLabel("eth0:vip");
    VirtualAddress elsewhere =
        VirtualAddress.parse("198.51.100.100/24")
            .onDevice("eth1")
            .withScope(VirtualAddress.Scope.LINK);
    byte[] vmac = VirtualMac.ianaMac(false, 10);
    AddressHolder h =
        AddressHolder.builder(platform, "test")
            .iface("eth0")
            .addresses(List.of(labelled, elsewhere))
            .virtualMac(new VirtualMac("vrrp.10", vmac), VirtualMacLifetime.WHILE_OPEN)
            .announcements(ONE_NOW_ONE_LATER)
            .events(events)
            .build();
    h.open();
    assertTrue(h.hold());
    h.announce();

    assertEquals(Set.of("192.0.2.100/24"), platform.addresses("vrrp.10"));
    assertEquals(labelled, platform.addedAddress("vrrp.10", "192.0.2.100/24"));
    assertEquals(Set.of("198.51.100.100/24"), platform.addresses("eth1"), "its own device");
    assertEquals(elsewhere.onDevice(null), platform.addedAddress("eth1", "198.51.100.100/24"));
    assertEquals(Set.of(), platform.addresses("eth0"), "neither on the virtual MAC's parent");
    assertEquals(
        List.of(
            "vrrp.10 192.0.2.100 " + mac(vmac),
            "eth1 198.51.100.100 " + mac(platform.interfaceState("eth1").mac())),
        platform.announcementLog());

    platform.removeAddressExternally("eth1", ip("198.51.100.100"), 24);
    assertEquals(labelled.onDevice(null), platform.addedAddress("vrrp.10", "192.0.2.100/24"));
    assertEquals(
        elsewhere.onDevice(null),
        platform.addedAddress("eth1", "198.51.100.100/24"),
        "added back where it lives, with its scope");
    assertEquals(1, h.restored());

    h.release();
    assertEquals(Set.of(), platform.addresses("eth1"));
    assertEquals(Set.of(), platform.addresses("vrrp.10"));
  }

  @Test
  void anAddressOnAMissingDeviceFailsToOpen() {
    AddressHolder h =
        AddressHolder.builder(platform, "test")
            .iface("eth0")
            .addresses(List.of(VirtualAddress.parse("192.0.2.100/24").onDevice("eth9")))
            .events(events)
            .build();
    assertThrows(IOException.class, h::open);
  }

  @Test
  void aPlatformThatSetsNoScopeOrLabelRefusesThem() {
    Platform plain =
        (Platform)
            java.lang.reflect.Proxy.newProxyInstance(
                Platform.class.getClassLoader(),
                new Class<?>[] {Platform.class},
                (proxy, method, args) -> {
                  if (method.isDefault()) {
                    return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                  }
                  heard.add(method.getName() + " " + args[0] + " " + args[1] + "/" + args[2]);
                  return null;
                });
    VirtualAddress scoped =
        VirtualAddress.parse("192.0.2.100/24").withScope(VirtualAddress.Scope.HOST);
    IOException e = assertThrows(IOException.class, () -> plain.addAddress("eth0", scoped));
    assertTrue(e.getMessage().contains("scope host"), e.getMessage());
    assertEquals(List.of(), heard);
    assertDoesNotThrow(
        () -> plain.addAddress("eth1", VirtualAddress.parse("192.0.2.100/24").onDevice("eth1")));
    assertEquals(List.of("addAddress eth1 /192.0.2.100/24"), heard);
  }

  @Test
  void aVirtualMacIsCreatedAgainWithItsAddressesWhenItsParentReturns() throws IOException {
    byte[] vmac = VirtualMac.ianaMac(false, 10);
    AddressHolder h =
        holder("192.0.2.100/24")
            .virtualMac(new VirtualMac("carp.10.eth0", vmac), VirtualMacLifetime.WHILE_HOLDING)
            .build();
    h.open();
    assertTrue(h.hold());
    h.announce();
    assertEquals("carp.10.eth0", h.addressInterface());

    platform.recreate("eth0");

    assertArrayEquals(vmac, platform.interfaceState("carp.10.eth0").mac());
    assertEquals(Set.of("192.0.2.100/24"), platform.addresses("carp.10.eth0"));
    List<String> log = platform.announcementLog();
    assertEquals("carp.10.eth0 192.0.2.100 " + mac(vmac), log.get(log.size() - 1));

    h.release();
    assertThrows(IOException.class, () -> platform.interfaceState("carp.10.eth0"));
    assertEquals("eth0", h.addressInterface());
  }

  @Test
  void aWhileOpenVirtualMacLivesFromOpenUntilDeleted() throws IOException {
    AddressHolder h =
        holder("192.0.2.100/24")
            .virtualMac(
                new VirtualMac("vrrp.51", VirtualMac.ianaMac(false, 51)),
                VirtualMacLifetime.WHILE_OPEN)
            .build();
    assertEquals("vrrp.51", h.open().name());
    h.hold();
    h.release();
    assertEquals("vrrp.51", platform.interfaceState("vrrp.51").name(), "kept while open");
    platform.recreate("eth0");
    assertEquals("vrrp.51", platform.interfaceState("vrrp.51").name(), "created again");
    h.close();
    h.deleteVirtualMac();
    assertThrows(IOException.class, () -> platform.interfaceState("vrrp.51"));
  }

  @Test
  void aClosedHolderHearsNothing() throws IOException {
    AddressHolder h = holder("192.0.2.100/24").build();
    h.open();
    h.hold();
    h.close();
    platform.setLink("eth0", false);
    platform.removeAddressExternally("eth0", ip("192.0.2.100"), 24);
    assertEquals(List.of(), heard);
    assertEquals(0, h.restored());
  }

  @Test
  void theRetryIntervalIsChecked() {
    assertThrows(
        org.failover4j.api.InvalidConfigurationException.class,
        () -> holder("192.0.2.100/24").retry(Duration.ofMillis(10)).build());
  }

  private static String mac(byte[] mac) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < mac.length; i++) {
      b.append(i == 0 ? "" : ":").append(String.format("%02x", mac[i] & 0xFF));
    }
    return b.toString();
  }
}
