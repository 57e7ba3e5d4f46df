package org.failover4j.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.failover4j.api.AddressText;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.AlreadyExistsException;
import org.failover4j.netlink.Errno;
import org.failover4j.netlink.MacAddress;
import org.failover4j.netlink.NoSuchDeviceException;
import org.junit.jupiter.api.Test;

/** rtnetlink against the kernel of a lab host, with {@code ip -j} as the independent reader. */
@Interop
class RtNetlinkInteropTest {

  /** The host's addresses on {@code iface} as {@code ip -j addr} reports them. */
  private static List<Map<String, Object>> ipAddresses(Host host, String iface) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (Object link :
        Json.parseArray(host.run("ip", "-j", "addr", "show", "dev", iface).stdout())) {
      for (Object info : Json.list(Json.map(link).get("addr_info"))) {
        result.add(Json.map(info));
      }
    }
    return result;
  }

  private static Optional<Map<String, Object>> ipAddress(Host host, String iface, InetAddress a) {
    return ipAddresses(host, iface).stream()
        .filter(m -> a.equals(parse((String) m.get("local"))))
        .findFirst();
  }

  private static InetAddress parse(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBatchAddsEveryAddressButTheRefusedOneAndSaysWhich(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    int eth0 = host.ifindex("eth0");
    List<AddressSpec> specs = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      specs.add(
          i == 70
              // No such interface: the kernel refuses this one request of the second datagram.
              ? AddressSpec.builder(lan.ipv4(250), 999_999).prefixLength(24).build()
              : AddressSpec.builder(lan.ipv6(1000 + i), eth0)
                  .prefixLength(64)
                  .flag(AddressFlag.NODAD)
                  .build());
    }
    try (RtNetlink rt = host.call(RtNetlink::open)) {
      IOException[] outcome = rt.addAddresses(specs);
      assertEquals(150, outcome.length);
      assertTrue(outcome[70] instanceof NoSuchDeviceException, String.valueOf(outcome[70]));
      assertTrue(outcome[70].getMessage().contains("RTM_NEWADDR"), outcome[70].getMessage());
      for (int i = 0; i < 150; i++) {
        if (i != 70) {
          assertNull(outcome[i], "address " + i);
          assertTrue(ipAddress(host, "eth0", lan.ipv6(1000 + i)).isPresent(), "address " + i);
        }
      }
      // Idempotent, as one add is: what is there already is no refusal.
      IOException[] again = rt.addAddresses(specs.subList(0, 70));
      for (IOException e : again) {
        assertNull(e);
      }
    }
  }

  @Test
  void addsAndDeletesIpv4AndIpv6AddressesIdempotently(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    int eth0 = host.ifindex("eth0");
    AddressSpec v4 =
        AddressSpec.builder(lan.ipv4(100), eth0).prefixLength(24).label("eth0:vip").build();
    AddressSpec v6 =
        AddressSpec.builder(lan.ipv6(100), eth0).prefixLength(64).flag(AddressFlag.NODAD).build();
    try (RtNetlink rt = host.call(RtNetlink::open)) {
      assertTrue(rt.addAddress(v4));
      assertTrue(rt.addAddress(v6));

      Map<String, Object> ip4 = ipAddress(host, "eth0", lan.ipv4(100)).orElseThrow();
      assertEquals(24L, ip4.get("prefixlen"));
      assertEquals("eth0:vip", ip4.get("label"));
      assertEquals("global", ip4.get("scope"));
      Map<String, Object> ip6 = ipAddress(host, "eth0", lan.ipv6(100)).orElseThrow();
      assertEquals(64L, ip6.get("prefixlen"));
      assertEquals(Boolean.TRUE, ip6.get("nodad"));
      assertEquals(null, ip6.get("tentative"), "NODAD: usable at once");

      // Our own listing agrees with ip's.
      List<String> ours = new ArrayList<>();
      for (AddressInfo info : rt.addresses(eth0)) {
        ours.add(info.address().getHostAddress() + "/" + info.prefixLength());
      }
      List<String> theirs = new ArrayList<>();
      for (Map<String, Object> m : ipAddresses(host, "eth0")) {
        theirs.add(parse((String) m.get("local")).getHostAddress() + "/" + m.get("prefixlen"));
      }
      assertEquals(theirs.stream().sorted().toList(), ours.stream().sorted().toList());

      assertFalse(rt.addAddress(v4), "already there");
      assertFalse(rt.addAddress(v6), "already there");
      assertTrue(rt.deleteAddress(v4));
      assertTrue(rt.deleteAddress(v6));
      assertFalse(rt.deleteAddress(v4), "already gone");
      assertFalse(rt.deleteAddress(v6), "already gone");
      assertTrue(ipAddress(host, "eth0", lan.ipv4(100)).isEmpty());
      assertTrue(ipAddress(host, "eth0", lan.ipv6(100)).isEmpty());
      assertFalse(
          rt.deleteAddress(AddressSpec.builder(lan.ipv4(11), eth0).prefixLength(16).build()),
          "the host's own address has prefix 24, not 16");
      assertTrue(host.hasAddress("eth0", lan.ipv4(11)));
    }
  }

  @Test
  void anAddressOnAMissingInterfaceGivesTheKernelsErrnoAndMessage(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    try (RtNetlink rt = host.call(RtNetlink::open)) {
      for (InetAddress address : List.of(parse("192.0.2.100"), parse("2001:db8::100"))) {
        AddressSpec spec = AddressSpec.builder(address, 999).prefixLength(24).build();
        NoSuchDeviceException e =
            assertThrows(NoSuchDeviceException.class, () -> rt.addAddress(spec));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("No such device", e.strerror());
        String kernelSays =
            e.extendedAck().orElseThrow(() -> new AssertionError("no extack: " + e));
        assertTrue(
            e.getMessage().endsWith(": ENODEV (No such device): " + kernelSays), e.getMessage());
        assertTrue(
            e.getMessage().startsWith("RTM_NEWADDR " + AddressText.of(address)), e.getMessage());
        System.out.println("kernel: " + e.getMessage());
        assertThrows(NoSuchDeviceException.class, () -> rt.deleteAddress(spec));
      }
    }
  }

  @Test
  void linksMatchIpLink(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    host.run("ip", "link", "set", "eth0", "mtu", "1400");
    try (RtNetlink rt = host.call(RtNetlink::open)) {
      List<LinkInfo> links = rt.links();
      List<Object> ip = Json.parseArray(host.run("ip", "-j", "link").stdout());
      assertEquals(ip.size(), links.size());
      for (Object o : ip) {
        Map<String, Object> theirs = Json.map(o);
        int index = Json.number(theirs.get("ifindex")).intValue();
        LinkInfo ours = links.stream().filter(l -> l.index() == index).findFirst().orElseThrow();
        assertEquals(theirs.get("ifname"), ours.name());
        assertEquals(Json.number(theirs.get("mtu")).intValue(), ours.mtu());
        assertEquals(theirs.get("address"), ours.mac().toString());
        assertEquals(theirs.get("operstate"), ours.operState().name());
        List<Object> flags = Json.list(theirs.get("flags"));
        assertEquals(flags.contains("UP"), ours.isUp(), ours.name());
        assertEquals(flags.contains("LOWER_UP"), ours.hasCarrier(), ours.name());
        assertEquals(flags.contains("LOOPBACK"), ours.isLoopback(), ours.name());
        assertEquals(flags.contains("MULTICAST"), ours.hasFlags(LinkInfo.IFF_MULTICAST));
        assertEquals(ours, rt.link(index).orElseThrow());
        assertEquals(ours, rt.link(ours.name()).orElseThrow());
      }
      assertEquals(1400, rt.link("eth0").orElseThrow().mtu());
      assertEquals("veth", rt.link("eth0").orElseThrow().kind());
      assertEquals(Optional.empty(), rt.link("nosuchlink"));
      assertEquals(Optional.empty(), rt.link(999));
    }
  }

  @Test
  void createsAndDeletesAPrivateMacvlanWithTheVrrpMac(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    int eth0 = host.ifindex("eth0");
    try (RtNetlink rt = host.call(RtNetlink::open)) {
      MacvlanSpec spec = MacvlanSpec.builder("vrrp.7", eth0, MacAddress.vrrpIpv4(7)).build();
      LinkInfo created = rt.createMacvlan(spec);
      Map<String, Object> ip = host.link("vrrp.7");
      assertEquals(Json.number(ip.get("ifindex")).intValue(), created.index());
      assertEquals("00:00:5e:00:01:07", ip.get("address"));
      assertEquals("eth0", ip.get("link"));
      assertTrue(Json.list(ip.get("flags")).contains("UP"), ip.toString());
      Map<String, Object> info = Json.map(ip.get("linkinfo"));
      assertEquals("macvlan", info.get("info_kind"));
      assertEquals("private", Json.map(info.get("info_data")).get("mode"));
      assertEquals("macvlan", created.kind());
      assertEquals(eth0, created.parentIndex());
      assertEquals(MacAddress.vrrpIpv4(7), created.mac());
      assertTrue(created.isUp());

      assertThrows(AlreadyExistsException.class, () -> rt.createMacvlan(spec));

      LinkInfo bridged =
          rt.createMacvlan(
              MacvlanSpec.builder("vrrp.8", eth0, MacAddress.vrrpIpv4(8))
                  .mode(MacvlanMode.BRIDGE)
                  .up(false)
                  .build());
      Map<String, Object> ipBridged = host.link("vrrp.8");
      assertEquals(
          "bridge", Json.map(Json.map(ipBridged.get("linkinfo")).get("info_data")).get("mode"));
      assertFalse(Json.list(ipBridged.get("flags")).contains("UP"));
      rt.setUp(bridged.index(), true);
      assertTrue(Json.list(host.link("vrrp.8").get("flags")).contains("UP"));

      assertTrue(rt.deleteLink(created.index()));
      assertTrue(rt.deleteLink(bridged.index()));
      assertFalse(host.exec("ip", "link", "show", "vrrp.7").ok());
      assertFalse(rt.deleteLink(created.index()), "already gone");
      assertThrows(
          NoSuchDeviceException.class,
          () ->
              rt.createMacvlan(MacvlanSpec.builder("vrrp.9", 999, MacAddress.vrrpIpv4(9)).build()));
    }
  }

  @Test
  void aMacvlanGivenALinkLocalAddressHasThatOneAndNoneDerivedFromItsMac(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    int eth0 = host.ifindex("eth0");
    MacAddress parentMac = MacAddress.parse(host.mac("eth0"));
    try (RtNetlink rt = host.call(RtNetlink::open)) {
      LinkInfo created =
          rt.createMacvlan(
              MacvlanSpec.builder("vrrp.7", eth0, MacAddress.vrrpIpv6(7))
                  .linkLocal(parentMac.linkLocal())
                  .build());
      assertTrue(created.isUp());
      Map<String, Object> link = host.link("vrrp.7");
      assertEquals("none", link.get("inet6_addr_gen_mode"), link.toString());
      String expected = AddressText.of(parentMac.linkLocal()) + "/64";
      assertTrue(
          host.addresses("eth0").contains(expected),
          "the kernel derived the same for the parent: " + host.addresses("eth0"));
      Thread.sleep(200); // addrconf runs when the link comes up: give it the chance to add one
      assertEquals(List.of(expected), host.addresses("vrrp.7"));
      String flags = host.run("ip", "-6", "addr", "show", "dev", "vrrp.7").stdout();
      assertFalse(flags.contains("tentative") || flags.contains("dadfailed"), flags);
      assertTrue(rt.deleteLink(created.index()));
    }
  }
}
