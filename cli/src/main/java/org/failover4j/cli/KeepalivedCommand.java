package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.keepalived.KeepalivedConfig;
import org.failover4j.keepalived.KeepalivedConfigException;
import org.failover4j.keepalived.Notice;
import org.failover4j.keepalived.NotifyScripts;
import org.failover4j.keepalived.ScriptSecurityException;
import org.failover4j.micrometer.VrrpRouterMetrics;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;

/**
 * {@code failover4j keepalived -f FILE}: runs the VRRP side of a keepalived.conf (its instances,
 * sync groups, track and notify scripts) as {@code failover4j vrrp} runs one instance; {@code
 * --check} validates it as {@code keepalived -t} does, with keepalived's exit statuses.
 */
final class KeepalivedCommand implements Subcommand {

  /** keepalived -t: the file is missing or names an interface that does not exist. */
  static final int EXIT_CONFIG = 4;

  /** keepalived -t: the configuration has an error. */
  static final int EXIT_CONFIG_TEST = 5;

  /** keepalived -t: a script is unsafe under enable_script_security. */
  static final int EXIT_CONFIG_SECURITY = 6;

  private static final Set<String> VALUED =
      Set.of("--use-file", "--config-id", MetricsEndpoint.FLAG);
  private static final Set<String> SWITCHES = Set.of("--check", "--json", "--warn-unsupported");

  /** keepalived's short options, spelled out. */
  private static final Map<String, String> SHORT =
      Map.of("-f", "--use-file", "-t", "--check", "-i", "--config-id");

  @Override
  public String name() {
    return "keepalived";
  }

  @Override
  public String summary() {
    return "run the VRRP side of a keepalived.conf, or check it (needs root to run)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j keepalived -f FILE [--check] [-i ID] [--json] [--warn-unsupported]
                                  [--metrics HOST:PORT]

        Runs the vrrp_instances, vrrp_sync_groups, vrrp_scripts and notify scripts of a
        keepalived.conf on the real interfaces (needs CAP_NET_ADMIN and CAP_NET_RAW) until
        SIGTERM or SIGINT, then leaves gracefully. LVS virtual_server blocks are ignored.

          -f, --use-file FILE     the configuration (as keepalived -f)
          -t, --check             only check it, as keepalived -t: exit 0 when it can run,
                                  4 when the file or an interface is missing, 5 for an error in
                                  it, 6 for a script refused by enable_script_security
          -i, --config-id ID      the id @ID lines are kept for (default: the host name up to
                                  its first dot, as keepalived)
          --json                  one JSON object per line: role changes and counters
          --warn-unsupported      a notice per unsupported keyword instead of an error (the
                                  configuration may then behave differently from keepalived)
        """
        + MetricsEndpoint.usage(26)
        + """

        Each role change prints a line; SIGUSR1, and the exit, print every instance's counters.
        Notices (ignored LVS and email settings) go to standard error.
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    CommandLine line;
    Path file;
    Optional<InetSocketAddress> metrics;
    try {
      line = CommandLine.parse(expandShortOptions(args), VALUED, SWITCHES);
      line.requireNoPositional();
      file = Path.of(line.required("--use-file"));
      metrics = MetricsEndpoint.address(line);
    } catch (UsageException e) {
      err.println("failover4j keepalived: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    boolean check = line.has("--check");
    KeepalivedConfig config;
    try {
      KeepalivedConfig.Reader reader = KeepalivedConfig.read(file);
      if (line.has("--config-id")) {
        reader.configId(line.required("--config-id"));
      }
      if (line.has("--warn-unsupported")) {
        reader.warnOnUnsupported();
      }
      config = reader.build();
      for (Notice notice : config.notices()) {
        err.println("failover4j keepalived: notice: " + notice);
      }
    } catch (KeepalivedConfigException e) {
      err.println("failover4j keepalived: " + e.getMessage());
      return e instanceof ScriptSecurityException
          ? EXIT_CONFIG_SECURITY
          : e.line() == 0 || KeepalivedConfig.isMissingInterface(e)
              ? EXIT_CONFIG
              : EXIT_CONFIG_TEST;
    }
    if (check) {
      err.println(
          "failover4j keepalived: "
              + file
              + ": configuration OK, "
              + config.instances().size()
              + " VRRP instance(s)");
      return 0;
    }
    if (config.instances().isEmpty()) {
      err.println("failover4j keepalived: " + file + " has no vrrp_instance to run");
      return EXIT_CONFIG_TEST;
    }
    return serve(config, line.has("--json"), metrics, out, err);
  }

  private static List<String> expandShortOptions(List<String> args) {
    List<String> expanded = new ArrayList<>(args.size());
    for (String arg : args) {
      expanded.add(SHORT.getOrDefault(arg, arg));
    }
    return expanded;
  }

  private static int serve(
      KeepalivedConfig config,
      boolean json,
      Optional<InetSocketAddress> metricsAddress,
      PrintStream out,
      PrintStream err)
      throws Exception {
    CountDownLatch stop = Serving.stopOnSignals();
    VrrpRouter router;
    try {
      router = config.routerBuilder().ownedPlatform(NetlinkPlatform.open()).build();
    } catch (IOException e) {
      err.println("failover4j keepalived: " + e.getMessage());
      return 1;
    }
    List<VrrpInstance> instances = new ArrayList<>(router.instances());
    NotifyScripts scripts = config.notifyScripts(router);
    Runnable counters =
        () -> {
          Instant now = Instant.now();
          Map<AdvertDropReason, Long> unclaimed = router.statistics().drops();
          for (VrrpInstance instance : instances) {
            int vrid = instance.config().vrid();
            out.println(
                json
                    ? CounterReport.json(
                        vrid, instance.role(), now, instance.statistics(), unclaimed)
                    : CounterReport.text(
                        vrid, instance.role(), now, instance.statistics(), unclaimed));
          }
          out.flush();
        };
    try (MetricsEndpoint metrics =
        MetricsEndpoint.open(metricsAddress, () -> new VrrpRouterMetrics(router))) {
      return serve(router, instances, counters, json, stop, out, err);
    } catch (IOException e) {
      err.println("failover4j keepalived: " + e.getMessage());
      router.close();
      return 1;
    } finally {
      // After the router: its instances' stopped notifications still reach their scripts.
      scripts.close();
    }
  }

  private static int serve(
      VrrpRouter router,
      List<VrrpInstance> instances,
      Runnable counters,
      boolean json,
      CountDownLatch stop,
      PrintStream out,
      PrintStream err)
      throws Exception {
    return Serving.serve(
        "keepalived", instances, router, e -> format(router, e, json), counters, stop, out, err);
  }

  /** As {@code failover4j vrrp} prints a role change, with the instance's name. */
  private static String format(VrrpRouter router, RoleChangeEvent e, boolean json) {
    int vrid = router.instance(e.source()).config().vrid();
    return json
        ? RoleEventJson.object("vrid", vrid, e).put("instance", e.source()).toString()
        : RoleEventJson.text(vrid, e) + " " + e.source();
  }
}
