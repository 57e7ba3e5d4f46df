package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.sim.SimulatedFrame;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.election.ElectionTiming;

/**
 * The script of {@code failover4j demo}. Everything runs on one real-time event loop: three routers
 * with the full runtime and codec on a simulated LAN (1 ms per hop), and a passive monitor host
 * that timestamps every advert as tshark on a bridge would.
 */
final class VrrpDemo {

  private static final int INTERVAL_CENTIS = 10;
  private static final String VIP = "192.0.2.100/24";
  private static final int VRRP_PRIORITY_OFFSET = 20 + 2;

  private final EventLoop loop;
  private final PrintStream out;
  private final SimulatedNetwork lan;
  private final Router[] routers;
  private final List<Advert> wire = new ArrayList<>();
  private List<Advert> recorded = List.of();
  private final long start;
  private volatile boolean finished;

  private record Advert(long nanos, InetAddress source, int priority) {}

  /** One demo router: its LAN attachment and (while running) its VrrpRouter. */
  private final class Router {
    final String name;
    final int priority;
    final SimulatedHost host;
    SimulatedPlatform platform;
    VrrpRouter vrrp;

    Router(String name, int priority, SimulatedHost host) {
      this.name = name;
      this.priority = priority;
      this.host = host;
    }

    void start() {
      host.restart();
      platform = new SimulatedPlatform(loop).attach("eth0", host);
      vrrp =
          VrrpRouter.builder()
              .platform(platform)
              .instance(
                  VrrpInstanceConfig.builder("VI_1")
                      .iface("eth0")
                      .vrid(42)
                      .priority(priority)
                      .advertInterval(Duration.ofMillis(INTERVAL_CENTIS * 10L))
                      .virtualAddress(VIP)
                      .build())
              .build();
      vrrp.instance("VI_1").addListener(new Printer(this), Runnable::run);
      try {
        vrrp.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The process dies: no priority 0, and its frames stop at once. */
    void crash() {
      host.crash();
      vrrp.closeAbruptly();
      vrrp = null;
    }

    /** A graceful exit: priority 0, addresses removed. */
    void stop() {
      vrrp.close();
      vrrp = null;
    }
  }

  /** Prints each transition on the loop thread, as it happens. */
  private final class Printer implements RoleListener {
    private final Router router;

    Printer(Router router) {
      this.router = router;
    }

    @Override
    public void roleChanged(RoleChangeEvent e) {
      if (finished || e.from() == e.to()) {
        return;
      }
      boolean holds = router.platform.addresses("eth0").contains(VIP);
      String note =
          e.to() == Role.MASTER
              ? "holds " + VIP
              : e.from() == Role.MASTER && !holds ? "released the address" : "";
      out.printf(
          Locale.ROOT,
          "  %7.3f s  %-3s  %-22s %-14s %s%n",
          seconds(loop.nanoTime()),
          router.name,
          e.from() + " -> " + e.to(),
          e.reason(),
          note);
    }
  }

  VrrpDemo(EventLoop loop, PrintStream out) {
    this.loop = loop;
    this.out = out;
    this.lan = new SimulatedNetwork(loop, 42);
    this.routers =
        new Router[] {
          new Router("r1", 200, lan.addHost("r1", ip("192.0.2.11"))),
          new Router("r2", 150, lan.addHost("r2", ip("192.0.2.12"))),
          new Router("r3", 100, lan.addHost("r3", ip("192.0.2.13")))
        };
    SimulatedHost monitor = lan.addHost("monitor", ip("192.0.2.99"));
    monitor.onReceive(this::record);
    this.start = loop.nanoTime();
  }

  private void record(SimulatedFrame frame) {
    wire.add(
        new Advert(
            loop.nanoTime(),
            frame.source(),
            frame.payload().get(frame.payload().position() + VRRP_PRIORITY_OFFSET) & 0xFF));
  }

  int run() throws Exception {
    Router r1 = routers[0];
    out.println(
        "failover4j demo: three VRRP routers on a simulated LAN, in real time"
            + " (VRRPv3, adverts every 100 ms, 1 ms per hop)");
    out.println("  r1 priority 200, r2 priority 150, r3 priority 100; virtual address " + VIP);
    out.println();
    out.printf("  %9s  %-3s  %-22s %-14s %s%n", "time", "who", "role change", "reason", "");

    at(
        0,
        () -> {
          for (Router r : routers) {
            r.start();
          }
        });
    long crashAt =
        at(1_200, () -> say("r1 crashes: it falls silent, no priority-0 advert", r1::crash));
    long restartAt =
        at(2_700, () -> say("r1 restarts; it outranks r2 and will preempt", r1::start));
    long shutdownAt = at(4_200, () -> say("r1 shuts down gracefully: priority 0", r1::stop));
    at(
        5_000,
        () -> {
          finished = true;
          // Frames are still in flight on the loop: the report reads a copy made here.
          recorded = List.copyOf(wire);
        });
    for (Router r : routers) {
      if (r.vrrp != null) {
        r.vrrp.closeAbruptly();
      }
    }
    report(crashAt, restartAt, shutdownAt);
    return 0;
  }

  private void say(String event, Runnable action) {
    out.printf(Locale.ROOT, "  %7.3f s  *** %s%n", seconds(loop.nanoTime()), event);
    action.run();
  }

  private void report(long crashAt, long restartAt, long shutdownAt) {
    Router r1 = routers[0];
    Router r2 = routers[1];
    out.println();
    out.println("Failovers, timed on the simulated wire:");
    long lastBeforeCrash = lastFrom(r1, crashAt);
    long takeover = firstFrom(r2, crashAt);
    line(
        "crash of r1",
        "r2 master " + ms(takeover - lastBeforeCrash) + " after r1's last advert",
        "Master_Down_Interval "
            + ms(ElectionTiming.masterDownNanos(3, r2.priority, INTERVAL_CENTIS)));
    long preempt = firstFrom(r1, restartAt);
    line(
        "restart of r1",
        "r1 master " + ms(preempt - restartAt) + " after it started",
        "Master_Down_Interval "
            + ms(ElectionTiming.masterDownNanos(3, r1.priority, INTERVAL_CENTIS)));
    long priorityZero = priorityZeroFrom(r1, shutdownAt);
    long handover = firstFrom(r2, priorityZero);
    line(
        "shutdown of r1",
        "r2 master " + ms(handover - priorityZero) + " after r1's priority 0",
        "Skew_Time " + ms(ElectionTiming.skewNanos(3, r2.priority, INTERVAL_CENTIS)));
  }

  private void line(String what, String measured, String expected) {
    out.printf(Locale.ROOT, "  %-15s %-44s %s%n", what, measured, expected);
  }

  /** The time of the last advert from {@code r} at or before {@code before}. */
  private long lastFrom(Router r, long before) {
    long last = -1;
    for (Advert a : recorded) {
      if (a.source().equals(r.host.address()) && a.nanos() <= before) {
        last = a.nanos();
      }
    }
    return last;
  }

  /** The time of the first advert from {@code r} after {@code after} with a live priority. */
  private long firstFrom(Router r, long after) {
    return first(r, after, a -> a.priority() > 0);
  }

  /** The time of the first priority-0 advert from {@code r} from {@code after} on. */
  private long priorityZeroFrom(Router r, long after) {
    return first(r, after - 1, a -> a.priority() == 0);
  }

  private long first(Router r, long after, Predicate<Advert> wanted) {
    for (Advert a : recorded) {
      if (a.source().equals(r.host.address()) && a.nanos() > after && wanted.test(a)) {
        return a.nanos();
      }
    }
    return -1;
  }

  /** Runs {@code action} on the loop {@code millis} after the start and returns when it ran. */
  private long at(long millis, Runnable action) throws Exception {
    long due = start + millis * 1_000_000L;
    CompletableFuture<Long> ran = new CompletableFuture<>();
    loop.execute(
        () ->
            loop.newTimer(
                    () -> {
                      try {
                        action.run();
                        ran.complete(loop.nanoTime());
                      } catch (RuntimeException e) {
                        ran.completeExceptionally(e);
                      }
                    })
                .scheduleAt(due));
    return ran.get(10, TimeUnit.SECONDS);
  }

  private double seconds(long nanos) {
    return (nanos - start) / 1e9;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
