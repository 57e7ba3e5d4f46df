package org.failover4j.benchmarks.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of lab-bench: what it reads from /proc, ip monitor and captures, and its sums. */
class LabBenchParsingTest {

  private static final String MAC_A = "02:00:00:00:00:0a";
  private static final String MAC_B = "02:00:00:00:00:0b";
  private static final Senders BY_MAC = new Senders(MAC_A, MAC_B, null);
  private static final String VMAC = "00:00:5e:00:01:01";

  @Test
  void cpuTicksAreUtimePlusStimeAfterACommandNameWithSpaces() {
    String stat =
        "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 123 45 0 0 20 0 30 0 99 0 0";
    assertEquals(168, ProcFs.cpuTicks(stat));
  }

  @Test
  void rssIsVmRssInKib() {
    assertEquals(
        61234, ProcFs.rssKib("Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t   61234 kB\nThreads:\t20\n"));
    assertEquals(-1, ProcFs.rssKib("Name:\tkthreadd\n"));
  }

  @Test
  void rawDropsSumTheLastColumn() {
    String table =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
            + "  timeout inode ref pointer drops\n"
            + "  112: 00000000:0070 00000000:0000 07 00000000:00000000 00:00000000 00000000"
            + "     0        0 1234 2 0000000000000000 17\n"
            + "   51: 00000000:0033 00000000:0000 07 00000000:00000000 00:00000000 00000000"
            + "     0        0 1235 2 0000000000000000 3\n";
    assertEquals(20, ProcFs.rawDrops(table));
    assertEquals(0, ProcFs.rawDrops(table.substring(0, table.indexOf('\n') + 1)));
  }

  @Test
  void addressMonitorLinesGiveAddsAndDeletesWithMicroseconds() {
    String log =
        "[2026-12-01T00:09:43.506040] 3: eth0    inet 192.0.2.100/24 scope global eth0\n"
            + "       valid_lft forever preferred_lft forever\n"
            + "[2026-12-01T00:09:43.515704] 3: eth0    inet6 2001:db8::1:1/64 scope global nodad \n"
            + "[2026-12-01T00:09:43.523388] Deleted 3: eth0    inet 192.0.2.100/24 scope global\n";
    List<AddressLog.Change> changes = AddressLog.parse(log, ZoneOffset.UTC);
    assertEquals(3, changes.size());
    assertEquals("192.0.2.100", changes.get(0).address());
    assertTrue(changes.get(0).added());
    assertEquals(BridgeTrace.normalize("2001:db8::1:1"), changes.get(1).address());
    assertEquals(false, changes.get(2).added());
    assertEquals(17_348L, changes.get(2).micros() - changes.get(0).micros());
    assertEquals(43_506_040L, changes.get(0).micros() % 60_000_000L);
  }

  @Test
  void takeoverIsMeasuredFromTheOldMastersLastAdvert() {
    List<BridgeTrace.Advert> adverts =
        List.of(
            new BridgeTrace.Advert(1_000_000, MAC_A, 1, 200),
            new BridgeTrace.Advert(1_100_000, MAC_A, 1, 200),
            new BridgeTrace.Advert(1_462_000, MAC_B, 1, 100),
            new BridgeTrace.Advert(1_562_000, MAC_B, 1, 100));
    List<BridgeTrace.Announcement> announcements =
        List.of(
            new BridgeTrace.Announcement(1_000_500, MAC_A, "192.0.2.1"),
            new BridgeTrace.Announcement(1_463_000, MAC_B, "192.0.2.1"));
    List<AddressLog.Change> changes =
        List.of(new AddressLog.Change(1_462_500, true, "eth0", "192.0.2.1"));
    Takeover t = Takeover.find(adverts, announcements, changes, BY_MAC, 1_050_000, 2_000_000);
    assertEquals(362.0, t.gapMs(), 1e-9);
    assertEquals(362.5, t.vipMs(), 1e-9);
    assertEquals(363.0, t.announceMs(), 1e-9);
    assertEquals(1_462_500, t.vipAtMicros());
  }

  @Test
  void noTakeoverWithoutAnAdvertOfTheNewMaster() {
    List<BridgeTrace.Advert> adverts =
        List.of(
            new BridgeTrace.Advert(1_000_000, MAC_A, 1, 200),
            // Priority 0 from the new "master" is a resignation, never a takeover.
            new BridgeTrace.Advert(1_200_000, MAC_B, 1, 0));
    assertNull(Takeover.find(adverts, List.of(), List.of(), BY_MAC, 900_000, 2_000_000));
    // Without the old master's advert there is nothing to measure from.
    assertNull(
        Takeover.find(
            List.of(new BridgeTrace.Advert(5_000_000, MAC_B, 1, 100)),
            List.of(),
            List.of(),
            BY_MAC,
            4_900_000,
            6_000_000));
  }

