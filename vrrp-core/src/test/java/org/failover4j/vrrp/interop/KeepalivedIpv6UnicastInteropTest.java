package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.AddressText;
import org.failover4j.api.Role;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv6 with unicast peers against keepalived 2.2.7, both checking that a unicast
 * advert's source is a listed peer: failover4j sends from its own global address, fixed on the
 * socket, while it holds the virtual address of the same /64 (the kernel would choose that one).
 * keepalived's IPv6 socket has the kernel verify the checksum and drop a wrong one silently, so a
 * keepalived that stays backup under a failover4j master is the proof that every advert passed.
 */
@Interop(peers = {"keepalived", "tshark"})
class KeepalivedIpv6UnicastInteropTest {

  private static final int VRID = 52;
  private static final String VIP = "2001:db8::100";

  private static KeepalivedConfig keepalived(Host host, Host peer, Lan lan, int priority) {
    KeepalivedConfig config = new KeepalivedConfig("kad");
    config
        .instance("VI_6")
        .iface(host.iface(lan))
        .vrid(VRID)
        .priority(priority)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip(VIP + "/64")
        .unicast(AddressText.of(host.ipv6(lan)), AddressText.of(peer.ipv6(lan)))
        .line("check_unicast_src");
    return config;
  }

  private static VrrpRouter.Builder java(Host host, Host peer, Lan lan, int priority) {
    return java(host, lan, priority, peer.ipv6(lan));
  }

  private static VrrpRouter.Builder java(Host host, Lan lan, int priority, InetAddress peer) {
    return VrrpRouter.builder()
        .instance(
            VrrpInstanceConfig.builder("VI_6")
                .iface(host.iface(lan))
                .vrid(VRID)
                .priority(priority)
                .version(3)
                .advertInterval(Duration.ofMillis(100))
                .virtualAddress(VIP + "/64")
                .unicastPeer(peer)
                .build());
  }

  @Test
  void eachTakesTheOthersUnicastAdvertsAndTakesOverWhenItLeaves(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    String kadAddress = AddressText.of(kadHost.ipv6(lan));
    String javaAddress = AddressText.of(javaHost.ipv6(lan));
    InetAddress vip = InetAddress.getByName(VIP);
    Capture wire = lan.capture("v6-unicast", "ip6 proto 112");

    // failover4j master, keepalived backup; then failover4j leaves.
    JavaRouter master = JavaRouter.start(javaHost, java(javaHost, kadHost, lan, 150));
    assertTrue(master.instance("VI_6").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    assertTrue(javaHost.hasAddress(javaHost.iface(lan), vip));
    Keepalived kad = Keepalived.start(kadHost, keepalived(kadHost, javaHost, lan, 100));
    try {
      kad.awaitState("VI_6", "BACKUP", Duration.ofSeconds(10));
      Thread.sleep(1_500);
      assertEquals(0, kad.countState("VI_6", "MASTER"), kad.log());
      assertEquals(List.of(), kad.rejections());
      assertFalse(kad.log().contains("not a unicast peer"), kad.log());
      master.close();
      kad.awaitState("VI_6", "MASTER", Duration.ofSeconds(3));
      assertTrue(kadHost.hasAddress(kadHost.iface(lan), vip));

      // keepalived master, failover4j backup; then keepalived leaves.
      try (JavaRouter backup = JavaRouter.start(javaHost, java(javaHost, kadHost, lan, 50))) {
        VrrpInstance instance = backup.instance("VI_6");
        assertTrue(instance.awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
        Thread.sleep(1_000);
        assertEquals(Role.BACKUP, instance.role(), instance.statistics().toString());
        assertEquals(0, instance.statistics().totalDropped(), instance.statistics().toString());
        assertTrue(instance.statistics().advertsReceived() >= 5, instance.statistics()::toString);
        kad.close();
        assertTrue(instance.awaitRole(Role.MASTER, Duration.ofSeconds(2)), "priority 0");
        assertTrue(javaHost.hasAddress(javaHost.iface(lan), vip));
        assertEquals(0, instance.statistics().totalDropped(), instance.statistics().toString());
      }
    } finally {
      kad.close();
    }
    List<List<String>> adverts = wire.fields("ipv6.nxt == 112", "ipv6.src", "ipv6.dst");
    assertTrue(adverts.stream().anyMatch(f -> f.get(0).equals(javaAddress)), adverts::toString);
    assertTrue(adverts.stream().anyMatch(f -> f.get(0).equals(kadAddress)), adverts::toString);
    for (List<String> f : adverts) {
      // Each from its sender's own address, never the virtual one, to the other only.
      assertEquals(f.get(0).equals(javaAddress) ? kadAddress : javaAddress, f.get(1), f::toString);
    }
  }

  /**
   * keepalived without {@code unicast_src_ip} sends from its link-local address (its interface's
   * {@code sin6_addr}), which a peer list of global addresses does not hold: listed by that
   * address, it is failover4j's peer (failover4j sends to it scoped to the interface).
   */
  @Test
  void keepalivedSendingFromItsLinkLocalAddressIsAPeerListedByIt(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    String kadIface = kadHost.iface(lan);
    KeepalivedConfig config = new KeepalivedConfig("kad");
    config
        .instance("VI_6")
        .iface(kadIface)
        .vrid(VRID)
        .priority(150)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip(VIP + "/64")
        .line("unicast_peer {\n    " + AddressText.of(javaHost.ipv6(lan)) + "\n  }")
        .line("check_unicast_src");
    InetAddress linkLocal =
        InetAddress.getByName(
            kadHost.addresses(kadIface).stream()
                .filter(a -> a.startsWith("fe80:"))
                .findFirst()
                .orElseThrow()
                .split("/")[0]);
    try (Keepalived kad = Keepalived.start(kadHost, config)) {
      kad.awaitState("VI_6", "MASTER", Duration.ofSeconds(10));
      try (JavaRouter backup = JavaRouter.start(javaHost, java(javaHost, lan, 100, linkLocal))) {
        VrrpInstance instance = backup.instance("VI_6");
        assertTrue(instance.awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
        Thread.sleep(1_000);
        assertEquals(Role.BACKUP, instance.role(), instance.statistics().toString());
        assertEquals(0, instance.statistics().totalDropped(), instance.statistics().toString());
        assertTrue(instance.statistics().advertsReceived() >= 5, instance.statistics()::toString);
        backup.close();
        Thread.sleep(300);
        assertEquals(1, kad.countState("VI_6", "MASTER"), kad.log());
        assertEquals(List.of(), kad.rejections());
        assertFalse(kad.log().contains("not a unicast peer"), kad.log());
      }
    }
  }
}
