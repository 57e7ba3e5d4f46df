package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.Role;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv6 with unicast peers on the real kernel: two failover4j routers that are each
 * other's peers by their global addresses. Once the master holds 2001:db8::100/64, its kernel would
 * choose that newest address of the /64 as the source of an unbound unicast advert, under a
 * checksum computed over another (the backup dropped every advert as BAD_CHECKSUM). Each advert
 * leaves from the host's own global address, fixed on the socket: the backup takes them as its
 * peer's, with source checking on (the default), and takes over when the master leaves.
 */
@Interop(peers = {})
class VrrpIpv6UnicastInteropTest {

  private static final String VIP = "2001:db8::100";

  private static VrrpRouter router(Host host, Lan lan, int priority, InetAddress peer)
      throws Exception {
    NetlinkPlatform platform = host.call(NetlinkPlatform::open);
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(
                VrrpInstanceConfig.builder("v6")
                    .iface(host.iface(lan))
                    .vrid(51)
                    .priority(priority)
                    .version(3)
                    .advertInterval(Duration.ofMillis(200))
                    .virtualAddress(VIP + "/64")
                    .unicastPeer(peer)
                    .build())
            .build();
    host.call(
        () -> {
          router.start();
          return null;
        });
    return router;
  }

  @Test
  void peersByGlobalAddressKeepOneMasterAndHandOver(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host h1 = lab.host("h1", lan);
    Host h2 = lab.host("h2", lan);
    InetAddress vip = InetAddress.getByName(VIP);
    try (VrrpRouter first = router(h1, lan, 200, h2.ipv6(lan));
        VrrpRouter second = router(h2, lan, 100, h1.ipv6(lan))) {
      VrrpInstance master = first.instance("v6");
      VrrpInstance backup = second.instance("v6");
      assertTrue(master.awaitRole(Role.MASTER, Duration.ofSeconds(5)));
      Thread.sleep(2_000);
      assertEquals(Role.BACKUP, backup.role(), backup.statistics().toString());
      assertEquals(0, backup.statistics().totalDropped(), backup.statistics().toString());
      assertTrue(backup.statistics().advertsReceived() >= 5, backup.statistics().toString());
      assertTrue(h1.hasAddress(h1.iface(lan), vip));
      assertFalse(h2.hasAddress(h2.iface(lan), vip));

      first.close();
      assertTrue(backup.awaitRole(Role.MASTER, Duration.ofSeconds(2)), "priority 0 by unicast");
      assertTrue(h2.hasAddress(h2.iface(lan), vip));
    }
  }
}