  @Test
  void withVirtualMacsTheAdvertsPriorityTellsTheHostsApart() {
    // Both hosts send from the virtual MAC: the master at 200, the backup at 100.
    List<BridgeTrace.Advert> adverts =
        List.of(
            new BridgeTrace.Advert(1_000_000, VMAC, 1, 200),
            new BridgeTrace.Advert(1_100_000, VMAC, 1, 200),
            new BridgeTrace.Advert(1_200_000, MAC_B, 1, 100), // not from the virtual MAC
            new BridgeTrace.Advert(1_462_000, VMAC, 1, 100),
            new BridgeTrace.Advert(1_562_000, VMAC, 1, 100));
    List<BridgeTrace.Announcement> announcements =
        List.of(
            new BridgeTrace.Announcement(1_463_000, MAC_B, "192.0.2.1"),
            new BridgeTrace.Announcement(1_464_000, VMAC, "192.0.2.1"));
    List<AddressLog.Change> changes =
        List.of(new AddressLog.Change(1_462_500, true, "vr0.1", "192.0.2.1"));
    Senders senders = new Senders(MAC_A, MAC_B, VMAC);
    Takeover t = Takeover.find(adverts, announcements, changes, senders, 1_050_000, 2_000_000);
    assertEquals(362.0, t.gapMs(), 1e-9);
    assertEquals(364.0, t.announceMs(), 1e-9, "announced from the virtual MAC");
    assertNull(
        Takeover.find(adverts, announcements, changes, BY_MAC, 1_050_000, 2_000_000),
        "by host MAC the master never spoke");
    assertTrue(senders.isMaster(adverts.get(0)));
    assertFalse(senders.isBackup(adverts.get(0)));
    assertFalse(senders.isBackup(adverts.get(2)));
    assertFalse(senders.isMaster(new BridgeTrace.Advert(1, VMAC, 1, 0)), "a resignation");
  }

  @Test
  void virtualMacGroupsNameAMacvlanEachOnEveryLan() {
    List<Group> v6 = Group.plan(1000, true, true);
    Set<String> names = new HashSet<>();
    for (Group g : v6) {
      assertTrue(names.add(g.virtualMac()), g.toString());
      assertTrue(g.virtualMac().length() <= 15, g.toString());
      assertEquals(g, Group.parse(g.line()));
    }
    assertEquals("vr3.250", v6.get(999).virtualMac());
    assertEquals("00:00:5e:00:02:fa", v6.get(999).virtualMacAddress());
    Group v4 = Group.plan(1, false, true).get(0);
    assertEquals("0 1 192.0.2.1/24 vr0.1", v4.line());
    assertEquals("00:00:5e:00:01:01", v4.virtualMacAddress());
    assertNull(Group.plan(1, false, false).get(0).virtualMacAddress());
    assertThrows(IllegalArgumentException.class, () -> Group.parse("0 1 192.0.2.1/24 vr0.1 x"));
  }

  @Test
  void percentilesByNearestRank() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
    assertEquals(3.0, Stats.percentile(values, 50));
    assertEquals(5.0, Stats.percentile(values, 99));
    assertEquals(1.0, Stats.percentile(values, 1));
    assertEquals(5.0, Stats.max(values));
    assertTrue(Double.isNaN(Stats.percentile(List.of(), 50)));
    assertEquals("null", Stats.json(Double.NaN));
    assertEquals("360.94", Stats.json(360.9375));
  }

  @Test
  void groupsAreUniqueAndAvoidTheHostsOwnAddresses() {
    List<Group> v4 = Group.plan(500, false, false);
    Set<String> vips = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Group g : v4) {
      assertTrue(vips.add(g.address()), g.toString());
      assertTrue(names.add(g.name()), g.toString());
      assertTrue(!g.address().endsWith(".11") && !g.address().endsWith(".12"), g.toString());
      assertEquals(g, Group.parse(g.line()));
    }
    assertEquals(2, Group.lans(500));
    assertEquals(250, v4.get(249).vrid());
    assertEquals(1, v4.get(250).lan());
    assertThrows(IllegalArgumentException.class, () -> Group.plan(501, false, false));
    List<Group> v6 = Group.plan(1000, true, false);
    assertEquals(1000, v6.stream().map(Group::address).distinct().count());
    assertEquals("eth3", v6.get(999).iface());
    assertTrue(v6.get(0).ipv6());
  }

  @Test
  void optionsParseDurationsAndRejectUnknownFlags() {
    Options o = Options.parse(List.of("failover", "--runs", "7", "--interval", "1s", "--warm"));
    assertEquals("failover", o.command());
    assertEquals(7, o.intValue("--runs", 20));
    assertEquals(1, o.intValue("--instances", 1));
    assertEquals(Duration.ofSeconds(1), o.duration("--interval", "100ms"));
    assertTrue(o.has("--warm"));
    assertTrue(Options.parse(List.of("scale", "--vmac", "--instances", "20")).has("--vmac"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("scale", "--fast")));
    assertEquals(
        List.of(Implementation.FAILOVER4J),
        Implementation.only(
            Options.parse(List.of("scale", "--only", "failover4j")).value("--only", "")));
    assertEquals(List.of(Implementation.values()), Implementation.only(""));
    assertThrows(IllegalArgumentException.class, () -> Implementation.only("ucarp"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Options.parse(List.of("failover", "--cold", "--warm")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Options.parse(List.of("scale", "--interval", "soon")).duration("--interval", "1s"));
  }

  @Test
  void startupIsTheFirstAdvertOfTheStartedHostInItsWindow() {
    List<BridgeTrace.Advert> adverts =
        List.of(
            new BridgeTrace.Advert(900_000, MAC_A, 1, 255), // before the exec: an earlier run
            new BridgeTrace.Advert(1_100_000, MAC_B, 1, 100), // another host
            new BridgeTrace.Advert(1_142_500, MAC_A, 1, 255),
            new BridgeTrace.Advert(1_242_500, MAC_A, 1, 255));
    assertEquals(142.5, StartupBench.firstAdvertMs(adverts, MAC_A, 1_000_000, 2_000_000), 1e-9);
    assertTrue(Double.isNaN(StartupBench.firstAdvertMs(adverts, MAC_A, 1_300_000, 2_000_000)));
  }
}
