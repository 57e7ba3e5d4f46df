package org.failover4j.examples;

import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * Two VRRP routers on a simulated LAN under virtual time: a minute of protocol runs in
 * milliseconds, no root needed. The way to test an application's failover logic.
 */
public final class SimulatedFailover {

  private SimulatedFailover() {}

  /** Runs the example and prints each role change. */
  public static void main(String[] args) throws Exception {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    VrrpRouter primary =
        router(loop, lan.addHost("primary", InetAddress.getByName("192.0.2.1")), 200);
    VrrpRouter standby =
        router(loop, lan.addHost("standby", InetAddress.getByName("192.0.2.2")), 100);

    loop.advanceBy(Duration.ofSeconds(10));
    primary.close(); // a graceful exit: the standby takes over after Skew_Time
    loop.advanceBy(Duration.ofSeconds(2));
    standby.close();
  }

  private static VrrpRouter router(VirtualTimeEventLoop loop, SimulatedHost host, int priority)
      throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .platform(new SimulatedPlatform(loop).attach("eth0", host))
            .instance(
                VrrpInstanceConfig.builder("VI_1")
                    .iface("eth0")
                    .vrid(51)
                    .priority(priority)
                    .virtualAddress("192.0.2.100/24")
                    .build())
            .build();
    router
        .instance("VI_1")
        .addListener(
            new RoleListener() {
              @Override
              public void roleChanged(RoleChangeEvent e) {
                System.out.printf(
                    "%s %-8s %s -> %s (%s)%n", e.time(), host.name(), e.from(), e.to(), e.reason());
              }
            },
            Runnable::run);
    router.start();
    return router;
  }
}
