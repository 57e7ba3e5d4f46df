package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.vrrp.codec.AuthType;
import org.junit.jupiter.api.Test;

class VrrpInstanceConfigTest {

  private static VrrpInstanceConfig.Builder valid() {
    return VrrpInstanceConfig.builder("VI_1")
        .iface("eth0")
        .vrid(51)
        .virtualAddress("192.0.2.100/24");
  }

  private static String rejection(VrrpInstanceConfig.Builder builder) {
    return assertThrows(InvalidConfigurationException.class, builder::build).getMessage();
  }

  @Test
  void defaultsAreKeepalivedsForVersion3() {
    VrrpInstanceConfig config = valid().build();
    assertEquals(VrrpVersion.V3, config.version());
    assertEquals(100, config.priority());
    assertEquals(100, config.advertIntervalCentis());
    assertTrue(config.preempt());
    assertFalse(config.isUnicast());
    assertEquals(GratuitousAnnouncements.KEEPALIVED_DEFAULTS, config.announcements());
    assertEquals("192.0.2.100/24", config.virtualAddresses().get(0).toString());
    assertEquals(AuthType.NONE, config.wire().authType());
  }

  @Test
  void everyInvalidFieldIsNamed() {
    assertEquals("vrid: must be in 1..255, was 0", rejection(valid().vrid(0)));
    assertEquals("priority: must be in 1..255, was 256", rejection(valid().priority(256)));
    assertTrue(rejection(valid().advertInterval(Duration.ofMillis(15))).startsWith("interval:"));
    assertTrue(
        rejection(valid().version(2).advertInterval(Duration.ofMillis(500)))
            .contains("whole seconds in 1..255 for VRRPv2"));
    assertTrue(
        rejection(valid().authPassword("x")).startsWith("authType: VRRPv3 has no authentication"));
    assertTrue(
        rejection(
                VrrpInstanceConfig.builder("v6")
                    .iface("eth0")
                    .vrid(1)
                    .version(2)
                    .virtualAddress("2001:db8::1/64"))
            .startsWith("version: VRRPv2 runs over IPv4 only"));
    assertTrue(
        rejection(valid().virtualAddress("2001:db8::1/64"))
            .startsWith("virtualAddresses: must all"));
    assertTrue(
        rejection(VrrpInstanceConfig.builder("x").iface("eth0").vrid(1))
            .startsWith("virtualAddresses: must hold 1..255"));
    assertTrue(rejection(valid().iface("a-name-longer-than-15")).startsWith("iface:"));
    assertTrue(rejection(valid().unicastPeer(addr("2001:db8::2"))).startsWith("unicastPeers:"));
    assertTrue(
        rejection(valid().preemptDelay(Duration.ofSeconds(1001))).startsWith("preemptDelay:"));
  }

  @Test
  void theVirtualMacIsNamedAfterTheVridUnlessNamed() {
    assertNull(valid().build().virtualMacName(), "no virtual MAC, no macvlan");
    assertEquals("vrrp.51", valid().virtualMac(true).build().virtualMacName());
    VrrpInstanceConfig named = valid().virtualMac("vmac_eth1_51").build();
    assertTrue(named.virtualMac());
    assertEquals("vmac_eth1_51", named.virtualMacName());
    assertEquals("123456789012345", valid().virtualMac("123456789012345").build().virtualMacName());
    assertFalse(valid().virtualMac("vmac_eth1_51").virtualMac(false).build().virtualMac());
    assertEquals(
        "vrrp.51",
        valid().virtualMac("vmac_eth1_51").virtualMac(true).build().virtualMacName(),
        "virtualMac(true) goes back to the default name");
  }

