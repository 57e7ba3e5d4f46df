package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;

/**
 * A CARP pair whose application health check moves the master: while the local service answers, the
 * host's demotion counter is 0; when it stops, the application raises it, and a less demoted backup
 * takes over at once (OpenBSD's rule, whatever the skew); when it answers again, the counter goes
 * back to 0 and the preferred host, with preemption, takes the address back.
 *
 * <p>Simulated (no arguments): host-a's service fails for a while. Real ({@code --real eth0
 * [ADVSKEW]}, as root): one host on {@code eth0}, VHID 10, whose check is a TCP connect to
 * 127.0.0.1:8080 every second; against another copy of this example (ucarp ignores demotion).
 */
public final class CarpHealthDemotion {

  /** The demotion an unhealthy host advertises; any value above its peers' works. */
  private static final int UNHEALTHY = 50;

  private CarpHealthDemotion() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE [ADVSKEW]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    if (setup.real()) {
      int advskew = setup.rest().isEmpty() ? 0 : Integer.parseInt(setup.rest().get(0));
      Platform platform = Setup.kernel();
      CarpHost host = host("host", platform, setup.iface(0), advskew, out);
      ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
      checks.scheduleAtFixedRate(
          () -> check(host, CarpHealthDemotion::serviceAnswers), 0, 1, TimeUnit.SECONDS);
      Setup.runUntilStopped(checks::shutdownNow, host, platform);
      return;
    }
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    boolean[] serviceUp = {true};
    CarpHost a =
        host(
            "host-a",
            new SimulatedPlatform(loop)
                .attach("eth0", lan.addHost("a", InetAddress.getByName("192.0.2.1"))),
            "eth0",
            0,
            out);
    CarpHost b =
        host(
            "host-b",
            new SimulatedPlatform(loop)
                .attach("eth0", lan.addHost("b", InetAddress.getByName("192.0.2.2"))),
            "eth0",
            100,
            out);
    for (int second = 0; second < 30; second++) {
      if (second == 10 || second == 20) {
        serviceUp[0] = second == 20;
        out.println(
            "host-a: local service " + (serviceUp[0] ? "answers again" : "stops answering"));
      }
      check(a, () -> serviceUp[0]); // the application's own check, once a second
      check(b, () -> true);
      loop.advanceBy(Duration.ofSeconds(1));
    }
    a.close();
    b.close();
  }

  private static CarpHost host(
      String name, Platform platform, String iface, int advskew, PrintStream out) throws Exception {
    CarpHost host =
        CarpHost.builder()
            .platform(platform)
            .config(
                CarpHostConfig.builder()
                    .iface(iface)
                    .vhid(10)
                    .passphrase("example only")
                    .virtualAddress("192.0.2.100/24")
                    .advskew(advskew)
                    .preempt(true)
                    .build())
            .build();
    host.addListener(
        e -> out.println(name + " " + e.to() + " (" + e.reason() + ")"), Runnable::run);
    host.start();
    return host;
  }

  /** Sets the demotion from the check's answer (the host ignores a value it already has). */
  private static void check(CarpHost host, BooleanSupplier healthy) {
    host.setDemotion(healthy.getAsBoolean() ? 0 : UNHEALTHY);
  }

  /** The real check: something listens on port 8080. */
  private static boolean serviceAnswers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 8080), 200);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
