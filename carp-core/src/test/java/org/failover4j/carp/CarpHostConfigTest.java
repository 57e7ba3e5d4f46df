package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.VirtualMac;
import org.junit.jupiter.api.Test;

/**
 * The {@link CarpHostConfig} defects issue 19's review listed: a shorthand address read as another
 * address, multicast and loopback virtual addresses, and virtual-MAC names that collide across
 * interfaces.
 */
class CarpHostConfigTest {

  private static CarpHostConfig.Builder base() {
    return CarpHostConfig.builder().iface("eth0").vhid(10).passphrase("s3cr3t");
  }

  @Test
  void aShorthandAddressIsRefusedNotReadAsAnotherAddress() {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class, () -> base().virtualAddress("192.0.2/24").build());
    assertEquals("virtualAddress", e.field());
    assertTrue(e.getMessage().contains("192.0.2/24"), e.getMessage());
  }

  @Test
  void multicastAndLoopbackAddressesAreNoVirtualAddresses() {
    for (String vip : new String[] {"224.0.0.18/24", "127.0.0.5/8", "ff02::12/64", "::1/128"}) {
      InvalidConfigurationException e =
          assertThrows(
              InvalidConfigurationException.class, () -> base().virtualAddress(vip).build(), vip);
      assertEquals("virtualAddress", e.field(), vip);
    }
  }

  @Test
  void bothFamiliesInOneVirtualHostAreAcceptedAsOpenBsd() {
    CarpHostConfig dual =
        base().virtualAddress("2001:db8::100/64").virtualAddress("192.0.2.100/24").build();
    assertTrue(dual.hasIpv4());
    assertTrue(dual.hasIpv6());
    assertEquals(1, dual.key().ipv4Count());
    assertEquals(1, dual.key().ipv6Count());
    CarpHostConfig v4 = base().virtualAddress("192.0.2.100/24").build();
    assertTrue(v4.hasIpv4());
    assertFalse(v4.hasIpv6());
  }

  @Test
  void unicastPeersNeedAVirtualHostOfOneFamily() throws Exception {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                base()
                    .virtualAddress("192.0.2.100/24")
                    .virtualAddress("2001:db8::100/64")
                    .unicastPeer(java.net.InetAddress.getByName("192.0.2.2"))
                    .build());
    assertEquals("unicastPeer", e.field());
  }

  @Test
  void oneVhidOnTwoInterfacesGetsTwoVirtualMacNames() {
    String eth0 = base().virtualAddress("192.0.2.100/24").virtualMac(true).build().virtualMacName();
    String eth1 =
        base()
            .iface("eth1")
            .virtualAddress("192.0.2.100/24")
            .virtualMac(true)
            .build()
            .virtualMacName();
    assertEquals("carp.10.eth0", eth0);
    assertNotEquals(eth0, eth1);
    // Long interface names still fit Linux's 15 characters and stay apart.
    String longA =
        base().iface("enp0s31f6abcdef").virtualAddress("192.0.2.100/24").build().virtualMacName();
    String longB =
        base().iface("enp0s31f6abcdeg").virtualAddress("192.0.2.100/24").build().virtualMacName();
    assertTrue(longA.length() <= VirtualMac.MAX_NAME_LENGTH, longA);
    assertNotEquals(longA, longB);
  }
}
