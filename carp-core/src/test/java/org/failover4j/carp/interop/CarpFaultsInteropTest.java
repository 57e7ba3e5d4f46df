package org.failover4j.carp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.failover4j.api.Role;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.junit.jupiter.api.Test;

/**
 * The VRRP fault tests, run for CARP on the real kernel: beside ucarp 1.5.2 and beside another
 * failover4j host. An address removed by hand is back with a gratuitous ARP within a second; an
 * interface deleted and created again ends with one master announcing from the new MAC; a link down
 * for 3 s moves the address to the peer and back without two masters; a restart after a crash
 * clears the address the crashed run left; a 5 s stall ends with the clients' ARP caches on the
 * real master.
 */
@Interop(peers = {"ucarp", "tshark"})
class CarpFaultsInteropTest {

  private static final String VIP = "192.0.2.100";

  /** The peer beside the failover4j master: ucarp, or another failover4j host. */
  private interface Peer extends AutoCloseable {
    boolean isMaster();
  }

  private static Peer ucarpPeer(Host host, Lan lan) {
    Ucarp ucarp =
        Ucarp.start(
            host,
            new UcarpConfig()
                .iface(host.iface(lan))
                .sourceAddress(host.ipv4(lan).getHostAddress())
                .vhid(10)
                .password("s3cr3t")
                .virtualAddress(VIP, 24)
                .advbase(1)
                .advskew(100));
    return new Peer() {
      @Override
      public boolean isMaster() {
        return holdsQuietly(host, lan);
      }

      @Override
      public void close() {
        ucarp.close();
      }
    };
  }

  private static Peer javaPeer(Host host, Lan lan) throws Exception {
    JavaCarp carp = new JavaCarp(host, lan, 100, true, CounterMode.REPLAY_PROTECTED);
    return new Peer() {
      @Override
      public boolean isMaster() {
        return carp.host.role() == Role.MASTER;
      }

      @Override
      public void close() throws Exception {
        carp.close();
      }
    };
  }

  private interface PeerFactory {
    Peer start(Host host, Lan lan) throws Exception;
  }

  // ---- an address removed by hand ---------------------------------------------------------------

  @Test
  void anAddressRemovedByHandIsBackWithAGratuitousArpBesideUcarp(Lab lab) throws Exception {
    addressRemovedByHand(lab, CounterMode.UCARP_COMPATIBLE, CarpFaultsInteropTest::ucarpPeer);
  }

  @Test
  void anAddressRemovedByHandIsBackWithAGratuitousArpBesideFailover4j(Lab lab) throws Exception {
    addressRemovedByHand(lab, CounterMode.REPLAY_PROTECTED, CarpFaultsInteropTest::javaPeer);
  }

  private static void addressRemovedByHand(Lab lab, CounterMode mode, PeerFactory peerFactory)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host javaHost = lab.host("java", lan);
    Host peerHost = lab.host("peer", lan);
    try (JavaCarp java = new JavaCarp(javaHost, lan, 0, true, mode);
        Peer peer = peerFactory.start(peerHost, lan)) {
      assertTrue(java.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      Thread.sleep(4_000);
      Capture wire = lan.capture("addr-del", "arp");
      long removedAt = System.nanoTime();
      javaHost.run("ip", "addr", "del", VIP + "/24", "dev", javaHost.iface(lan));
      assertTrue(waitUntil(() -> holdsQuietly(javaHost, lan), 1_000), "restored within a second");
      System.out.printf(
          "CARP: VIP restored %.1f ms after ip addr del%n", (System.nanoTime() - removedAt) / 1e6);
      Thread.sleep(300);
      assertEquals(1, java.host.statistics().addressesRestored());
      List<List<String>> arps = wire.fields("arp", "eth.src", "arp.src.proto_ipv4");
      assertTrue(
          arps.stream().anyMatch(f -> f.get(1).equals(VIP)),
          "a gratuitous ARP after restoring: " + arps);
      Thread.sleep(3_000);
      assertEquals(Role.MASTER, java.host.role(), java.events.toString());
      assertFalse(peer.isMaster(), "no backup took over");
    }
  }

  // ---- an interface deleted and created again ---------------------------------------------------

  @Test
  void anInterfaceCreatedAgainEndsWithOneMasterOnTheNewMacBesideUcarp(Lab lab) throws Exception {
    interfaceCreatedAgain(lab, CounterMode.UCARP_COMPATIBLE, CarpFaultsInteropTest::ucarpPeer);
  }

  @Test
  void anInterfaceCreatedAgainEndsWithOneMasterOnTheNewMacBesideFailover4j(Lab lab)
      throws Exception {
    interfaceCreatedAgain(lab, CounterMode.REPLAY_PROTECTED, CarpFaultsInteropTest::javaPeer);
  }

