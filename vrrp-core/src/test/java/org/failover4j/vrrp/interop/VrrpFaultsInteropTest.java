package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;

/**
 * The kernel-side faults keepalived survives, reproduced against keepalived 2.2.7: a stalled master
 * that resumes, a virtual address removed by hand, an interface deleted and created again. In each,
 * exactly one master must serve afterwards and clients must be pointed at it.
 */
@Interop(peers = {"keepalived", "tshark"})
class VrrpFaultsInteropTest {

  private static final int VRID = 61;
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private static KeepalivedConfig keepalived(int priority) {
    KeepalivedConfig config = new KeepalivedConfig("kad");
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(VRID)
        .priority(priority)
        .version(3)
        .advertInterval(INTERVAL)
        .vip("192.0.2.100/24");
    return config;
  }

  private static VrrpRouter.Builder java(int priority) {
    return VrrpRouter.builder()
        .instance(
            VrrpInstanceConfig.builder("VI_1")
                .iface("eth0")
                .vrid(VRID)
                .priority(priority)
                .advertInterval(INTERVAL)
                .virtualAddress("192.0.2.100/24")
                .build());
  }

  /** A failover4j master and a keepalived backup on one LAN. */
  private record Pair(Lan lan, Host javaHost, Host kadHost, JavaRouter java, Keepalived kad)
      implements AutoCloseable {
    @Override
    public void close() {
      java.close();
    }
  }

