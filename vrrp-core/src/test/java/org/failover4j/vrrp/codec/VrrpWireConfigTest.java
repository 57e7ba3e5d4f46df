package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;

class VrrpWireConfigTest {

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static VrrpWireConfig.Builder valid() throws Exception {
    return VrrpWireConfig.builder().vrid(51).virtualAddresses(ip("192.0.2.100"));
  }

  private static void rejects(String field, UnaryOperator<VrrpWireConfig.Builder> change)
      throws Exception {
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> change.apply(valid()).build());
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void keepalivedDefaults() throws Exception {
    VrrpWireConfig config = valid().build();
    assertEquals(2, config.version());
    assertEquals(IpFamily.IPV4, config.family());
    assertEquals(Duration.ofSeconds(1), config.interval());
    assertEquals(100, config.intervalCentiseconds());
    assertEquals(AuthType.NONE, config.authType());
    assertFalse(config.isUnicast());
    assertEquals(255, config.ttl());
    assertEquals(ChecksumMode.PSEUDO_HEADER, config.checksumMode());
    assertEquals(Set.of(ChecksumMode.values()), config.acceptedChecksumModes());
    assertTrue(config.checkUnicastSource());
  }

  @Test
  void namesTheFieldItRejects() throws Exception {
    rejects("vrid", b -> b.vrid(0));
    rejects("vrid", b -> b.vrid(256));
    rejects("version", b -> b.version(1));
    rejects("virtualAddresses", b -> b.virtualAddresses(List.of()));
    rejects(
        "virtualAddresses",
        b -> b.virtualAddresses(Collections.nCopies(256, b.build().virtualAddresses().get(0))));
    rejects("virtualAddresses", b -> b.virtualAddresses(Collections.singletonList(null)));
    rejects("interval", b -> b.interval(Duration.ofMillis(1500)));
    rejects("interval", b -> b.interval(Duration.ofSeconds(256)));
    rejects("interval", b -> b.interval(Duration.ZERO));
    rejects("interval", b -> b.version(3).interval(Duration.ofMillis(5)));
    rejects("interval", b -> b.version(3).interval(Duration.ofMillis(40_960)));
    rejects("interval", b -> b.version(3).interval(Duration.ofMillis(15)));
    rejects("authPassword", b -> b.authentication(AuthType.SIMPLE_TEXT, "123456789"));
    rejects("authPassword", b -> b.authentication(AuthType.IPSEC_AH, ""));
    rejects("authPassword", b -> b.authentication(AuthType.NONE, "x"));
    rejects("authType", b -> b.version(3).authentication(AuthType.IPSEC_AH, "x"));
    rejects("ttl", b -> b.ttl(0));
    rejects("acceptedChecksumModes", b -> b.acceptedChecksumModes(Set.of()));
    rejects("checksumMode", b -> b.checksumMode(null));
  }

  @Test
  void rejectsMixedFamiliesAndVrrpv2OverIpv6() throws Exception {
    rejects("virtualAddresses", b -> b.virtualAddresses(List.of(addr("192.0.2.1"), addr("::1"))));
    rejects("unicastPeers", b -> b.unicastPeers(List.of(addr("2001:db8::1"))));
    rejects("version", b -> b.virtualAddresses(List.of(addr("2001:db8::1"))));
    VrrpWireConfig v6 = valid().version(3).virtualAddresses(ip("2001:db8::1")).build();
    assertEquals(IpFamily.IPV6, v6.family());
  }

  @Test
  void keepsThePasswordOutOfToString() throws Exception {
    VrrpWireConfig config = valid().authentication(AuthType.IPSEC_AH, "hunter2").build();
    assertFalse(config.toString().contains("hunter2"), config.toString());
    assertTrue(config.toString().contains("hidden"));
  }

  @Test
  void v3IntervalsComeInCentiseconds() throws Exception {
    VrrpWireConfig config = valid().version(3).interval(Duration.ofMillis(40_950)).build();
    assertEquals(4095, config.intervalCentiseconds());
    assertEquals(Duration.ofMillis(40_950), config.interval());
  }

  private static InetAddress addr(String literal) {
    try {
      return ip(literal);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
