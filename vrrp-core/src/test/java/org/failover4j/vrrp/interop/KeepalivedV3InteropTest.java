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
import org.failover4j.vrrp.election.ElectionTiming;
import org.junit.jupiter.api.Test;

/** VRRPv3 over IPv4 at 100 ms against keepalived 2.2.7, in both roles. */
@Interop(peers = {"keepalived", "tshark"})
class KeepalivedV3InteropTest {

  private static final int VRID = 60;

  private static KeepalivedConfig keepalived(String id, int priority) {
    KeepalivedConfig config = new KeepalivedConfig(id);
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(VRID)
        .priority(priority)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
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
                .advertInterval(Duration.ofMillis(100))
                .virtualAddress("192.0.2.100/24")
                .build());
  }

  @Test
  void keepalivedStaysBackupUnderFailover4jAndTakesOverAfterSkewOnClose(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    JavaRouter java = JavaRouter.start(javaHost, java(150));
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    Keepalived kad = Keepalived.start(kadHost, keepalived("kad", 100));
    kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(10));
    Thread.sleep(10_000);
    assertEquals(0, kad.countState("VI_1", "MASTER"), kad.log());
    assertEquals(List.of(), kad.rejections());
    assertFalse(kadHost.hasAddress("eth0", lan.ipv4(100)));

    Capture wire = lan.capture("handover", "ip proto 112");
    java.close();
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
    WireTimes times = new WireTimes(wire.fields("vrrp", "frame.time_epoch", "ip.src", "vrrp.prio"));
    double priorityZero = times.first("192.0.2.12", 2, "0");
    double takeover = times.firstAfter("192.0.2.11", priorityZero);
    double skewMs = ElectionTiming.skewNanos(3, 100, 10) / 1e6;
    double tookMs = (takeover - priorityZero) * 1000;
    System.out.printf(
        "keepalived took over %.1f ms after failover4j's priority 0 (Skew_Time %.1f ms)%n",
        tookMs, skewMs);
    assertTrue(
        tookMs <= skewMs + 20, "took " + tookMs + " ms, Skew_Time is " + skewMs + ": " + times);
    assertTrue(kadHost.hasAddress("eth0", lan.ipv4(100)));
    assertFalse(javaHost.hasAddress("eth0", lan.ipv4(100)), "failover4j removed its VIP");
  }

  @Test
  void failover4jBackupTakesOverFromAFrozenKeepalivedAndYieldsWhenItReturns(Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    InetAddress vip = lan.ipv4(100);
    Keepalived kad = Keepalived.start(kadHost, keepalived("kad", 150));
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    try (JavaRouter java = JavaRouter.start(javaHost, java(100))) {
      assertTrue(java.instance("VI_1").awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
      Thread.sleep(1_000);
      assertEquals(Role.BACKUP, java.instance("VI_1").role(), "keepalived's adverts are accepted");
      assertEquals(0, java.instance("VI_1").statistics().totalDropped());

      Capture wire = lan.capture("takeover", "ip proto 112 or arp");
      kad.freeze();
      assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(3)));
      assertTrue(javaHost.hasAddress("eth0", vip));
      Thread.sleep(300);
      List<List<String>> frames =
          wire.fields("vrrp or arp", "frame.time_epoch", "ip.src", "arp.src.proto_ipv4");
      double lastKeepalived = 0;
      double firstJava = 0;
      boolean garp = false;
      for (List<String> f : frames) {
        double t = Double.parseDouble(f.get(0));
        if (f.get(1).equals("192.0.2.11")) {
          lastKeepalived = t;
        } else if (f.get(1).equals("192.0.2.12") && firstJava == 0) {
          firstJava = t;
        } else if (f.get(2).equals("192.0.2.100")) {
          garp = true;
        }
      }
      assertTrue(garp, "gratuitous ARP for the VIP: " + frames);
      double masterDownMs = ElectionTiming.masterDownNanos(3, 100, 10) / 1e6;
      double tookMs = (firstJava - lastKeepalived) * 1000;
      System.out.printf(
          "failover4j took over %.1f ms after keepalived's last advert (Master_Down %.1f ms)%n",
          tookMs, masterDownMs);
      assertTrue(
          tookMs <= masterDownMs + 20,
          "took " + tookMs + " ms after keepalived's last advert, Master_Down is " + masterDownMs);

      kad.thaw();
      assertTrue(java.instance("VI_1").awaitRole(Role.BACKUP, Duration.ofSeconds(3)));
      Thread.sleep(200);
      assertFalse(javaHost.hasAddress("eth0", vip), "the VIP went back");
      assertTrue(kadHost.hasAddress("eth0", vip));
    }
  }
}
