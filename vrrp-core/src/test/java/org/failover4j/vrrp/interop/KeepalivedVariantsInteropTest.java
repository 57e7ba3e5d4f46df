package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.failover4j.api.Role;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IPv6, unicast peers and the virtual MAC against keepalived 2.2.7: each time keepalived is master
 * first, failover4j takes over when keepalived freezes, keepalived takes back when it resumes, and
 * keepalived rejects nothing failover4j sends.
 */
@Interop(peers = {"keepalived", "tshark"})
class KeepalivedVariantsInteropTest {

  private static final int VRID = 61;

  private record Pair(Keepalived keepalived, JavaRouter java) {}

  /** keepalived (priority 150) master on host 1, failover4j (100) backup on host 2. */
  private static Pair keepalivedMasterFailover4jBackup(
      Host kadHost,
      Host javaHost,
      UnaryOperator<KeepalivedConfig.Instance> kadTweak,
      UnaryOperator<VrrpInstanceConfig.Builder> javaTweak)
      throws Exception {
    KeepalivedConfig config = new KeepalivedConfig("kad");
    kadTweak.apply(
        config
            .instance("VI_1")
            .iface("eth0")
            .vrid(VRID)
            .priority(150)
            .version(3)
            .advertInterval(Duration.ofMillis(100)));
    Keepalived kad = Keepalived.start(kadHost, config);
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    VrrpInstanceConfig java =
        javaTweak
            .apply(
                VrrpInstanceConfig.builder("VI_1")
                    .iface("eth0")
                    .vrid(VRID)
                    .priority(100)
                    .advertInterval(Duration.ofMillis(100)))
            .build();
    JavaRouter router = JavaRouter.start(javaHost, VrrpRouter.builder().instance(java));
    assertTrue(router.instance("VI_1").awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
    return new Pair(kad, router);
  }

  /** Freeze keepalived: failover4j takes over; resume: keepalived takes back. */
  private static void failOverAndBack(Pair pair, Host javaHost, InetAddress vip, String iface)
      throws Exception {
    Thread.sleep(500);
    assertEquals(Role.BACKUP, pair.java().instance("VI_1").role());
    assertEquals(0, pair.java().instance("VI_1").statistics().totalDropped());
    pair.keepalived().freeze();
    assertTrue(pair.java().instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(3)));
    assertTrue(javaHost.hasAddress(iface, vip), javaHost.addresses(iface).toString());
    pair.keepalived().thaw();
    assertTrue(pair.java().instance("VI_1").awaitRole(Role.BACKUP, Duration.ofSeconds(3)));
    Thread.sleep(200);
    assertFalse(javaHost.hasAddress(iface, vip));
    assertEquals(List.of(), pair.keepalived().rejections());
  }

  @Test
  void ipv6(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Capture wire = lan.capture("v6", "ip6 proto 112 or icmp6");
    Pair pair =
        keepalivedMasterFailover4jBackup(
            kadHost,
            javaHost,
            i -> i.vip("2001:db8::100/64"),
            b -> b.virtualAddress("2001:db8::100/64"));
    try (JavaRouter java = pair.java()) {
      failOverAndBack(pair, javaHost, lan.ipv6(100), "eth0");
    }
    List<List<String>> fromJava =
        wire.fields("vrrp.prio == 100", "ipv6.src", "ipv6.hlim", "ipv6.tclass");
    assertTrue(!fromJava.isEmpty(), "failover4j's adverts on the wire");
    for (List<String> advert : fromJava) {
      assertTrue(advert.get(0).startsWith("fe80::"), "sent from the link-local address: " + advert);
      assertEquals("255", advert.get(1));
      assertEquals("0x000000c0", advert.get(2), "traffic class 0xc0 as keepalived");
    }
    List<List<String>> neighbourAdverts =
        Capture.read(wire.file(), List.of(), "icmpv6.type == 136", "icmpv6.nd.na.target_address");
    assertTrue(neighbourAdverts.contains(List.of("2001:db8::100")), neighbourAdverts.toString());
  }