  @Test
  void aVirtualMacNameIsCheckedAsTheKernelChecksAnInterfaceName() {
    assertEquals(
        "virtualMacName: an interface name has 1..15 bytes, was 16",
        rejection(valid().virtualMac("1234567890123456")));
    assertEquals(
        "virtualMacName: an interface name has 1..15 bytes, was 0",
        rejection(valid().virtualMac("")));
    assertEquals(
        "virtualMacName: an interface name has 1..15 bytes, was 16",
        rejection(valid().virtualMac("vmac\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")),
        "bytes, not characters: each \u00e9 is two in UTF-8");
    assertEquals(
        "virtualMacName: an interface name cannot be ..", rejection(valid().virtualMac("..")));
    assertEquals(
        "virtualMacName: an interface name cannot be .", rejection(valid().virtualMac(".")));
    assertEquals(
        "virtualMacName: an interface name cannot contain '/', was a/b",
        rejection(valid().virtualMac("a/b")));
    assertEquals(
        "virtualMacName: an interface name cannot contain ':', was eth0:1",
        rejection(valid().virtualMac("eth0:1")));
    assertEquals(
        "virtualMacName: an interface name cannot contain '%', was vrrp%d",
        rejection(valid().virtualMac("vrrp%d")));
    for (String spaced : new String[] {"a b", "a\tb", "a\nb", "a\u000bb", "a\fb", "a\rb"}) {
      assertTrue(
          rejection(valid().virtualMac(spaced))
              .startsWith("virtualMacName: an interface name cannot contain whitespace"),
          spaced);
    }
    assertTrue(
        rejection(valid().virtualMac("a\u00a0b")).contains("whitespace"),
        "the kernel's isspace counts byte 0xA0 (U+00A0 is C2 A0 in UTF-8)");
    assertTrue(rejection(valid().virtualMac("a\u0000b")).contains("NUL"));
    assertEquals("vrrp.1-x_y@z", valid().virtualMac("vrrp.1-x_y@z").build().virtualMacName());
    assertEquals("...", valid().virtualMac("...").build().virtualMacName(), "only . and ..");
  }

  @Test
  void passwordsAreCheckedAndNeverPrinted() {
    assertEquals(
        "authPassword: must be 1..8 bytes, was 9",
        rejection(valid().version(2).authAh("123456789")));
    VrrpInstanceConfig config = valid().version(2).authAh("secret12").build();
    assertFalse(config.toString().contains("secret12"), config.toString());
    assertEquals(AuthType.IPSEC_AH, config.wire().authType());
  }

  @Test
  void virtualAddressesParseOnlyLiterals() {
    assertEquals(32, VirtualAddress.parse("192.0.2.1").prefixLength());
    assertEquals(64, VirtualAddress.parse("2001:db8::1/64").prefixLength());
    assertThrows(InvalidConfigurationException.class, () -> VirtualAddress.parse("example.com"));
    assertThrows(InvalidConfigurationException.class, () -> VirtualAddress.parse("192.0.2.1/33"));
  }

  private static InetAddress addr(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void addressesThatCannotBeVirtualAreRefusedAtBuild() {
    for (String bad :
        new String[] {
          "224.0.0.18/32",
          "0.0.0.0/0",
          "127.0.0.1/8",
          "255.255.255.255/32",
          "::1/128",
          "ff02::12/128",
          "::/0"
        }) {
      String message =
          assertThrows(InvalidConfigurationException.class, () -> valid().virtualAddress(bad))
              .getMessage();
      assertTrue(message.startsWith("virtualAddress: "), message);
    }
    assertTrue(rejection(valid().iface("lo")).startsWith("iface: lo cannot carry VRRP"));
  }

  @Test
  void aBadPrefixLengthNamesTheVirtualAddress() {
    String message =
        assertThrows(
                InvalidConfigurationException.class, () -> valid().virtualAddress("192.0.2.1/33"))
            .getMessage();
    assertEquals(
        "virtualAddress: 192.0.2.1/33: the prefix length must be in 0..32, was 33", message);
  }

  @Test
  void missingIdentityFieldsSayTheyAreRequired() {
    assertEquals(
        "vrid: is required",
        rejection(VrrpInstanceConfig.builder("VI_1").iface("eth0").virtualAddress("192.0.2.1")));
    assertEquals(
        "iface: is required",
        rejection(VrrpInstanceConfig.builder("VI_1").vrid(1).virtualAddress("192.0.2.1")));
  }

  @Test
  void onlyFullDottedQuadsAndIpv6LiteralsAreAddresses() {
    for (String bad :
        new String[] {"192.0.2/24", "10.1", "300.1.1.1/24", "::ffff:192.0.2.1", "eth0"}) {
      String message =
          assertThrows(InvalidConfigurationException.class, () -> valid().virtualAddress(bad))
              .getMessage();
      assertEquals("virtualAddress: not an IP literal: " + bad, message);
    }
    assertEquals("192.0.2.1/24", VirtualAddress.parse("192.0.2.1/24").toString());
    assertEquals("2001:db8::1/64", VirtualAddress.parse("2001:db8::1/64").toString());
  }
}