  private static void interfaceCreatedAgain(Lab lab, CounterMode mode, PeerFactory peerFactory)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host javaHost = lab.host("java", lan);
    Host peerHost = lab.host("peer", lan);
    try (JavaCarp java = new JavaCarp(javaHost, lan, 0, true, mode);
        Peer peer = peerFactory.start(peerHost, lan)) {
      assertTrue(java.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      Thread.sleep(3_000);
      String oldMac = javaHost.mac(javaHost.iface(lan));

      long recreatedAt = System.nanoTime();
      lan.recreate(javaHost);
      String newMac = javaHost.mac(javaHost.iface(lan));
      assertFalse(oldMac.equals(newMac), "a new interface, a new MAC");
      assertTrue(
          waitUntil(
              () ->
                  java.host.role() == Role.MASTER
                      && holdsQuietly(javaHost, lan)
                      && !peer.isMaster(),
              15_000),
          java.events.toString());
      System.out.printf(
          "CARP: one master on the re-created interface %.0f ms after it was deleted%n",
          (System.nanoTime() - recreatedAt) / 1e6);
      Capture wire = lan.capture("recreated", "arp or ip proto 112");
      Thread.sleep(2_500);
      assertEquals(Role.MASTER, java.host.role(), java.events.toString());
      assertFalse(peer.isMaster(), "exactly one master");
      List<List<String>> adverts = wire.fields("ip.proto == 112", "eth.src", "ip.src");
      assertTrue(
          adverts.stream().anyMatch(f -> f.get(0).equals(newMac)),
          "adverts leave through the new interface: " + adverts);
      long failures = java.host.statistics().sendFailures();
      Thread.sleep(1_500);
      assertEquals(failures, java.host.statistics().sendFailures(), "no advert fails any more");
    }
  }

  // ---- a link down ------------------------------------------------------------------------------

  @Test
  void aLinkDownFor3sEndsWithTheSameMasterBesideUcarp(Lab lab) throws Exception {
    linkDown(
        lab, 3_000, CounterMode.UCARP_COMPATIBLE, CarpFaultsInteropTest::ucarpPeer, UCARP_REACTION);
  }

  @Test
  void aLinkDownFor3sEndsWithTheSameMasterBesideFailover4j(Lab lab) throws Exception {
    linkDown(
        lab, 3_000, CounterMode.REPLAY_PROTECTED, CarpFaultsInteropTest::javaPeer, JAVA_REACTION);
  }

  @Test
  void aLinkDownFor6sMovesTheAddressToUcarpAndBack(Lab lab) throws Exception {
    linkDown(
        lab, 6_000, CounterMode.UCARP_COMPATIBLE, CarpFaultsInteropTest::ucarpPeer, UCARP_REACTION);
  }

  @Test
  void aLinkDownFor6sMovesTheAddressToFailover4jAndBack(Lab lab) throws Exception {
    linkDown(
        lab, 6_000, CounterMode.REPLAY_PROTECTED, CarpFaultsInteropTest::javaPeer, JAVA_REACTION);
  }

  /**
   * How long ucarp may advertise on after the master's advert: it reads its capture socket when its
   * poll wakes, at the latest one advert interval (advbase 1 + advskew 100/256) later.
   */
  private static final double UCARP_REACTION = 1 + 100 / 256.0;

  /** Another failover4j host steps down as soon as the advert arrives. */
  private static final double JAVA_REACTION = 0.1;

  /**
   * Seconds within which the peer's advert and the master's first one after link up are one event:
   * the time to carry an advert across the veth pair and wake the peer's loop, loaded build
   * included.
   */
  private static final double SIMULTANEOUS = 0.005;

