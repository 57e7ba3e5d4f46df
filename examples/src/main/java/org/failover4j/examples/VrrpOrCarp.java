package org.failover4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * The same service elected by VRRP or by CARP: both are a {@link RoleObservable} with the same
 * listener vocabulary ({@code becameMaster}, {@code becameBackup}, epochs, the current role on
 * registration), so the application's code does not change; only the one line in {@link #elect}
 * that builds the election does.
 *
 * <p>Simulated (no arguments): the same story twice, with VRRP then with CARP: node-a serves,
 * crashes, node-b serves. Real ({@code --real eth0 vrrp|carp [PREFERENCE]}, as root): one node.
 */
public final class VrrpOrCarp {

  private VrrpOrCarp() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE vrrp|carp [PREFERENCE]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    if (setup.real()) {
      String protocol = setup.rest().isEmpty() ? "vrrp" : setup.rest().get(0);
      int preference = setup.rest().size() > 1 ? Integer.parseInt(setup.rest().get(1)) : 100;
      Platform platform = Setup.kernel();
      AutoCloseable node = serve("node", protocol, platform, setup.iface(0), preference, out);
      Setup.runUntilStopped(node, platform);
      return;
    }
    for (String protocol : new String[] {"vrrp", "carp"}) {
      VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
      SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
      SimulatedHost hostA = lan.addHost("a", InetAddress.getByName("192.0.2.1"));
      SimulatedHost hostB = lan.addHost("b", InetAddress.getByName("192.0.2.2"));
      AutoCloseable a =
          serve(
              "[" + protocol + "] node-a",
              protocol,
              new SimulatedPlatform(loop).attach("eth0", hostA),
              "eth0",
              200,
              out);
      AutoCloseable b =
          serve(
              "[" + protocol + "] node-b",
              protocol,
              new SimulatedPlatform(loop).attach("eth0", hostB),
              "eth0",
              100,
              out);
      loop.advanceBy(Duration.ofSeconds(5));
      out.println("[" + protocol + "] node-a crashes");
      hostA.crash();
      loop.advanceBy(Duration.ofSeconds(5));
      b.close();
      a.close();
    }
  }

  /** An election: VRRP instance or CARP host, seen by the service alike. */
  private record Election(RoleObservable role, Start start, AutoCloseable handle) {}

  /** Joins the election. */
  private interface Start {
    void start() throws IOException;
  }

  /** The set-up code: the only place that knows which protocol elects. */
  private static Election elect(String protocol, Platform platform, String iface, int preference)
      throws Exception {
    if (protocol.equals("carp")) { // CARP prefers the lowest skew: map the preference onto it
      CarpHost host =
          CarpHost.builder()
              .platform(platform)
              .config(
                  CarpHostConfig.builder()
                      .iface(iface)
                      .vhid(10)
                      .passphrase("example only")
                      .advskew(255 - preference)
                      .virtualAddress("192.0.2.100/24")
                      .build())
              .build();
      return new Election(
          host,
          host::start,
          () -> {
            host.close();
            platform.close();
          });
    }
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(
                VrrpInstanceConfig.builder("service")
                    .iface(iface)
                    .vrid(51)
                    .priority(preference)
                    .virtualAddress("192.0.2.100/24")
                    .build())
            .build();
    return new Election(router.instance("service"), router::start, router);
  }

  /** The application: the same whatever elects it. */
  private static AutoCloseable serve(
      String node,
      String protocol,
      Platform platform,
      String iface,
      int preference,
      PrintStream out)
      throws Exception {
    Election election = elect(protocol, platform, iface, preference);
    election
        .role()
        .addListener(
            new RoleListener() {
              @Override
              public void becameMaster(RoleChangeEvent e) {
                out.println(node + ": serving 192.0.2.100");
              }

              @Override
              public void becameBackup(RoleChangeEvent e) {
                out.println(node + ": standing by");
              }
            },
            Runnable::run);
    election.start().start();
    return election.handle();
  }
}
