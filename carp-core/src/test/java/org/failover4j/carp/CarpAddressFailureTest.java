package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

/**
 * A CARP host that cannot add its addresses (no CAP_NET_ADMIN, an address refused) never reports
 * MASTER: it demotes itself so the peer serves, reports FAULT, and recovers when it can add them.
 */
class CarpAddressFailureTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 9);

  @Test
  void aHostWithoutItsAddressesStepsAsideAndComesBack() throws Exception {
    SimulatedPlatform refusing = platform(1);
    SimulatedPlatform other = platform(2);
    refusing.refuseAddressChanges("EPERM (simulated)");
    CarpHost preferred = host(refusing, 0);
    List<String> events = new CopyOnWriteArrayList<>();
    preferred.addListener(e -> events.add(e.to() + " " + e.reason()), Runnable::run);
    CarpHost peer = host(other, 100);
    loop.advanceBy(Duration.ofSeconds(15));

    assertFalse(events.stream().anyMatch(e -> e.startsWith("MASTER")), events.toString());
    assertTrue(events.contains("FAULT address-failed"), events.toString());
    assertEquals(Role.MASTER, peer.role(), "the peer serves instead");
    assertTrue(other.addresses("eth0").contains("192.0.2.100/24"));
    assertTrue(preferred.statistics().addressFailures() >= 1);

    refusing.refuseAddressChanges(null);
    loop.advanceBy(Duration.ofSeconds(15));
    assertEquals(Role.MASTER, preferred.role(), "recovered, and preempting with its lower skew");
    assertTrue(refusing.addresses("eth0").contains("192.0.2.100/24"));
    assertEquals(Role.BACKUP, peer.role());
    assertFalse(other.addresses("eth0").contains("192.0.2.100/24"));
    preferred.close();
    peer.close();
  }

  @Test
  void closeWaitsForStoppedAndANeverStartedHostSaysItIsOver() throws Exception {
    CarpHost host = host(platform(3), 0);
    java.util.concurrent.atomic.AtomicBoolean cleanedUp =
        new java.util.concurrent.atomic.AtomicBoolean();
    host.addListener(
        new org.failover4j.api.RoleListener() {
          @Override
          public void stopped(org.failover4j.api.RoleChangeEvent e) {
            try {
              Thread.sleep(300); // an application's slow cleanup
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
            }
            cleanedUp.set(true);
          }
        });
    loop.advanceBy(Duration.ofSeconds(5));
    host.close();
    assertTrue(cleanedUp.get(), "close() returned before stopped() finished");

    CarpHost never =
        CarpHost.builder()
            .platform(platform(4))
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(11)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.101/24")
                    .build())
            .build();
    List<String> events = new CopyOnWriteArrayList<>();
    never.addListener(e -> events.add(e.to() + " " + e.reason()), Runnable::run);
    never.close();
    assertEquals(List.of("INITIALIZE created", "STOPPED not-started"), events);
  }

  private SimulatedPlatform platform(int n) throws Exception {
    return new SimulatedPlatform(loop)
        .attach("eth0", lan.addHost("h" + n, InetAddress.getByName("192.0.2." + (10 + n))));
  }

  private static CarpHost host(SimulatedPlatform platform, int advskew) throws Exception {
    CarpHost host =
        CarpHost.builder()
            .platform(platform)
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.100/24")
                    .advskew(advskew)
                    .preempt(true)
                    .build())
            .build();
    host.start();
    return host;
  }
}
