package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.InvalidConfigurationException;
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
    assertEquals(3, config.version());
    assertEquals(100, config.priority());
    assertEquals(100, config.advertIntervalCentis());
    assertTrue(config.preempt());
    assertFalse(config.isUnicast());
    assertEquals(GratuitousAnnouncements.KEEPALIVED_DEFAULTS, config.announcements());
    assertEquals("192.0.2.100/24", config.virtualAddresses().get(0).toString());
  }

  @Test
  void everyInvalidFieldIsNamed() {
    assertEquals("vrid: must be in 1..255, was 0", rejection(valid().vrid(0)));
    assertEquals("priority: must be in 1..255, was 256", rejection(valid().priority(256)));
    assertTrue(
        rejection(valid().advertInterval(Duration.ofMillis(15))).startsWith("advertInterval:"));
    assertTrue(
        rejection(valid().version(2).advertInterval(Duration.ofMillis(500)))
            .contains("whole seconds for VRRPv2"));
    assertTrue(
        rejection(valid().authentication(Authentication.password("x")))
            .startsWith("authentication: only VRRPv2"));
    assertTrue(
        rejection(
                VrrpInstanceConfig.builder("v6")
                    .iface("eth0")
                    .vrid(1)
                    .version(2)
                    .virtualAddress("2001:db8::1/64"))
            .startsWith("version: VRRPv2 is IPv4-only"));
    assertTrue(
        rejection(valid().virtualAddress("2001:db8::1/64")).startsWith("virtualAddress: all must"));
    assertTrue(
        rejection(VrrpInstanceConfig.builder("x").iface("eth0").vrid(1))
            .startsWith("virtualAddress: at least one"));
    assertTrue(rejection(valid().iface("a-name-longer-than-15")).startsWith("iface:"));
    assertTrue(rejection(valid().unicastPeer(addr("2001:db8::2"))).startsWith("unicastPeer:"));
  }

  @Test
  void passwordsAreCheckedAndNeverPrinted() {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class, () -> Authentication.ipsecAh("123456789"));
    assertEquals("authAh: must be 1..8 bytes (keepalived uses at most 8), was 9", e.getMessage());
    VrrpInstanceConfig config =
        valid().version(2).authentication(Authentication.ipsecAh("secret12")).build();
    assertFalse(config.toString().contains("secret12"), config.toString());
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
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
