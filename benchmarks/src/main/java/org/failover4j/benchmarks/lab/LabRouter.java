package org.failover4j.benchmarks.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.Takeover;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import sun.misc.Signal;

/**
 * failover4j's side of a lab bench: one {@link VrrpRouter} running every group of a groups file
 * (see {@link Group#line()}) at one priority, until SIGTERM, as the lab starts it inside a host:
 * {@code java -cp benchmarks.jar org.failover4j.benchmarks.lab.LabRouter GROUPS PRIORITY
 * INTERVAL_MS}.
 */
public final class LabRouter {

  private LabRouter() {}

  /**
   * Runs the router; prints {@code started N in T ms} once every instance runs, T being what the
   * library's start cost inside the JVM: opening the platform, the build and {@link
   * VrrpRouter#start()} with its rehearsal; with one group, also the steps of each takeover.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: LabRouter GROUPS_FILE PRIORITY INTERVAL_MS");
      System.exit(2);
    }
    List<Group> groups = Files.readAllLines(Path.of(args[0])).stream().map(Group::parse).toList();
    int priority = Integer.parseInt(args[1]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    long startNanos = System.nanoTime();
    VrrpRouter.Builder builder = VrrpRouter.builder().ownedPlatform(NetlinkPlatform.open());
    for (Group g : groups) {
      VrrpInstanceConfig.Builder instance =
          VrrpInstanceConfig.builder(g.name())
              .iface(g.iface())
              .vrid(g.vrid())
              .version(3)
              .priority(priority)
              .advertInterval(interval)
              .virtualAddress(g.vip());
      if (g.virtualMac() != null) {
        instance.virtualMac(g.virtualMac());
      }
      builder.instance(instance.build());
    }
    VrrpRouter router = builder.build();
    if (groups.size() == 1) {
      // The steps of a single group's takeover as the library saw them, from the timer's deadline
      // (printed after the takeover, so off its path); at scale the capture says enough.
      router.instances().iterator().next().addTakeoverListener(LabRouter::print);
    }
    router.start();
    double startMs = (System.nanoTime() - startNanos) / 1e6;
    System.out.printf(java.util.Locale.ROOT, "started %d in %.2f ms%n", groups.size(), startMs);
    System.out.flush();
    stop.await();
    router.close();
  }

  private static void print(Takeover t) {
    System.out.printf(
        java.util.Locale.ROOT,
        "takeover (%s): advert %d us, addresses %d us, announced %d us after the deadline%n",
        t.reason(),
        t.advertSent().toNanos() / 1000,
        t.addressesAdded().toNanos() / 1000,
        t.announced().toNanos() / 1000);
    System.out.flush();
  }
}
