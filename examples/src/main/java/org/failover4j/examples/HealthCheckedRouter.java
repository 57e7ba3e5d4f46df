package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.HealthCheck;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * Tracking, as keepalived's {@code track_script} and {@code track_interface}: the router gives up
 * the address when the local service stops answering (weight 0: FAULT), and lowers its priority by
 * 50 when its uplink goes down, so a better-connected peer takes over.
 *
 * <p>Simulated (no arguments): router-a (150) and router-b (120); a's service fails and recovers,
 * then a's uplink goes down. Real ({@code --real eth0,eth1 [PRIORITY]}, as root): the check is a
 * TCP connect to 127.0.0.1:8080, the uplink {@code eth1}.
 */
public final class HealthCheckedRouter {

  private HealthCheckedRouter() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE,UPLINK [PRIORITY]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    if (setup.real()) {
      int priority = setup.rest().isEmpty() ? 150 : Integer.parseInt(setup.rest().get(0));
      VrrpRouter router =
          router(
              "router",
              Setup.kernel(),
              setup.iface(0),
              setup.iface(1),
              priority,
              HealthCheckedRouter::httpAnswers,
              out);
      Setup.runUntilStopped(router);
      return;
    }
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    SimulatedNetwork uplinks = new SimulatedNetwork(loop, 2);
    boolean[] serviceUp = {true};
    SimulatedPlatform a =
        new SimulatedPlatform(loop)
            .attach("eth0", lan.addHost("a", InetAddress.getByName("192.0.2.1")))
            .attach("eth1", uplinks.addHost("a-up", InetAddress.getByName("198.51.100.1")));
    SimulatedPlatform b =
        new SimulatedPlatform(loop)
            .attach("eth0", lan.addHost("b", InetAddress.getByName("192.0.2.2")))
            .attach("eth1", uplinks.addHost("b-up", InetAddress.getByName("198.51.100.2")));
    VrrpRouter routerA = router("router-a", a, "eth0", "eth1", 150, () -> serviceUp[0], out);
    VrrpRouter routerB = router("router-b", b, "eth0", "eth1", 120, () -> true, out);
    loop.advanceBy(Duration.ofSeconds(5));
    out.println("router-a: local service stops answering");
    serviceUp[0] = false;
    loop.advanceBy(Duration.ofSeconds(5));
    out.println("router-a: local service answers again");
    serviceUp[0] = true;
    loop.advanceBy(Duration.ofSeconds(5));
    out.println("router-a: uplink eth1 down");
    a.setLink("eth1", false);
    loop.advanceBy(Duration.ofSeconds(5));
    routerA.close();
    routerB.close();
  }

  private static VrrpRouter router(
      String name,
      Platform platform,
      String iface,
      String uplink,
      int priority,
      HealthCheck check,
      PrintStream out)
      throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(
                VrrpInstanceConfig.builder("web")
                    .iface(iface)
                    .vrid(52)
                    .priority(priority)
                    .advertInterval(Duration.ofMillis(100))
                    .virtualAddress("192.0.2.80/24")
                    .trackCheck("http", 0, check, Duration.ofSeconds(1)) // fails: FAULT
                    .trackInterface(uplink, -50) // down: priority - 50
                    .build())
            .build();
    router
        .instance("web")
        .addListener(
            e -> out.println(name + " " + e.to() + " (" + e.reason() + ")"), Runnable::run);
    router.start();
    return router;
  }

  /** The real check: something listens on port 8080. */
  private static boolean httpAnswers() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 8080), 200);
      return true;
    }
  }
}