  @Test
  void unicastPeers(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Capture wire = lan.capture("unicast", "ip proto 112");
    Pair pair =
        keepalivedMasterFailover4jBackup(
            kadHost,
            javaHost,
            i -> i.vip("192.0.2.100/24").unicast("192.0.2.11", "192.0.2.12"),
            b -> b.virtualAddress("192.0.2.100/24").unicastPeer(kadHost.ipv4(lan)));
    try (JavaRouter java = pair.java()) {
      failOverAndBack(pair, javaHost, lan.ipv4(100), "eth0");
    }
    List<List<String>> fromJava = wire.fields("vrrp && ip.src == 192.0.2.12", "ip.dst", "ip.ttl");
    assertTrue(!fromJava.isEmpty());
    for (List<String> advert : fromJava) {
      assertEquals(List.of("192.0.2.11", "255"), advert, "unicast to the peer");
    }
  }

  @Test
  void virtualMac(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Capture wire = lan.capture("vmac", "ip proto 112 or arp");
    Pair pair =
        keepalivedMasterFailover4jBackup(
            kadHost,
            javaHost,
            i -> i.vip("192.0.2.100/24").useVmac(),
            b -> b.virtualAddress("192.0.2.100/24").virtualMac(true));
    String vmac = "00:00:5e:00:01:3d";
    try (JavaRouter java = pair.java()) {
      Map<String, Object> link = javaHost.link("vrrp." + VRID);
      assertEquals(vmac, link.get("address"));
      assertEquals("macvlan", Json.map(link.get("linkinfo")).get("info_kind"));
      assertEquals(
          "private", Json.map(Json.map(link.get("linkinfo")).get("info_data")).get("mode"));
      failOverAndBack(pair, javaHost, lan.ipv4(100), "vrrp." + VRID);
    }
    assertFalse(
        javaHost.exec("ip", "link", "show", "vrrp." + VRID).ok(),
        "the macvlan is gone after close");
    List<List<String>> fromJava = wire.fields("vrrp && vrrp.prio == 100", "eth.src", "ip.src");
    assertTrue(!fromJava.isEmpty());
    for (List<String> advert : fromJava) {
      assertEquals(vmac, advert.get(0), "adverts leave from the virtual MAC");
    }
    List<List<String>> garps =
        wire.fields("arp && arp.src.proto_ipv4 == 192.0.2.100", "arp.src.hw_mac");
    assertTrue(garps.contains(List.of(vmac)), "gratuitous ARP from the virtual MAC: " + garps);
  }

