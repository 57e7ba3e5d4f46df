package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The takeover a router plays on a simulated LAN before it starts, so its first real one is warm.
 */
class RehearsalTest {

  @Test
  void theBackupTakesOverAndAdvertisesForEveryFamilyAndVersion() throws Exception {
    assertTrue(Rehearsal.takeover(false, 3, Duration.ofMillis(100)), "IPv4, VRRPv3");
    assertTrue(Rehearsal.takeover(true, 3, Duration.ofMillis(100)), "IPv6, VRRPv3");
    assertTrue(Rehearsal.takeover(false, 2, Duration.ofSeconds(1)), "IPv4, VRRPv2");
  }

  @Test
  void everyFamilyAndVersionAmongTheConfigurationsIsRehearsedOnce() {
    // Two IPv4 v3 instances and one IPv6 v3: two kinds, each a whole takeover.
    int played =
        Rehearsal.run(
            List.of(
                VrrpInstanceConfig.builder("a")
                    .iface("eth0")
                    .vrid(7)
                    .virtualAddress("192.0.2.100/24")
                    .build(),
                VrrpInstanceConfig.builder("b")
                    .iface("eth1")
                    .vrid(8)
                    .priority(255)
                    .virtualAddress("2001:db8::7/64")
                    .advertInterval(Duration.ofMillis(30))
                    .build(),
                VrrpInstanceConfig.builder("c")
                    .iface("eth2")
                    .vrid(9)
                    .virtualAddress("198.51.100.9/24")
                    .build()));
    assertEquals(2, played, "a rehearsal that did not take over counts as not played");
  }
}