  /**
   * The master's link goes down for {@code downMillis}: it leaves at once (FAULT, no address), a
   * peer takes over if the outage outlasts its master-down interval, and at link up the preempting
   * master takes the role back at once and advertises. Two masters show as the peer advertising
   * after the master's first advert: it must stop within {@code peerReaction} s, its own time to
   * read an advert, and a peer that had not taken over when the master spoke again must not take
   * over afterwards.
   */
  private static void linkDown(
      Lab lab, long downMillis, CounterMode mode, PeerFactory peerFactory, double peerReaction)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host javaHost = lab.host("java", lan);
    Host peerHost = lab.host("peer", lan);
    String javaIp = javaHost.ipv4(lan).getHostAddress();
    String peerIp = peerHost.ipv4(lan).getHostAddress();
    try (JavaCarp java = new JavaCarp(javaHost, lan, 0, true, mode);
        Peer peer = peerFactory.start(peerHost, lan)) {
      assertTrue(java.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      Thread.sleep(3_000);
      Capture wire = lan.capture("link-down", "ip proto 112");

      long downAt = System.currentTimeMillis();
      javaHost.linkDown(lan);
      assertTrue(java.host.awaitRole(Role.FAULT, Duration.ofSeconds(1)), java.events.toString());
      assertTrue(waitUntil(() -> !holdsQuietly(javaHost, lan), 1_000), "the address is given up");
      Thread.sleep(Math.max(0, downAt + downMillis - System.currentTimeMillis()));
      long upAt = System.currentTimeMillis();
      javaHost.linkUp(lan);
      assertTrue(java.host.awaitRole(Role.MASTER, Duration.ofSeconds(1)), java.events.toString());
      Thread.sleep(5_000);
      assertEquals(Role.MASTER, java.host.role(), java.events.toString());
      assertFalse(peer.isMaster(), "one master");
      assertTrue(holdsQuietly(javaHost, lan));

      List<List<String>> adverts =
          wire.fields(Capture.DECODE_CARP, "ip.proto == 112", "frame.time_epoch", "ip.src");
      double up = upAt / 1000.0;
      double firstJava = Double.MAX_VALUE;
      for (List<String> a : adverts) {
        double t = Double.parseDouble(a.get(0));
        if (a.get(1).equals(javaIp) && t > up) {
          firstJava = Math.min(firstJava, t);
        }
      }
      boolean peerServedWhileDown = false;
      double twoMasters = 0;
      int peerAfterUp = 0;
      for (List<String> a : adverts) {
        double t = Double.parseDouble(a.get(0));
        if (a.get(1).equals(peerIp)) {
          // The peer cannot see the link come back, only the master's next advert: a takeover
          // whose timer ran out before that advert arrived is one made while the master was away.
          // An advert that leaves within SIMULTANEOUS of the master's was decided before the
          // master's could be read (a full run saw 0.7 ms), so it counts as made while away.
          peerServedWhileDown |= t < firstJava + SIMULTANEOUS;
          peerAfterUp += t > firstJava + SIMULTANEOUS ? 1 : 0;
          twoMasters = Math.max(twoMasters, t - firstJava);
        }
      }
      System.out.printf(
          "CARP: link down %d ms: peer served while down %s, master again %.0f ms after link up,"
              + " peer advertised %.0f ms after the master's first advert%n",
          downMillis, peerServedWhileDown, (firstJava - up) * 1000, twoMasters * 1000);
      assertTrue(firstJava - up < 0.5, "the master advertises at once at link up: " + adverts);
      if (downMillis >= 6_000) {
        assertTrue(peerServedWhileDown, "the peer took over while the link was down: " + adverts);
      }
      if (!peerServedWhileDown) {
        assertEquals(0, peerAfterUp, "no needless takeover after the link is back: " + adverts);
      }
      assertTrue(
          twoMasters < peerReaction,
          "the peer stepped down at its first chance after the master's advert: " + adverts);
    }
  }

  // ---- a restart after a crash ------------------------------------------------------------------

  @Test
  void aRestartAfterACrashClearsTheStaleAddressBesideUcarp(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host javaHost = lab.host("java", lan);
    Host peerHost = lab.host("peer", lan);
    try (Peer ucarp = ucarpPeer(peerHost, lan)) {
      assertTrue(waitUntil(ucarp::isMaster, 15_000));
      // What a SIGKILLed master leaves: the address, and nobody to remove it.
      javaHost.run("ip", "addr", "add", VIP + "/24", "dev", javaHost.iface(lan));
      try (JavaCarp java = new JavaCarp(javaHost, lan, 200, true, CounterMode.UCARP_COMPATIBLE)) {
        Thread.sleep(2_000);
        assertEquals(Role.BACKUP, java.host.role(), java.events.toString());
        assertFalse(holdsQuietly(javaHost, lan), "one host answers ARP for the VIP, not two");
        assertTrue(ucarp.isMaster());
      }
    }
  }

  // ---- a 5 s stall ------------------------------------------------------------------------------

  @Test
  void aStalledMasterThatResumesEndsWithTheClientsOnItsMacBesideUcarp(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host javaHost = lab.host("java", lan);
    Host peerHost = lab.host("peer", lan);
    Host client = lab.host("client", lan);
    try (JavaCarp java = new JavaCarp(javaHost, lan, 0, true, CounterMode.UCARP_COMPATIBLE);
        Peer ucarp = ucarpPeer(peerHost, lan)) {
      assertTrue(java.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      Thread.sleep(3_000);
      client.run("ping", "-c", "1", "-W", "1", VIP);
      String javaMac = javaHost.mac(javaHost.iface(lan));
      assertEquals(javaMac, neighbour(client, lan), "the client starts on the master");

      // A 5 s stop-the-world pause of the event loop, as a long GC pause or a frozen VM.
      java.platform.eventLoop().execute(() -> sleep(5_000));
      assertTrue(waitUntil(ucarp::isMaster, 6_000), "ucarp took over during the stall");
      assertTrue(
          waitUntil(() -> !ucarp.isMaster(), 8_000), "ucarp steps down once the master resumes");
      // The schedule's later round comes after anything ucarp sent while it was master.
      Thread.sleep(3_000);
      assertEquals(Role.MASTER, java.host.role(), java.events.toString());
      assertEquals(javaMac, neighbour(client, lan), "the client's ARP cache is on the master");
    }
  }

  private static String neighbour(Host client, Lan lan) {
    String out = client.run("ip", "neigh", "show", VIP, "dev", client.iface(lan)).stdout().strip();
    int at = out.indexOf("lladdr ");
    return at < 0 ? out : out.substring(at + 7).split(" ")[0];
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static boolean holdsQuietly(Host host, Lan lan) {
    try {
      return host.hasAddress(host.iface(lan), InetAddress.getByName(VIP));
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean waitUntil(BooleanSupplier condition, long millis)
      throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
