package org.failover4j.api.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.VirtualAddress.Scope;
import org.junit.jupiter.api.Test;

/** A virtual address's placement: device, scope and label, checked as the kernel would. */
class VirtualAddressTest {

  @Test
  void aPlainAddressIsGlobalWithoutLabelOrDevice() {
    VirtualAddress a = VirtualAddress.parse("192.0.2.100/24");
    assertEquals(Scope.GLOBAL, a.scope());
    assertNull(a.label());
    assertNull(a.device());
    assertFalse(a.hasOptions());
    assertEquals("192.0.2.100/24", a.toString());
  }

  @Test
  void scopeLabelAndDeviceAreKeptAndWrittenAsIpAddrWritesThem() {
    VirtualAddress a =
        VirtualAddress.parse("192.0.2.100/24")
            .onDevice("eth1")
            .withScope(Scope.HOST)
            .withLabel("eth1:vip");
    assertTrue(a.hasOptions());
    assertEquals("192.0.2.100/24 dev eth1 scope host label eth1:vip", a.toString());
    assertFalse(VirtualAddress.parse("192.0.2.100/24").onDevice("eth1").hasOptions());
  }

  @Test
  void scopesAreReadByNameOrNumberAsIproute2Does() {
    assertEquals(Scope.HOST, Scope.parse("host"));
    assertEquals(Scope.LINK, Scope.parse("253"));
    assertEquals(Scope.SITE, Scope.parse("site"));
    assertEquals(Scope.GLOBAL, Scope.parse("0"));
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, () -> Scope.parse("nowhere"));
    assertEquals("scope", e.field());
  }

  @Test
  void ipv6TakesNeitherScopeNorLabel() {
    VirtualAddress v6 = VirtualAddress.parse("2001:db8::100/64");
    assertEquals("scope", field(() -> v6.withScope(Scope.LINK)));
    assertEquals("label", field(() -> v6.withLabel("eth0:v6")));
    assertEquals("2001:db8::100/64 dev eth1", v6.onDevice("eth1").toString());
  }

  @Test
  void labelsAndDevicesTheKernelWouldRefuseAreRefused() {
    VirtualAddress a = VirtualAddress.parse("192.0.2.100/24");
    assertEquals("label", field(() -> a.withLabel("eth0:sixteen-byte")));
    assertEquals("label", field(() -> a.withLabel("")));
    assertEquals("label", field(() -> a.withLabel("eth0 vip")));
    assertEquals("device", field(() -> a.onDevice("a/b")));
    assertEquals("device", field(() -> a.onDevice("sixteen-bytes-xx")));
    assertEquals("eth0:fifteen-by", a.withLabel("eth0:fifteen-by").label());
  }

  private static String field(Runnable build) {
    return assertThrows(InvalidConfigurationException.class, build::run).field();
  }
}
