package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.failover4j.api.Role;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.VrrpStatistics;
import org.junit.jupiter.api.Test;

/**
 * A VRRP router and a CARP host in one process on one interface, on one {@link NetlinkPlatform} (so
 * one shared protocol-112 socket), against keepalived and ucarp on the same LAN at once. Both
 * elections work in both directions (failover4j backup, then master when its peer is frozen, then
 * backup again when the peer returns), every advert reaches only its own protocol, and neither
 * keepalived nor ucarp complains about the other protocol's adverts.
 */
@Interop(peers = {"keepalived", "ucarp"})
class VrrpAndCarpInOneProcessInteropTest {

  private static final int VRID = 60;
  private static final int VHID = 10;

  /** VRRPv2 shares CARP's first byte (0x21): only the VRID / VHID tells them apart for ucarp. */
  @Test
  void vrrpVersion2AndCarpShareTheInterface(Lab lab) throws Exception {
    run(lab, 2);
  }

  @Test
  void vrrpVersion3AndCarpShareTheInterface(Lab lab) throws Exception {
    run(lab, 3);
  }

  private static void run(Lab lab, int version) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host ucHost = lab.host("uc", lan);
    Host javaHost = lab.host("java", lan);
    String iface = javaHost.iface(lan);
    InetAddress vrrpVip = lan.ipv4(60);
    InetAddress carpVip = lan.ipv4(110);

    KeepalivedConfig kadConfig = new KeepalivedConfig("kad");
    kadConfig
        .instance("VI_1")
        .iface(kadHost.iface(lan))
        .vrid(VRID)
        .priority(150)
        .version(version)
        .advertInterval(Duration.ofSeconds(1))
        .vip(vrrpVip.getHostAddress() + "/24");
    UcarpConfig ucConfig =
        new UcarpConfig()
            .iface(ucHost.iface(lan))
            .sourceAddress(ucHost.ipv4(lan).getHostAddress())
            .vhid(VHID)
            .password("s3cr3t")
            .virtualAddress(carpVip.getHostAddress(), 24)
            .advbase(1)
            .advskew(0);

    try (Keepalived kad = Keepalived.start(kadHost, kadConfig);
        Ucarp ucarp = Ucarp.start(ucHost, ucConfig)) {
      kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(15));
      ucarp.awaitMaster(Duration.ofSeconds(15));

