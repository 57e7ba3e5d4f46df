package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import org.failover4j.lab.Host;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.LabProcess;

/**
 * {@code lab-bench startup}: how long each way of running VRRP takes from {@code exec} to the first
 * advert of a priority-255 address owner on the wire, one fresh process per run, the three ways
 * alternating run by run: the {@code ./failover4j vrrp} command, {@link LabRouter} (an application
 * embedding the library, in a JVM with the launcher's flags) and keepalived. {@link LabRouter} also
 * reports what the library's own start cost inside the JVM (platform, build, {@code start()} with
 * its rehearsal), apart from the JVM's start.
 */
final class StartupBench {

  /** The three ways of starting an owner. */
  enum Way {
    CLI("failover4j-cli"),
    EMBEDDED("failover4j-lib"),
    KEEPALIVED("keepalived");

    final String label;

    Way(String label) {
      this.label = label;
    }
  }

  /** One start: when it was exec'd, and when it stopped (the window of its first advert). */
  private record Start(Way way, long fromMicros, long toMicros, double libraryMs) {}

  /** Long enough for the slowest start seen, so that the first advert falls in its window. */
  private static final Duration RUNNING = Duration.ofMillis(1500);

  private final int runs;
  private final String launcher;
  private final PrintStream out;

  StartupBench(int runs, String launcher, PrintStream out) {
    this.runs = runs;
    this.launcher = launcher;
    this.out = out;
  }

  String run() throws IOException {
    List<Group> groups = Group.plan(1, false, false);
    Group group = groups.get(0);
    List<Start> starts = new ArrayList<>();
    try (BenchLab bench = new BenchLab("lab-bench-startup", groups)) {
      bench.startObserving("startup");
      for (int i = 1; i <= runs; i++) {
        for (Way way : Way.values()) {
          starts.add(start(bench.master, group, way, i));
          bench.clearVips();
        }
      }
      List<BridgeTrace> traces = bench.stopObserving();
      return report(traces.get(group.lan()), bench.masterMac(group.lan()), group, starts);
    }
  }

  private Start start(Host host, Group group, Way way, int number) {
    long from = FailoverBench.nowMicros();
    double libraryMs = Double.NaN;
    switch (way) {
      case CLI -> {
        LabProcess p =
            host.start(
                "cli-" + number,
                launcher,
                "vrrp",
                "--interface",
                group.iface(),
                "--vrid",
                Integer.toString(group.vrid()),
                "--priority",
                "255",
                "--interval",
                "100ms",
                "--vip",
                group.vip());
        BenchLab.sleep(RUNNING);
        p.stop(Duration.ofSeconds(10));
      }
      case EMBEDDED -> {
        Implementation.Router r =
            Implementation.FAILOVER4J.start(host, List.of(group), 255, Duration.ofMillis(100));
        Matcher m = r.process().awaitOutput("started \\d+ in ([0-9.]+) ms", Duration.ofSeconds(5));
        libraryMs = Double.parseDouble(m.group(1));
        long elapsed = (FailoverBench.nowMicros() - from) / 1000;
        BenchLab.sleep(RUNNING.minusMillis(Math.min(elapsed, RUNNING.toMillis())));
        r.stop();
      }
      case KEEPALIVED -> {
        KeepalivedConfig config = new KeepalivedConfig(host.name());
        // An owner starts as MASTER, as keepalived derives it when no state is given; the lab's
        // default "state BACKUP" would make keepalived wait out Master_Down first (about 330 ms).
        config
            .instance(group.name())
            .state("MASTER")
            .iface(group.iface())
            .vrid(group.vrid())
            .priority(255)
            .advertInterval(Duration.ofMillis(100))
            .version(3)
            .vip(group.vip());
        Keepalived k = Keepalived.start(host, config);
        long elapsed = (FailoverBench.nowMicros() - from) / 1000;
        BenchLab.sleep(RUNNING.minusMillis(Math.min(elapsed, RUNNING.toMillis())));
        k.close();
      }
    }
    long to = FailoverBench.nowMicros();
    out.printf(Locale.ROOT, "run %d %s%n", number, way.label);
    // Let the leaving process's priority-0 advert pass before the next one starts.
    BenchLab.sleep(Duration.ofMillis(200));
    return new Start(way, from, to, libraryMs);
  }

