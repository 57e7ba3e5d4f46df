package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import sun.misc.Signal;

/**
 * {@code failover4j vrrp}: runs one VRRP instance on a real interface until SIGTERM or SIGINT, then
 * leaves gracefully (priority 0 if master, addresses removed) and exits 0.
 */
final class VrrpCommand implements Subcommand {

  private static final Set<String> VALUED =
      Set.of(
          "--interface",
          "--vrid",
          "--priority",
          "--vip",
          "--version",
          "--interval",
          "--auth-pass",
          "--auth-ah",
          "--preempt-delay",
          "--unicast-peer",
          "--track-interface");
  private static final Set<String> SWITCHES = Set.of("--no-preempt", "--vmac", "--json");

  /** Builder field names as the configuration reports them, mapped to the flag that set them. */
  private static final Map<String, String> FLAG_OF =
      Map.of(
          "iface", "--interface",
          "vrid", "--vrid",
          "priority", "--priority",
          "virtualAddresses", "--vip",
          "virtualAddress", "--vip",
          "version", "--version",
          "interval", "--interval",
          "preemptDelay", "--preempt-delay",
          "unicastPeers", "--unicast-peer");

  @Override
  public String name() {
    return "vrrp";
  }

  @Override
  public String summary() {
    return "run one VRRP instance on an interface (needs root)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j vrrp --interface IF --vrid N --vip CIDR [--vip CIDR]... [options]

        Runs one VRRP instance on a real interface (needs CAP_NET_ADMIN and CAP_NET_RAW) until
        SIGTERM or SIGINT, then leaves gracefully: priority 0 if master, addresses removed.

          --interface IF            the interface to run on (required)
          --vrid N                  virtual router id, 1..255 (required)
          --vip CIDR                a virtual address such as 192.0.2.100/24 (required, repeatable)
          --priority P              1..255 (default 100; 255 = address owner)
          --version 2|3             VRRP version (default 3)
          --interval D              advert interval: 100ms, 1s (default 1s; v2: whole seconds)
          --auth-pass S             VRRPv2 simple-text password
          --auth-ah S               VRRPv2 IPsec-AH key, as keepalived
          --no-preempt              never take over from a lower-priority master
          --preempt-delay D         keepalived's preempt_delay
          --unicast-peer IP         send adverts to this peer instead of multicast (repeatable)
          --vmac                    use the virtual MAC on a macvlan vrrp.VRID
          --track-interface IF[:W]  track an interface; weight W, 0 (default) = fault when down
          --json                    one JSON object per role change
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    VrrpInstanceConfig config;
    boolean json;
    try {
      CommandLine line = CommandLine.parse(args, VALUED, SWITCHES);
      line.requireNoPositional();
      config = config(line);
      json = line.has("--json");
    } catch (UsageException e) {
      err.println("failover4j vrrp: " + e.getMessage());
      return Main.EXIT_USAGE;
    }

    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    VrrpRouter router;
    try {
      router = VrrpRouter.builder().ownedPlatform(NetlinkPlatform.open()).instance(config).build();
    } catch (IOException e) {
      err.println("failover4j vrrp: " + e.getMessage());
      return 1;
    }
    int vrid = config.vrid();
    CountDownLatch printedStop = new CountDownLatch(1);
    // Printed on a listener thread, never the loop: a stalled stdout must not stall adverts.
    router
        .instance(config.name())
        .addListener(
            new RoleListener() {
              @Override
              public void roleChanged(RoleChangeEvent e) {
                if (e.from() != e.to()) {
                  out.println(json ? RoleEventJson.json(vrid, e) : RoleEventJson.text(vrid, e));
                  out.flush();
                }
                if (e.to() == Role.STOPPED) {
                  printedStop.countDown();
                }
              }
            });
    try {
      router.start();
    } catch (IOException e) {
      err.println("failover4j vrrp: " + e.getMessage());
      router.close();
      printedStop.await(5, TimeUnit.SECONDS);
      return 1;
    }
    stop.await();
    router.close();
    printedStop.await(5, TimeUnit.SECONDS);
    return 0;
  }

  private static VrrpInstanceConfig config(CommandLine line) throws UsageException {
    String iface = line.required("--interface");
    int vrid = line.intValue("--vrid", 0, 1, 255);
    if (vrid == 0) {
      throw new UsageException("--vrid is required");
    }
    if (line.all("--vip").isEmpty()) {
      throw new UsageException("--vip is required");
    }
    if (line.has("--auth-pass") && line.has("--auth-ah")) {
      throw new UsageException("--auth-pass and --auth-ah exclude each other");
    }
    VrrpInstanceConfig.Builder b =
        VrrpInstanceConfig.builder("vrrp-" + vrid)
            .iface(iface)
            .vrid(vrid)
            .priority(line.intValue("--priority", 100, 1, 255))
            .version(line.intValue("--version", 3, 2, 3))
            .advertInterval(line.duration("--interval", java.time.Duration.ofSeconds(1)))
            .preemptDelay(line.duration("--preempt-delay", java.time.Duration.ZERO))
            .virtualMac(line.has("--vmac"));
    try {
      for (String vip : line.all("--vip")) {
        b.virtualAddress(vip);
      }
      if (line.has("--auth-pass")) {
        b.authPassword(line.required("--auth-pass"));
      }
      if (line.has("--auth-ah")) {
        b.authAh(line.required("--auth-ah"));
      }
      if (line.has("--no-preempt")) {
        b.noPreempt();
      }
      for (String peer : line.all("--unicast-peer")) {
        b.unicastPeer(CommandLine.parseAddress("--unicast-peer", peer));
      }
      for (String tracked : line.all("--track-interface")) {
        int colon = tracked.indexOf(':');
        String name = colon < 0 ? tracked : tracked.substring(0, colon);
        int weight = 0;
        if (colon >= 0) {
          try {
            weight = Integer.parseInt(tracked.substring(colon + 1));
          } catch (NumberFormatException e) {
            throw new UsageException("--track-interface weight must be a number: " + tracked);
          }
        }
        b.trackInterface(name, weight);
      }
      return b.build();
    } catch (InvalidConfigurationException e) {
      String flag = FLAG_OF.getOrDefault(e.field(), "--" + e.field());
      if (e.field().startsWith("auth")) {
        flag = line.has("--auth-ah") ? "--auth-ah" : "--auth-pass";
      } else if (e.field().startsWith("trackInterface")) {
        flag = "--track-interface";
      }
      throw new UsageException(flag + " " + e.problem());
    }
  }
}
