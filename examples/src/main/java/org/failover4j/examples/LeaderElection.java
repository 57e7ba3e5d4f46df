package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * The smallest VRRP leader election: one instance, one virtual address, and the two callbacks an
 * application needs. The node that becomes master serves; the others stand by.
 *
 * <p>Simulated (no arguments): two nodes elect a master, the master's host crashes, and the other
 * takes over after the Master_Down_Interval, all in virtual time. Real ({@code --real eth0
 * [PRIORITY]}, as root): one node on {@code eth0} until Ctrl-C, against any VRRPv3 peer on VRID 51
 * (another copy of this example, or keepalived).
 */
public final class LeaderElection {

  private LeaderElection() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE [PRIORITY]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    if (setup.real()) {
      int priority = setup.rest().isEmpty() ? 100 : Integer.parseInt(setup.rest().get(0));
      VrrpRouter node = elect("node", Setup.kernel(), setup.iface(0), priority, out);
      out.println("running on " + setup.iface(0) + " at priority " + priority + "; Ctrl-C leaves");
      Setup.runUntilStopped(node);
      return;
    }
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    var hostA = lan.addHost("node-a", InetAddress.getByName("192.0.2.1"));
    var hostB = lan.addHost("node-b", InetAddress.getByName("192.0.2.2"));
    VrrpRouter a =
        elect("node-a", new SimulatedPlatform(loop).attach("eth0", hostA), "eth0", 150, out);
    VrrpRouter b =
        elect("node-b", new SimulatedPlatform(loop).attach("eth0", hostB), "eth0", 100, out);
    loop.advanceBy(Duration.ofSeconds(5));
    out.println("node-a crashes");
    hostA.crash();
    loop.advanceBy(Duration.ofSeconds(5));
    a.closeAbruptly();
    b.close();
  }

  /** The part to copy: build, listen, start. */
  private static VrrpRouter elect(
      String node, Platform platform, String iface, int priority, PrintStream out)
      throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(
                VrrpInstanceConfig.builder("service")
                    .iface(iface)
                    .vrid(51)
                    .priority(priority)
                    .advertInterval(Duration.ofMillis(100))
                    .virtualAddress("192.0.2.100/24")
                    .build())
            .build();
    router
        .instance("service")
        .addListener(
            new RoleListener() {
              @Override
              public void becameMaster(RoleChangeEvent e) {
                out.println(node + " becameMaster: serving 192.0.2.100 (" + e.reason() + ")");
              }

              @Override
              public void becameBackup(RoleChangeEvent e) {
                out.println(node + " becameBackup: standing by (" + e.reason() + ")");
              }
            },
            Runnable::run); // on the event loop: keep callbacks short, or pass an executor
    router.start();
    return router;
  }
}