  /**
   * One VRID on two LANs, each instance with a macvlan of its own name (keepalived's {@code
   * use_vmac NAME}) on both sides: failover4j takes both over from a frozen keepalived, and its
   * macvlans are gone after close. Over IPv6 both macvlans of a VRID have one MAC; each gets its
   * parent's link-local address, as keepalived's do, and none derived from the virtual MAC (the
   * same on every router), so the adverts of the two routers leave from different sources.
   */
  @ParameterizedTest(name = "ipv6 {0}")
  @ValueSource(booleans = {false, true})
  void namedVirtualMacsLetOneVridRunOnTwoLans(boolean ipv6, Lab lab) throws Exception {
    Lan lan0 = lab.lan("lan0");
    Lan lan1 = lab.lan("lan1");
    Host kadHost = lab.host("kad", lan0, lan1);
    Host javaHost = lab.host("java", lan0, lan1);
    String filter = ipv6 ? "ip6 proto 112" : "ip proto 112";
    Capture wire0 = lan0.capture("vmac-named0", filter);
    Capture wire1 = lan1.capture("vmac-named1", filter);
    KeepalivedConfig config = new KeepalivedConfig("kad");
    VrrpRouter.Builder router = VrrpRouter.builder();
    List<Lan> lans = List.of(lan0, lan1);
    for (int i = 0; i < lans.size(); i++) {
      String vip = vip(lans.get(i), ipv6).getHostAddress() + (ipv6 ? "/64" : "/24");
      config
          .instance("VI_" + i)
          .iface("eth" + i)
          .vrid(VRID)
          .priority(150)
          .version(3)
          .advertInterval(Duration.ofMillis(100))
          .vip(vip)
          .useVmac("kv" + i + "." + VRID);
      router.instance(
          VrrpInstanceConfig.builder("VI_" + i)
              .iface("eth" + i)
              .vrid(VRID)
              .priority(100)
              .advertInterval(Duration.ofMillis(100))
              .virtualAddress(vip)
              .virtualMac("vr" + i + "." + VRID)
              .build());
    }
    Keepalived kad = Keepalived.start(kadHost, config);
    kad.awaitState("VI_0", "MASTER", Duration.ofSeconds(10));
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    String vmac = ipv6 ? "00:00:5e:00:02:3d" : "00:00:5e:00:01:3d";
    assertEquals(vmac, kadHost.link("kv1." + VRID).get("address"), "keepalived's named macvlan");
    try (JavaRouter java = JavaRouter.start(javaHost, router)) {
      for (int i = 0; i < lans.size(); i++) {
        assertTrue(java.instance("VI_" + i).awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
        Map<String, Object> link = javaHost.link("vr" + i + "." + VRID);
        assertEquals(vmac, link.get("address"));
        assertEquals("eth" + i, link.get("link"), "on its own LAN's interface");
        if (ipv6) {
          assertEquals(
              List.of(linkLocal(javaHost, "eth" + i) + "/64"),
              javaHost.addresses("vr" + i + "." + VRID),
              "the parent's link-local address, and no other");
          assertEquals("none", link.get("inet6_addr_gen_mode"));
        }
      }
      kad.freeze();
      for (int i = 0; i < lans.size(); i++) {
        assertTrue(java.instance("VI_" + i).awaitRole(Role.MASTER, Duration.ofSeconds(3)));
        String macvlan = "vr" + i + "." + VRID;
        assertTrue(
            javaHost.hasAddress(macvlan, vip(lans.get(i), ipv6)),
            javaHost.addresses(macvlan).toString());
      }
      Thread.sleep(300);
    } finally {
      kad.thaw();
    }
    for (int i = 0; i < lans.size(); i++) {
      assertFalse(
          javaHost.exec("ip", "link", "show", "vr" + i + "." + VRID).ok(),
          "the macvlan is gone after close");
    }
    for (Capture wire : List.of(wire0, wire1)) {
      List<List<String>> fromJava = wire.fields("vrrp && vrrp.prio == 100", "eth.src");
      assertFalse(fromJava.isEmpty(), "failover4j's adverts on " + wire.file());
      assertTrue(fromJava.stream().allMatch(f -> f.equals(List.of(vmac))), fromJava.toString());
      if (ipv6) {
        String lanIface = wire == wire0 ? "eth0" : "eth1";
        assertEquals(
            Set.of(List.of(linkLocal(javaHost, lanIface))),
            Set.copyOf(wire.fields("vrrp && vrrp.prio == 100", "ipv6.src")),
            "failover4j advertises from its own link-local address");
        assertEquals(
            Set.of(List.of(linkLocal(kadHost, lanIface))),
            Set.copyOf(wire.fields("vrrp && vrrp.prio == 150", "ipv6.src")),
            "as keepalived does");
      }
    }
    assertEquals(List.of(), kad.rejections());
  }

  /** The link-local address the kernel gave {@code iface} of {@code host}, without its prefix. */
  private static String linkLocal(Host host, String iface) {
    return host.addresses(iface).stream()
        .filter(a -> a.startsWith("fe80:"))
        .map(a -> a.substring(0, a.indexOf('/')))
        .findFirst()
        .orElseThrow(() -> new AssertionError(iface + " has no link-local address"));
  }

  private static InetAddress vip(Lan lan, boolean ipv6) {
    return ipv6 ? lan.ipv6(100) : lan.ipv4(100);
  }
}