  private static Pair masterBesideKeepalived(Lab lab, VrrpRouter.Builder builder) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    JavaRouter java = JavaRouter.start(javaHost, builder);
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    Keepalived kad = Keepalived.start(kadHost, keepalived(100));
    kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(10));
    return new Pair(lan, javaHost, kadHost, java, kad);
  }

  @Test
  void aStalledMasterThatResumesAnnouncesAgainAtOnce(Lab lab) throws Exception {
    try (Pair pair = masterBesideKeepalived(lab, java(150))) {
      Lan lan = pair.lan();
      Host javaHost = pair.javaHost();
      Host kadHost = pair.kadHost();
      JavaRouter java = pair.java();
      Keepalived kad = pair.kad();
      InetAddress vip = lan.ipv4(100);

      Capture wire = lan.capture("stall", "arp or ip proto 112");
      // A 3 s stop-the-world pause of the event loop, as a long GC pause or a frozen VM.
      java.router.platform().eventLoop().execute(() -> sleep(3_000));
      kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
      sleep(3_500);

      kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(3));
      assertEquals(Role.MASTER, java.instance("VI_1").role());
      assertTrue(javaHost.hasAddress("eth0", vip));
      List<List<String>> arps =
          wire.fields("arp", "frame.time_epoch", "eth.src", "arp.src.proto_ipv4");
      String javaMac = javaHost.mac("eth0");
      String kadMac = kadHost.mac("eth0");
      double lastKad = lastFrom(arps, kadMac);
      double firstJavaAfter = firstFromAfter(arps, javaMac, lastKad);
      assertTrue(lastKad > 0, "keepalived announced itself while the Java master stalled");
      assertTrue(firstJavaAfter > 0, "the resumed master announced the VIP again: " + arps);
    }
  }

  @Test
  void aVirtualAddressRemovedByHandIsRestoredAndAnnounced(Lab lab) throws Exception {
    try (Pair pair = masterBesideKeepalived(lab, java(150))) {
      Lan lan = pair.lan();
      Host javaHost = pair.javaHost();
      Host kadHost = pair.kadHost();
      JavaRouter java = pair.java();
      Keepalived kad = pair.kad();
      InetAddress vip = lan.ipv4(100);
      Capture wire = lan.capture("addr-del", "arp");

      javaHost.run("ip", "addr", "del", "192.0.2.100/24", "dev", "eth0");
      long deadline = System.nanoTime() + 1_000_000_000L;
      while (!javaHost.hasAddress("eth0", vip) && System.nanoTime() < deadline) {
        sleep(20);
      }
      assertTrue(javaHost.hasAddress("eth0", vip), "restored within a second");
      sleep(300);
      assertEquals(1, java.instance("VI_1").statistics().addressesRestored());
      List<List<String>> arps = wire.fields("arp", "eth.src", "arp.src.proto_ipv4");
      assertTrue(
          arps.stream().anyMatch(f -> f.get(1).equals("192.0.2.100")),
          "gratuitous ARP after restoring: " + arps);
      assertEquals(Role.MASTER, java.instance("VI_1").role());
      assertEquals(0, kad.countState("VI_1", "MASTER"), kad.log());
    }
  }

  @Test
  void anInterfaceDeletedAndCreatedAgainIsFollowed(Lab lab) throws Exception {
    try (Pair pair = masterBesideKeepalived(lab, java(150))) {
      Lan lan = pair.lan();
      Host javaHost = pair.javaHost();
      Host kadHost = pair.kadHost();
      JavaRouter java = pair.java();
      Keepalived kad = pair.kad();
      InetAddress vip = lan.ipv4(100);
      String oldMac = javaHost.mac("eth0");

      lan.recreate(javaHost);
      String newMac = javaHost.mac("eth0");
      assertFalse(oldMac.equals(newMac), "a new interface, a new MAC");
      assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
      Capture wire = lan.capture("recreated", "arp or ip proto 112");
      sleep(1_500);

      kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(3));
      assertTrue(javaHost.hasAddress("eth0", vip));
      assertFalse(kadHost.hasAddress("eth0", vip), "exactly one master holds the VIP");
      List<List<String>> adverts = wire.fields("vrrp", "eth.src", "ip.src");
      assertTrue(
          adverts.stream().anyMatch(f -> f.get(0).equals(newMac)),
          "adverts leave through the new interface: " + adverts);
      long refusedBefore =
          java.instance("VI_1").statistics().drops().values().stream()
              .mapToLong(Long::longValue)
              .sum();
      sleep(500);
      long refusedAfter =
          java.instance("VI_1").statistics().drops().values().stream()
              .mapToLong(Long::longValue)
              .sum();
      assertEquals(refusedBefore, refusedAfter, "no advert fails any more");
    }
  }

  @Test
  void aVirtualMacIsCreatedAgainWhenItsInterfaceReturns(Lab lab) throws Exception {
    VrrpRouter.Builder builder =
        VrrpRouter.builder()
            .instance(
                VrrpInstanceConfig.builder("VI_1")
                    .iface("eth0")
                    .vrid(VRID)
                    .priority(150)
                    .advertInterval(INTERVAL)
                    .virtualAddress("192.0.2.100/24")
                    .virtualMac(true)
                    .build());
    try (Pair pair = masterBesideKeepalived(lab, builder)) {
      Lan lan = pair.lan();
      Host javaHost = pair.javaHost();
      Host kadHost = pair.kadHost();
      JavaRouter java = pair.java();
      Keepalived kad = pair.kad();

      lan.recreate(javaHost);
      Capture wire = lan.capture("vmac-recreated", "ip proto 112");
      sleep(2_000);

      assertEquals(Role.MASTER, java.instance("VI_1").role());
      kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(3));
      assertTrue(javaHost.hasAddress("vrrp." + VRID, lan.ipv4(100)), "the VIP is on the macvlan");
      List<List<String>> adverts = wire.fields("vrrp", "eth.src", "ip.src");
      String virtualMac = String.format("00:00:5e:00:01:%02x", VRID);
      assertTrue(
          adverts.stream().anyMatch(f -> f.get(0).equals(virtualMac)),
          "adverts from the virtual MAC again: " + adverts);
    }
  }

  private static double lastFrom(List<List<String>> frames, String mac) {
    double last = 0;
    for (List<String> f : frames) {
      if (f.get(1).equals(mac)) {
        last = Double.parseDouble(f.get(0));
      }
    }
    return last;
  }

  private static double firstFromAfter(List<List<String>> frames, String mac, double after) {
    for (List<String> f : frames) {
      double t = Double.parseDouble(f.get(0));
      if (f.get(1).equals(mac) && t > after) {
        return t;
      }
    }
    return 0;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