      NetlinkPlatform platform = javaHost.call(NetlinkPlatform::open);
      VrrpRouter router =
          VrrpRouter.builder()
              .platform(platform)
              .instance(
                  VrrpInstanceConfig.builder("vrrp")
                      .iface(iface)
                      .vrid(VRID)
                      .priority(100)
                      .version(version)
                      .advertInterval(Duration.ofSeconds(1))
                      .virtualAddress(vrrpVip.getHostAddress() + "/24")
                      .build())
              .build();
      VrrpInstance vrrp = router.instance("vrrp");
      CarpHost carp =
          CarpHost.builder()
              .platform(platform)
              .config(
                  CarpHostConfig.builder()
                      .iface(iface)
                      .vhid(VHID)
                      .passphrase("s3cr3t")
                      .virtualAddress(carpVip.getHostAddress() + "/24")
                      .advskew(100)
                      .counterMode(CounterMode.UCARP_COMPATIBLE)
                      .build())
              .build();
      try {
        javaHost.call(
            () -> {
              router.start();
              carp.start();
              return null;
            });
        assertEquals(1, rawSockets(javaHost, 112), "one protocol-112 socket for both");
        // A ucarp advert that arrives after the router opened the shared socket but before the
        // CARP host claimed it is rightly unclaimed; only what comes after both started counts.
        long unclaimedAtStart = total(platform.advertDrops());

        // 1. Both peers are masters: failover4j hears each through its own protocol only.
        Thread.sleep(6_000);
        assertEquals(Role.BACKUP, vrrp.role());
        assertEquals(Role.BACKUP, carp.role());
        VrrpStatistics backup = vrrp.statistics();
        assertTrue(backup.advertsReceived() >= 4, backup.toString());
        assertTrue(
            carp.statistics().advertsReceived() >= 4, "" + carp.statistics().advertsReceived());
        assertClean(vrrp, carp, platform, unclaimedAtStart);

        // 2. Both peers freeze: failover4j takes over both, and now sends both kinds of adverts.
        kad.freeze();
        ucarp.process().signal("STOP");
        assertTrue(vrrp.awaitRole(Role.MASTER, Duration.ofSeconds(6)), kad.log());
        assertTrue(carp.awaitRole(Role.MASTER, Duration.ofSeconds(6)), ucarp.log());
        assertTrue(javaHost.hasAddress(iface, vrrpVip));
        assertTrue(javaHost.hasAddress(iface, carpVip));
        Thread.sleep(3_000);

        // 3. Both return: keepalived preempts with its higher priority, ucarp's faster adverts
        // make failover4j's CARP master step down; both had failover4j's adverts queued.
        kad.thaw();
        ucarp.process().signal("CONT");
        assertTrue(awaitRole(vrrp, Role.BACKUP, Duration.ofSeconds(10)), kad.log());
        assertTrue(awaitRole(carp, Role.BACKUP, Duration.ofSeconds(10)), ucarp.log());
        Thread.sleep(3_000);
        assertFalse(javaHost.hasAddress(iface, vrrpVip));
        assertFalse(javaHost.hasAddress(iface, carpVip));
        assertTrue(kadHost.hasAddress(kadHost.iface(lan), vrrpVip), kad.log());
        assertTrue(ucHost.hasAddress(ucHost.iface(lan), carpVip), ucarp.log());
        assertClean(vrrp, carp, platform, unclaimedAtStart);
        assertTrue(vrrp.statistics().advertsSent() >= 3, vrrp.statistics().toString());
        assertTrue(carp.statistics().advertsSent() >= 3, "" + carp.statistics().advertsSent());
      } finally {
        carp.close();
        router.close();
        platform.close();
      }

      assertEquals(List.of(), kad.rejections(), "keepalived rejected nothing");
      assertFalse(ucarp.log().contains("Bad digest"), ucarp.log());
      for (String line : ucarp.log().split("\n")) {
        if (line.contains("Bad ") || line.contains("Bogus")) {
          // VRRPv3's first byte is 0x31: ucarp 1.5.2 warns about every VRRPv3 advert on the
          // segment, keepalived's as much as failover4j's. Nothing else may appear.
          assertTrue(version == 3 && line.contains("Bad version: [3]"), line);
        }
      }
      if (version == 2) {
        assertFalse(ucarp.log().contains("Bad "), ucarp.log());
      }
    }
  }

  /** No drop on either side, and nothing on the shared socket that nobody claimed. */
  private static void assertClean(
      VrrpInstance vrrp, CarpHost carp, NetlinkPlatform platform, long unclaimedAtStart) {
    assertEquals(0, vrrp.statistics().totalDropped(), vrrp.statistics().toString());
    assertEquals(
        0,
        carp.statistics().drops().values().stream().mapToLong(Long::longValue).sum(),
        "" + carp.statistics().drops());
    Map<AdvertDropReason, Long> unclaimed = platform.advertDrops();
    assertEquals(unclaimedAtStart, total(unclaimed), unclaimed.toString());
  }

  private static long total(Map<AdvertDropReason, Long> drops) {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }

  private static boolean awaitRole(
      org.failover4j.api.RoleObservable observable, Role role, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (observable.role() != role) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** The IPv4 raw sockets of {@code protocol} open in the host's namespace. */
  private static long rawSockets(Host host, int protocol) {
    String hex = String.format(":%04X ", protocol);
    return host.exec("cat", "/proc/net/raw")
        .stdout()
        .lines()
        .skip(1)
        .filter(l -> l.strip().split("\\s+")[1].endsWith(hex.strip()))
        .count();
  }
}
