package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.replay.CounterMode;
import org.junit.jupiter.api.Test;

/**
 * The kernel-side faults VRRP survives, played for {@link CarpHost} on the simulated platform: an
 * address removed by hand, an interface deleted and created again, a link down for 3 s, a restart
 * after a crash that left the address, the host's own address as a VIP, and a flood of adverts from
 * a less preferred master. Each failed before CARP held its addresses with the shared holder.
 */
class CarpFaultsSimulationTest {

  private static final String VIP = "192.0.2.100/24";

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 11);
  private final List<SimulatedPlatform> platforms = new ArrayList<>();

  private CarpHost host(int index, int advskew, UnaryOperator<CarpHostConfig.Builder> tweak)
      throws Exception {
    SimulatedHost simulated =
        lan.addHost("h" + index, InetAddress.getByName("192.0.2." + (10 + index)));
    SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", simulated);
    platforms.add(platform);
    CarpHost host = CarpHost.builder().platform(platform).config(config(advskew, tweak)).build();
    host.start();
    return host;
  }

  private static CarpHostConfig config(int advskew, UnaryOperator<CarpHostConfig.Builder> tweak) {
    return tweak
        .apply(
            CarpHostConfig.builder()
                .iface("eth0")
                .vhid(10)
                .passphrase("s3cr3t")
                .virtualAddress(VIP)
                .advskew(advskew))
        .build();
  }

  private boolean holds(int index) {
    return platforms.get(index).addresses("eth0").contains(VIP);
  }

  private static InetAddress ip(String literal) throws IOException {
    return InetAddress.getByName(literal);
  }

  @Test
  void anAddressRemovedByHandIsBackAndAnnouncedAtOnce() throws Exception {
    CarpHost a = host(0, 0, b -> b);
    CarpHost b = host(1, 100, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    long announced = platforms.get(0).announcementsSent();

    platforms.get(0).removeAddressExternally("eth0", ip("192.0.2.100"), 24);

    assertTrue(holds(0), "added back at once");
    assertEquals(1, a.statistics().addressesRestored());
    assertTrue(platforms.get(0).announcementsSent() > announced, "and announced");
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.BACKUP, b.role());
  }

  @Test
  void anAddressThatCannotBeAddedBackDemotesTheHostAndAPeerTakesOver() throws Exception {
    CarpHost a = host(0, 0, b -> b);
    CarpHost b = host(1, 100, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    platforms.get(0).refuseAddressChanges("EPERM");
    platforms.get(0).removeAddressExternally("eth0", ip("192.0.2.100"), 24);
    loop.advanceBy(Duration.ofMillis(100));
    assertEquals(Role.FAULT, a.role(), "never reports a role it cannot serve");
    assertEquals(Role.MASTER, b.role(), "the demoted master is replaced at once");
    assertTrue(holds(1));

    platforms.get(0).refuseAddressChanges(null);
    loop.advanceBy(Duration.ofSeconds(6));
    assertEquals(Role.BACKUP, a.role(), "recovered after the retry");
  }

  @Test
  void anInterfaceDeletedAndCreatedAgainEndsWithOneMasterAnnouncingFromTheNewMac()
      throws Exception {
    CarpHost a = host(0, 0, c -> c.preempt(true));
    CarpHost b = host(1, 100, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    String oldMac = platforms.get(0).announcementLog().get(0).split(" ")[2];

    platforms.get(0).recreate("eth0");
    loop.advanceBy(Duration.ofSeconds(10));

    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.BACKUP, b.role(), "exactly one master");
    assertTrue(holds(0), "the new interface holds the address");
    assertFalse(holds(1));
    List<String> log = platforms.get(0).announcementLog();
    String lastMac = log.get(log.size() - 1).split(" ")[2];
    assertFalse(lastMac.equals(oldMac), "announced from the new MAC: " + log);
    long sent = a.statistics().advertsSent();
    long failed = a.statistics().sendFailures();
    loop.advanceBy(Duration.ofSeconds(3));
    assertTrue(a.statistics().advertsSent() > sent, "adverts leave the new interface");
    assertEquals(failed, a.statistics().sendFailures(), "none fails any more");
  }

  @Test
  void releasingAnAddressOnAVanishedInterfaceIsNoError() throws Exception {
    CarpHost a = host(0, 0, c -> c.virtualMac(true));
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(captured, true));
    try {
      // The macvlan and its address vanish (ENODEV from then on), then the host leaves.
      platforms.get(0).deleteVirtualMac(a.config().virtualMacName());
      a.close();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString();
    assertFalse(log.contains("ERROR"), log);
    assertTrue(log.contains(VIP + " went away with carp.10.eth0"), log);
  }

  @Test
  void aVirtualMacIsCreatedAgainWhenItsInterfaceReturns() throws Exception {
    CarpHost a = host(0, 0, c -> c.virtualMac(true));
    host(1, 100, c -> c.virtualMac(true));
    loop.advanceBy(Duration.ofSeconds(10));
    String vmac = a.config().virtualMacName();
    assertEquals("carp.10.eth0", vmac);

    platforms.get(0).recreate("eth0");
    loop.advanceBy(Duration.ofSeconds(10));

    assertEquals(Role.MASTER, a.role());
    assertTrue(platforms.get(0).addresses(vmac).contains(VIP), "on the macvlan again");
  }

  @Test
  void aLinkDownFor3sEndsWithTheSameMasterAndNoNeedlessTakeover() throws Exception {
    CarpHost a = host(0, 0, c -> c.preempt(true));
    CarpHost b = host(1, 100, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());

    platforms.get(0).setLink("eth0", false);
    assertEquals(Role.FAULT, a.role(), "a link down takes the host out at once (OpenBSD)");
    assertFalse(holds(0), "and it gives up the address");
    loop.advanceBy(Duration.ofSeconds(3));
    platforms.get(0).setLink("eth0", true);
    assertEquals(Role.MASTER, a.role(), "the preempting master takes the role back at once");
    assertTrue(holds(0));
    loop.advanceBy(Duration.ofSeconds(8));
    assertEquals(
        0,
        b.statistics().becameMaster(),
        "its advert reset the peer's timer: no needless takeover");
    assertEquals(Role.MASTER, a.role());
  }

  @Test
  void theFirstAdvertAfterLinkUpLostAtTheCarrierTransitionCausesNoNeedlessTakeover()
      throws Exception {
    CarpHost a = host(0, 0, c -> c.preempt(true));
    CarpHost b = host(1, 100, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    // The link goes down right after an advert: the peer's master-down timer (3.39 s) then has
    // 0.39 s left when the link returns 3 s later.
    long heard = b.statistics().advertsReceived();
    while (b.statistics().advertsReceived() == heard) {
      loop.advanceBy(Duration.ofMillis(1));
    }
    platforms.get(0).setLink("eth0", false);
    loop.advanceBy(Duration.ofSeconds(3));

    // The carrier returns, but the first frame does not reach the peer.
    lan.partition(List.of(lan.hosts().get(0)), List.of(lan.hosts().get(1)));
    platforms.get(0).setLink("eth0", true);
    assertEquals(Role.MASTER, a.role());
    loop.advanceBy(Duration.ofMillis(50));
    lan.heal();
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(0, b.statistics().becameMaster(), "the repeated advert reached it in time");
    assertEquals(Role.MASTER, a.role());
  }

  @Test
  void aLinkDownFor6sMovesTheAddressToThePeerAndBackWithoutTwoMasters() throws Exception {
    CarpHost a = host(0, 0, c -> c.preempt(true));
    CarpHost b = host(1, 100, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    platforms.get(0).setLink("eth0", false);
    loop.advanceBy(Duration.ofSeconds(6));
    assertEquals(Role.MASTER, b.role(), "the peer took over while the link was down");
    assertTrue(holds(1));

    platforms.get(0).setLink("eth0", true);
    long both = 0;
    for (int ms = 0; ms < 8_000; ms += 5) {
      loop.advanceBy(Duration.ofMillis(5));
      if (a.role() == Role.MASTER && b.role() == Role.MASTER) {
        both += 5;
      }
    }
    assertEquals(Role.MASTER, a.role(), "and the preferred host took it back");
    assertEquals(Role.BACKUP, b.role());
    assertTrue(holds(0));
    assertFalse(holds(1));
    assertTrue(both <= 5, "two masters for " + both + " ms");
  }

  @Test
  void aBackupWhoseLinkReturnsStaysABackup() throws Exception {
    CarpHost a = host(0, 0, c -> c.preempt(true));
    CarpHost b = host(1, 100, c -> c.preempt(true));
    loop.advanceBy(Duration.ofSeconds(10));
    platforms.get(1).setLink("eth0", false);
    assertEquals(Role.FAULT, b.role());
    loop.advanceBy(Duration.ofSeconds(2));
    platforms.get(1).setLink("eth0", true);
    assertEquals(Role.BACKUP, b.role(), "only a host that was master resumes as master");
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.BACKUP, b.role());
  }

  @Test
  void aRestartAfterACrashClearsTheAddressTheCrashedRunLeft() throws Exception {
    CarpHost b = host(0, 0, c -> c);
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, b.role());
    // The crashed run of host 1 left the address behind (SIGKILL removes nothing).
    SimulatedHost simulated = lan.addHost("h1", ip("192.0.2.11"));
    SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", simulated);
    platform.addAddress("eth0", ip("192.0.2.100"), 24);

    CarpHost restarted = CarpHost.builder().platform(platform).config(config(100, c -> c)).build();
    restarted.start();
    loop.advanceBy(Duration.ofSeconds(5));

    assertEquals(Role.BACKUP, restarted.role());
    assertFalse(platform.addresses("eth0").contains(VIP), "one host answers ARP, not two");
  }

  @Test
  void theHostsOwnAddressIsRefusedAsAVirtualAddress() throws Exception {
    SimulatedHost simulated = lan.addHost("h0", ip("192.0.2.10"));
    SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", simulated);
    CarpHost host =
        CarpHost.builder()
            .platform(platform)
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.10/24")
                    .build())
            .build();
    IOException refused = assertThrows(IOException.class, host::start);
    assertTrue(refused.getMessage().contains("eth0's own address"), refused.getMessage());
    assertEquals(org.failover4j.api.RoleSource.State.FAILED, host.state());
  }

  @Test
  void aFloodOfAdvertsFromALessPreferredMasterIsAnsweredAtMostOncePerInterval() throws Exception {
    SimulatedHost attacker = lan.addHost("x", ip("192.0.2.66"));
    List<ByteBuffer> recorded = new ArrayList<>();
    attacker.onReceive(frame -> recorded.add(frame.payload()));
    // The less preferred host runs alone first: its adverts as master are recorded.
    CarpHost b = host(0, 100, c -> c.counterMode(CounterMode.UCARP_COMPATIBLE));
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, b.role());
    ByteBuffer advert = recorded.get(recorded.size() - 1);
    b.close();
    CarpHost a = host(1, 0, c -> c.counterMode(CounterMode.UCARP_COMPATIBLE));
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    long announced = platforms.get(1).announcementsSent();

    // 1,000 adverts in one second, as a replay flood or a looped switch port would send them.
    for (int i = 0; i < 1_000; i++) {
      attacker.send(ip("224.0.0.18"), advert.duplicate());
      loop.advanceBy(Duration.ofMillis(1));
    }

    long rounds = platforms.get(1).announcementsSent() - announced;
    assertTrue(rounds <= 2, "at most one answer per advert interval, was " + rounds);
    assertTrue(
        a.statistics().answersSuppressed() >= 990,
        "the rest counted: " + a.statistics().answersSuppressed());
    assertEquals(Role.MASTER, a.role());
  }

  @Test
  void aRecordedAdvertRewrittenAndReplayedFromRotatingSourcesHoldsOffATakeoverOnlyUntilItIsOld()
      throws Exception {
    for (Duration maxAge : new Duration[] {null, Duration.ofSeconds(5)}) {
      VirtualTimeEventLoop l = new VirtualTimeEventLoop();
      SimulatedNetwork net = new SimulatedNetwork(l, 3);
      SimulatedHost masterHost = net.addHost("m", ip("192.0.2.10"));
      SimulatedHost backupHost = net.addHost("b", ip("192.0.2.11"));
      SimulatedHost attacker = net.addHost("x", ip("192.0.2.66"));
      List<ByteBuffer> recorded = new ArrayList<>();
      attacker.onReceive(frame -> recorded.add(frame.payload()));
      CarpHostConfig.Builder config =
          CarpHostConfig.builder()
              .iface("eth0")
              .vhid(10)
              .passphrase("s3cr3t")
              .virtualAddress(VIP)
              .maxCounterAge(maxAge);
      CarpHost master =
          CarpHost.builder()
              .platform(new SimulatedPlatform(l).attach("eth0", masterHost))
              .config(config.build())
              .build();
      master.start();
      l.advanceBy(Duration.ofSeconds(4));
      CarpHost backup =
          CarpHost.builder()
              .platform(new SimulatedPlatform(l).attach("eth0", backupHost))
              .config(config.advskew(100).build())
              .build();
      backup.start();
      l.advanceBy(Duration.ofSeconds(5));
      ByteBuffer advert = recorded.get(recorded.size() - 1);
      masterHost.crash();
      long crashedAt = l.nanoTime();

      // One recorded advert, advbase and advskew rewritten to 0 (the HMAC covers neither), sent
      // once a second from a new source each time, so no per-sender window has seen it.
      for (int i = 0; i < 20 && backup.role() != Role.MASTER; i++) {
        attacker.send(ip("224.0.0.18"), rewritten(advert, 100 + i));
        l.advanceBy(Duration.ofSeconds(1));
      }
      double tookSeconds = (l.nanoTime() - crashedAt) / 1e9;
      if (maxAge == null) {
        assertEquals(Role.BACKUP, backup.role(), "without an age check it holds off for good");
      } else {
        assertEquals(Role.MASTER, backup.role(), "took " + tookSeconds + " s");
        assertTrue(tookSeconds <= 5 + 3.4 + 1, "took " + tookSeconds + " s");
      }
      backup.close();
    }
  }

  /** {@code advert} with advbase = advskew = 0 and the source 192.0.2.{@code host}. */
  private static ByteBuffer rewritten(ByteBuffer advert, int host) {
    ByteBuffer b = ByteBuffer.allocate(advert.remaining()).put(advert.duplicate()).flip();
    b.put(20 + 2, (byte) 0).put(20 + 5, (byte) 0);
    b.putShort(20 + 6, (short) 0);
    int carp = org.failover4j.api.InternetChecksum.add(0, b, 20, 36);
    b.putShort(20 + 6, (short) org.failover4j.api.InternetChecksum.finish(carp));
    b.put(15, (byte) host);
    b.putShort(10, (short) 0);
    int header = org.failover4j.api.InternetChecksum.add(0, b, 0, 20);
    b.putShort(10, (short) org.failover4j.api.InternetChecksum.finish(header));
    return b;
  }
}
