package org.failover4j.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.netlink.MacAddress;
import org.junit.jupiter.api.Test;

class SpecBuilderTest {

  private static InvalidConfigurationException invalid(Runnable build) {
    return assertThrows(InvalidConfigurationException.class, build::run);
  }

  @Test
  void addressDefaultsToAHostPrefix() throws Exception {
    AddressSpec v4 = AddressSpec.builder(InetAddress.getByName("192.0.2.100"), 2).build();
    assertEquals(32, v4.prefixLength());
    assertEquals(AddressScope.UNIVERSE, v4.scope());
    AddressSpec v6 =
        AddressSpec.builder(InetAddress.getByName("2001:db8::1"), 2)
            .flag(AddressFlag.NODAD)
            .build();
    assertEquals(128, v6.prefixLength());
    assertEquals(Set.of(AddressFlag.NODAD), v6.flags());
    assertEquals("2001:db8::1/128 on ifindex 2 [NODAD]", v6.toString());
  }

  @Test
  void addressBuilderNamesTheWrongField() throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.100");
    InetAddress v6 = InetAddress.getByName("2001:db8::1");
    assertEquals(
        "prefixLength: must be in 0..32, was 33",
        invalid(() -> AddressSpec.builder(v4, 2).prefixLength(33).build()).getMessage());
    assertEquals("ifindex", invalid(() -> AddressSpec.builder(v4, 0).build()).field());
    assertEquals("label", invalid(() -> AddressSpec.builder(v6, 2).label("x").build()).field());
    assertEquals(
        "label",
        invalid(() -> AddressSpec.builder(v4, 2).label("eth0:0123456789a").build()).field());
    assertEquals(
        "flags",
        invalid(() -> AddressSpec.builder(v6, 2).flag(AddressFlag.PERMANENT).build()).field());
    assertEquals("address", invalid(() -> AddressSpec.builder(null, 2).build()).field());
  }

  @Test
  void macvlanDefaultsToPrivateAndUp() {
    MacvlanSpec spec = MacvlanSpec.builder("vrrp.7", 2, MacAddress.vrrpIpv4(7)).build();
    assertEquals(MacvlanMode.PRIVATE, spec.mode());
    assertEquals(true, spec.up());
  }

  @Test
  void macvlanBuilderNamesTheWrongField() throws Exception {
    MacAddress mac = MacAddress.vrrpIpv4(7);
    assertEquals("name", invalid(() -> MacvlanSpec.builder("a/b", 2, mac).build()).field());
    assertEquals("name", invalid(() -> MacvlanSpec.builder("a b", 2, mac).build()).field());
    assertEquals("name", invalid(() -> MacvlanSpec.builder("..", 2, mac).build()).field());
    assertEquals(
        "name", invalid(() -> MacvlanSpec.builder("0123456789abcdef", 2, mac).build()).field());
    assertEquals("parentIndex", invalid(() -> MacvlanSpec.builder("v", 0, mac).build()).field());
    assertEquals(
        "mac",
        invalid(() -> MacvlanSpec.builder("v", 2, MacAddress.parse("01:00:5e:00:00:12")).build())
            .field());
    assertEquals("mac", invalid(() -> MacvlanSpec.builder("v", 2, null).build()).field());
    Inet6Address global = (Inet6Address) InetAddress.getByName("2001:db8::1");
    assertEquals(
        "linkLocal",
        invalid(() -> MacvlanSpec.builder("v", 2, mac).linkLocal(global).build()).field());
  }

  @Test
  void aMacDerivesTheModifiedEui64LinkLocalAddress() throws Exception {
    // RFC 4291 appendix A: the universal/local bit flipped, ff:fe in the middle.
    assertEquals(
        InetAddress.getByName("fe80::200:5eff:fe00:207"), MacAddress.vrrpIpv6(7).linkLocal());
    assertEquals(
        InetAddress.getByName("fe80::a8bb:ccff:fedd:eeff"),
        MacAddress.parse("aa:bb:cc:dd:ee:ff").linkLocal());
    MacvlanSpec spec =
        MacvlanSpec.builder("v", 2, MacAddress.vrrpIpv6(7))
            .linkLocal(MacAddress.parse("aa:bb:cc:dd:ee:ff").linkLocal())
            .build();
    assertEquals(InetAddress.getByName("fe80::a8bb:ccff:fedd:eeff"), spec.linkLocal());
  }

  @Test
  void linkStatesReadTheirFlags() {
    LinkInfo up =
        new LinkInfo(
            2,
            "eth0",
            null,
            1500,
            LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING | LinkInfo.IFF_LOWER_UP,
            OperState.UP,
            null,
            0);
    LinkInfo down = new LinkInfo(2, "eth0", null, 1500, 0, OperState.DOWN, null, 0);
    LinkEvent.Changed wentDown = new LinkEvent.Changed(up, down);
    assertEquals(true, wentDown.wentDown());
    assertEquals(false, wentDown.wentUp());
    assertEquals(true, wentDown.carrierChanged());
    assertEquals(true, new LinkEvent.Changed(null, up).wentUp());
    assertEquals(false, new LinkEvent.Changed(null, up).carrierChanged());
    assertEquals(OperState.UNKNOWN, OperState.of(200));
    assertEquals(OperState.LOWERLAYERDOWN, OperState.of(3));
  }
}