  /**
   * Milliseconds from {@code fromMicros} (the exec) to the first of {@code adverts} from {@code
   * mac} up to {@code toMicros}; NaN when there is none.
   */
  static double firstAdvertMs(
      List<BridgeTrace.Advert> adverts, String mac, long fromMicros, long toMicros) {
    for (BridgeTrace.Advert a : adverts) {
      if (a.micros() >= fromMicros && a.micros() <= toMicros && a.mac().equals(mac)) {
        return (a.micros() - fromMicros) / 1000.0;
      }
    }
    return Double.NaN;
  }

  private String report(BridgeTrace trace, String mac, Group group, List<Start> starts) {
    Map<Way, List<Double>> firsts = new EnumMap<>(Way.class);
    Map<Way, List<Double>> libraries = new EnumMap<>(Way.class);
    for (Way way : Way.values()) {
      firsts.put(way, new ArrayList<>());
      libraries.put(way, new ArrayList<>());
    }
    for (Start s : starts) {
      double first =
          firstAdvertMs(trace.advertsOf(group.vrid()), mac, s.fromMicros(), s.toMicros());
      if (!Double.isNaN(first)) {
        firsts.get(s.way()).add(first);
      }
      if (!Double.isNaN(s.libraryMs())) {
        libraries.get(s.way()).add(s.libraryMs());
      }
    }
    out.printf(
        Locale.ROOT,
        "%nstartup, %d run(s), exec to the first advert of a priority-255 owner (ms)%n",
        runs);
    out.printf(
        Locale.ROOT,
        "%-15s %7s %8s %8s %8s   %s%n",
        "",
        "samples",
        "min",
        "p50",
        "max",
        "every run");
    StringBuilder json = new StringBuilder("{\"bench\":\"startup\",\"runs\":" + runs);
    for (Way way : Way.values()) {
      List<Double> f = firsts.get(way);
      out.printf(
          Locale.ROOT,
          "%-15s %7d %8.1f %8.1f %8.1f   %s%n",
          way.label,
          f.size(),
          Stats.percentile(f, 0.0001),
          Stats.percentile(f, 50),
          Stats.max(f),
          list(f));
      json.append(
          String.format(
              Locale.ROOT,
              ",\"%s\":{\"first_advert_p50_ms\":%s,\"first_advert_max_ms\":%s,\"samples\":%d,"
                  + "\"first_advert_ms\":[%s]",
              way.label,
              Stats.json(Stats.percentile(f, 50)),
              Stats.json(Stats.max(f)),
              f.size(),
              list(f)));
      List<Double> lib = libraries.get(way);
      if (!lib.isEmpty()) {
        out.printf(
            Locale.ROOT,
            "%-15s %7d %8.1f %8.1f %8.1f   %s   (the library's start inside the JVM)%n",
            "  library",
            lib.size(),
            Stats.percentile(lib, 0.0001),
            Stats.percentile(lib, 50),
            Stats.max(lib),
            list(lib));
        json.append(
            String.format(
                Locale.ROOT,
                ",\"library_start_p50_ms\":%s,\"library_start_ms\":[%s]",
                Stats.json(Stats.percentile(lib, 50)),
                list(lib)));
      }
      json.append('}');
    }
    out.println(
        "exec: just before `ip netns exec` starts it (the same few ms for all); first advert: from"
            + " the bridge capture; library: NetlinkPlatform.open, the build and VrrpRouter.start"
            + " (rehearsal included), timed inside the JVM.");
    return json.append('}').toString();
  }

  private static String list(List<Double> values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
    }
    return s.toString();
  }
}
