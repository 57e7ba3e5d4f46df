package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * A router with one VRRP instance per interface, inside and outside, in one sync group
 * (keepalived's {@code vrrp_sync_group}): the two addresses are the two legs of one route, so they
 * must sit on the same machine. When one leg's link fails, the group takes the other instance out
 * as well and the peer takes both.
 *
 * <p>Simulated (no arguments): two routers on two LANs; router-a's outside link goes down and comes
 * back. Real ({@code --real eth0,eth1 [PRIORITY]}, as root): one router until Ctrl-C.
 */
public final class SyncGroupRouter {

  private SyncGroupRouter() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real INSIDE,OUTSIDE [PRIORITY]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    if (setup.real()) {
      int priority = setup.rest().isEmpty() ? 100 : Integer.parseInt(setup.rest().get(0));
      VrrpRouter router =
          router("router", Setup.kernel(), setup.iface(0), setup.iface(1), priority, out);
      Setup.runUntilStopped(router);
      return;
    }
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork inside = new SimulatedNetwork(loop, 1);
    SimulatedNetwork outside = new SimulatedNetwork(loop, 2);
    SimulatedPlatform a =
        new SimulatedPlatform(loop)
            .attach("eth0", inside.addHost("a-in", InetAddress.getByName("192.0.2.1")))
            .attach("eth1", outside.addHost("a-out", InetAddress.getByName("198.51.100.1")));
    SimulatedPlatform b =
        new SimulatedPlatform(loop)
            .attach("eth0", inside.addHost("b-in", InetAddress.getByName("192.0.2.2")))
            .attach("eth1", outside.addHost("b-out", InetAddress.getByName("198.51.100.2")));
    VrrpRouter routerA = router("router-a", a, "eth0", "eth1", 150, out);
    VrrpRouter routerB = router("router-b", b, "eth0", "eth1", 100, out);
    loop.advanceBy(Duration.ofSeconds(5));
    out.println("router-a: eth1 link down");
    a.setLink("eth1", false);
    loop.advanceBy(Duration.ofSeconds(5));
    out.println("router-a: eth1 link up");
    a.setLink("eth1", true);
    loop.advanceBy(Duration.ofSeconds(5));
    routerA.close();
    routerB.close();
  }

  private static VrrpRouter router(
      String name, Platform platform, String in, String out, int priority, PrintStream print)
      throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(instance("VI_IN", in, 51, "192.0.2.254/24", priority))
            .instance(instance("VI_OUT", out, 52, "198.51.100.254/24", priority))
            .syncGroup("G1", "VI_IN", "VI_OUT")
            .build();
    router
        .syncGroup("G1")
        .addListener(
            e -> print.printf("%s group G1 -> %s (%s)%n", name, e.to(), e.reason()), Runnable::run);
    for (VrrpInstance instance : router.instances()) {
      instance.addListener(
          e -> print.printf("%s   %s -> %s (%s)%n", name, e.source(), e.to(), e.reason()),
          Runnable::run);
    }
    router.start();
    return router;
  }

  private static VrrpInstanceConfig instance(
      String name, String iface, int vrid, String vip, int priority) {
    return VrrpInstanceConfig.builder(name)
        .iface(iface)
        .vrid(vrid)
        .priority(priority)
        .advertInterval(Duration.ofMillis(100))
        .virtualAddress(vip)
        .build();
  }
}
