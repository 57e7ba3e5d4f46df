package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
import org.failover4j.vrrp.VrrpStatistics;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.Test;

/** VRRPv2 with IPsec-AH and with simple-text passwords against keepalived 2.2.7. */
@Interop(peers = {"keepalived", "tshark"})
class KeepalivedV2InteropTest {

  private static final int VRID = 62;

  private static Keepalived keepalived(
      Host host, int priority, UnaryOperator<KeepalivedConfig.Instance> auth) {
    KeepalivedConfig config = new KeepalivedConfig("kad");
    auth.apply(
        config
            .instance("VI_1")
            .iface("eth0")
            .vrid(VRID)
            .priority(priority)
            .version(2)
            .vip("192.0.2.100/24"));
    return Keepalived.start(host, config);
  }

  private static JavaRouter java(
      Host host, int priority, UnaryOperator<VrrpInstanceConfig.Builder> auth) throws Exception {
    return JavaRouter.start(
        host,
        VrrpRouter.builder()
            .instance(
                auth.apply(
                        VrrpInstanceConfig.builder("VI_1")
                            .iface("eth0")
                            .vrid(VRID)
                            .version(2)
                            .priority(priority)
                            .virtualAddress("192.0.2.100/24"))
                    .build()));
  }

  @Test
  void ipsecAhWithKeepalivedMasterThroughRestartFreezeAndReturn(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Keepalived kad = keepalived(kadHost, 150, i -> i.authAh("secret12"));
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));

    // failover4j joins and learns keepalived's counter; then restarts and learns it again.
    try (JavaRouter first = java(javaHost, 100, b -> b.authAh("secret12"))) {
      Thread.sleep(2_500);
      assertEquals(Role.BACKUP, first.instance("VI_1").role());
      assertAccepted(first.instance("VI_1").statistics());
    }
    JavaRouter java = java(javaHost, 100, b -> b.authAh("secret12"));
    Thread.sleep(2_500);
    assertEquals(Role.BACKUP, java.instance("VI_1").role(), "a restart does not start as master");
    assertAccepted(java.instance("VI_1").statistics());

    assertEquals(List.of(), kad.rejections(), "no authentication error through the restart");

    // keepalived freezes: failover4j becomes master with AH adverts keepalived will accept.
    kad.freeze();
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    Thread.sleep(1_500);
    kad.thaw();
    assertTrue(java.instance("VI_1").awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
    Thread.sleep(2_500);
    assertEquals(Role.BACKUP, java.instance("VI_1").role());
    java.close();
    // A frozen master and its successor both count on from the same learned number, so right
    // after the thaw each may see a number the other already used (keepalived against keepalived
    // does the same) until the lower-priority side syncs. Nothing else may be rejected.
    for (String line : kad.rejections()) {
      assertTrue(line.contains("already processed"), line);
    }
    VrrpStatistics stats = java.instance("VI_1").statistics();
    assertEquals(
        stats.dropped(VrrpDropReason.REPLAYED_SEQUENCE), stats.totalDropped(), stats.toString());
  }

  @Test
  void ipsecAhWithFailover4jMasterAndKeepalivedBackup(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Capture wire = lan.capture("ah", "ip proto 51");
    JavaRouter java = java(javaHost, 255, b -> b.authAh("secret12"));
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(3)));
    Keepalived kad = keepalived(kadHost, 100, i -> i.authAh("secret12"));
    kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(10));
    Thread.sleep(5_000);
    assertEquals(0, kad.countState("VI_1", "MASTER"), kad.log());
    java.close();
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(5));
    assertEquals(List.of(), kad.rejections());
    List<List<String>> adverts =
        wire.fields("ah && ip.src == 192.0.2.12", "ah.spi", "ah.sequence", "ip.dsfield", "ip.ttl");
    assertTrue(adverts.size() >= 5, adverts.toString());
    assertEquals("0xc000020c", adverts.get(0).get(0), "SPI = the source address");
    assertEquals("0xc0", adverts.get(0).get(2), "TOS as keepalived");
    for (int i = 1; i < adverts.size(); i++) {
      assertEquals(
          Long.parseLong(adverts.get(i - 1).get(1)) + 1,
          Long.parseLong(adverts.get(i).get(1)),
          "one sequence number per advert");
    }
  }

  @Test
  void simpleTextPasswordBothWays(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Keepalived kad = keepalived(kadHost, 150, i -> i.authPass("pw123456"));
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    JavaRouter java = java(javaHost, 100, b -> b.authPassword("pw123456"));
    Thread.sleep(2_500);
    assertEquals(Role.BACKUP, java.instance("VI_1").role());
    assertAccepted(java.instance("VI_1").statistics());
    kad.freeze();
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    kad.thaw();
    assertTrue(java.instance("VI_1").awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
    java.close();
    assertEquals(List.of(), kad.rejections());
  }

  @Test
  void aWrongPasswordIsRejectedOnBothSides(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Keepalived kad = keepalived(kadHost, 150, i -> i.authPass("right"));
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    JavaRouter java = java(javaHost, 100, b -> b.authPassword("wrong"));
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(6)));
    Thread.sleep(1_500);
    assertTrue(java.instance("VI_1").statistics().dropped(VrrpDropReason.AUTH_FAILURE) > 2);
    assertTrue(kad.rejections().stream().anyMatch(l -> l.contains("invalid passwd")), kad.log());
    java.close();
  }

  private static void assertAccepted(VrrpStatistics stats) {
    Map<VrrpDropReason, Long> drops = stats.drops();
    assertEquals(0, stats.totalDropped(), drops.toString());
    assertTrue(stats.advertsReceived() >= 2, "heard keepalived: " + stats);
  }
}
