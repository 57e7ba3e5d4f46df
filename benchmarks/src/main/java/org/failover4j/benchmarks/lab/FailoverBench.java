package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lab-bench failover}: a failover4j pair and a keepalived pair, alternating run by run on
 * the same lab; in each run the master is frozen with SIGSTOP and the backup takes over every
 * group. Cold runs start both routers afresh; warm runs reuse them, thawing the master so it
 * preempts back between runs.
 */
final class FailoverBench {

  /** Per-run record: who, and the window in which its takeover happened. */
  private record Run(Implementation impl, long fromMicros, long toMicros, boolean counted) {}

  /** Counted runs per warm pair before both are started afresh. */
  private static final int WARM_BLOCK = 5;

  private final int runs;
  private final int instances;
  private final Duration interval;
  private final boolean cold;
  private final boolean ipv6;
  private final int warmups;
  private final boolean virtualMacs;
  private final List<Implementation> implementations;
  private final PrintStream out;

  FailoverBench(
      int runs,
      int instances,
      Duration interval,
      boolean cold,
      boolean ipv6,
      int warmups,
      boolean virtualMacs,
      List<Implementation> implementations,
      PrintStream out) {
    this.runs = runs;
    this.instances = instances;
    this.interval = interval;
    this.cold = cold;
    this.ipv6 = ipv6;
    this.warmups = warmups;
    this.virtualMacs = virtualMacs;
    this.implementations = List.copyOf(implementations);
    this.out = out;
  }

  /** RFC 5798 Master_Down_Interval of the backup: 3 intervals plus its skew time. */
  double protocolMinMs() {
    double ms = interval.toNanos() / 1e6;
    return 3 * ms + (256 - BenchLab.BACKUP_PRIORITY) * ms / 256;
  }

  String run() throws IOException {
    List<Group> groups = Group.plan(instances, ipv6, virtualMacs);
    Duration settleTimeout = Duration.ofSeconds(30 + instances / 20);
    List<Run> done = new ArrayList<>();
    try (BenchLab bench = new BenchLab("lab-bench-failover", groups)) {
      bench.startObserving("failover");
      int counted = 0;
      int label = 0;
      while (counted < runs) {
        // Warm pairs live for a block of runs: the two implementations still alternate over
        // time, so that background load hits both alike, but never run on the LAN together.
        int block = cold ? 1 : Math.min(WARM_BLOCK, runs - counted);
        for (Implementation impl : implementations) {
          Implementation.Router[] pair = {
            impl.start(bench.master, groups, BenchLab.MASTER_PRIORITY, interval),
            impl.start(bench.backup, groups, BenchLab.BACKUP_PRIORITY, interval)
          };
          try {
            int total = cold ? 1 : warmups + block;
            for (int i = 0; i < total; i++) {
              boolean counts = cold || i >= warmups;
              done.add(takeover(bench, impl, pair, settleTimeout, counts, label + i + 1));
              if (i < total - 1) {
                // The master, thawed, still thinks it is master and preempts back at once.
                pair[0].thaw();
              }
            }
          } finally {
            pair[0].kill();
            pair[1].stop();
            bench.clearVips();
          }
        }
        counted += block;
        label += cold ? 1 : warmups + block;
      }
      return report(bench, bench.stopObserving(), bench.backupChanges(), done);
    }
  }

  private Run takeover(
      BenchLab bench,
      Implementation impl,
      Implementation.Router[] pair,
      Duration settleTimeout,
      boolean counts,
      int number) {
    bench.awaitSettled(settleTimeout);
    // The backup has been receiving adverts for a while, as in production.
    BenchLab.sleep(Duration.ofSeconds(2));
    long from = nowMicros();
    pair[0].freeze();
    awaitTakeover(bench, from);
    // Let the new master send a few adverts and its announcements.
    BenchLab.sleep(interval.multipliedBy(5));
    long to = nowMicros();
    out.printf(
        Locale.ROOT,
        "run %d %s: %d addresses moved%s%n",
        number,
        impl.label(),
        bench.vipCount(),
        counts ? "" : " (warm-up, not counted)");
    return new Run(impl, from, to, counts);
  }

  private void awaitTakeover(BenchLab bench, long fromMicros) {
    // Nothing to poll before the protocol lets the backup act: polling costs CPU the routers need.
    BenchLab.sleep(Duration.ofMillis((long) protocolMinMs()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20 + instances / 50).toNanos();
    while (bench.vipsAddedSince(bench.backupChanges(), fromMicros) < bench.vipCount()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "the backup did not take every address over (logs in " + bench.lab.dir() + ")");
      }
      BenchLab.sleep(Duration.ofMillis(20));
    }
  }

  private String report(
      BenchLab bench, List<BridgeTrace> traces, List<AddressLog.Change> changes, List<Run> done) {
    Map<String, List<AddressLog.Change>> changesOf = new HashMap<>();
    for (AddressLog.Change c : changes) {
      changesOf.computeIfAbsent(c.address(), a -> new ArrayList<>()).add(c);
    }
    Map<Implementation, Result> results = new EnumMap<>(Implementation.class);
    for (Implementation impl : implementations) {
      results.put(impl, new Result());
    }
    for (Run run : done) {
      if (!run.counted()) {
        continue;
      }
      Result result = results.get(run.impl());
      long firstVip = Long.MAX_VALUE;
      long lastVip = Long.MIN_VALUE;
      for (Group g : bench.groups) {
        BridgeTrace trace = traces.get(g.lan());
        String address = BridgeTrace.normalize(g.address());
        Takeover t =
            Takeover.find(
                trace.advertsOf(g.vrid()),
                trace.announcementsOf(address),
                changesOf.getOrDefault(address, List.of()),
                Senders.of(bench, g),
                run.fromMicros(),
                run.toMicros());
        if (t == null) {
          result.missing++;
          continue;
        }
        result.gaps.add(t.gapMs());
        if (!Double.isNaN(t.vipMs())) {
          result.vips.add(t.vipMs());
          result.vipsAfterAdvert.add(t.vipMs() - t.gapMs());
          firstVip = Math.min(firstVip, t.vipAtMicros());
          lastVip = Math.max(lastVip, t.vipAtMicros());
        }
        if (!Double.isNaN(t.announceMs())) {
          result.announcements.add(t.announceMs());
        }
      }
      if (firstVip <= lastVip) {
        result.spreads.add((lastVip - firstVip) / 1000.0);
      }
    }
    return print(results);
  }

  private String print(Map<Implementation, Result> results) {
    double min = protocolMinMs();
    out.printf(
        Locale.ROOT,
        "%nfailover, %s, %d run(s) of %d group(s), %s%s, VRRPv3 every %d ms;"
            + " Master_Down_Interval %.2f ms%n",
        cold ? "cold" : "warm (" + warmups + " warm-up runs dropped)",
        runs,
        instances,
        ipv6 ? "IPv6" : "IPv4",
        virtualMacs ? " on virtual MACs" : "",
        interval.toMillis(),
        min);
    out.printf(
        Locale.ROOT,
        "%-11s %8s %9s %9s %9s %9s %9s %9s %9s %8s%n",
        "",
        "samples",
        "gap p50",
        "gap p99",
        "over p50",
        "over p99",
        "over max",
        "VIP p50",
        "GARP p50",
        "spread");
    StringBuilder json = new StringBuilder();
    json.append(
        String.format(
            Locale.ROOT,
            "{\"bench\":\"failover\",\"runs\":%d,\"instances\":%d,\"interval_ms\":%d,"
                + "\"mode\":\"%s\",\"family\":\"%s\",\"vmac\":%b,\"protocol_min_ms\":%s",
            runs,
            instances,
            interval.toMillis(),
            cold ? "cold" : "warm",
            ipv6 ? "ipv6" : "ipv4",
            virtualMacs,
            Stats.json(min)));
    for (Map.Entry<Implementation, Result> e : results.entrySet()) {
      Result r = e.getValue();
      double p50 = Stats.percentile(r.gaps, 50);
      double p99 = Stats.percentile(r.gaps, 99);
      double max = Stats.max(r.gaps);
      double vip50 = Stats.percentile(r.vips, 50);
      double vip99 = Stats.percentile(r.vips, 99);
      double garp50 = Stats.percentile(r.announcements, 50);
      double spread = Stats.max(r.spreads);
      out.printf(
          Locale.ROOT,
          "%-11s %8d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %8.2f%s%n",
          e.getKey().label(),
          r.gaps.size(),
          p50,
          p99,
          p50 - min,
          p99 - min,
          max - min,
          vip50,
          garp50,
          spread,
          r.missing > 0 ? "  (" + r.missing + " takeovers not seen)" : "");
      json.append(
          String.format(
              Locale.ROOT,
              ",\"%s\":{\"p50_ms\":%s,\"p99_ms\":%s,\"max_ms\":%s,\"overhead_p50_ms\":%s,"
                  + "\"overhead_p99_ms\":%s,\"vip_p50_ms\":%s,\"vip_p99_ms\":%s,"
                  + "\"garp_p50_ms\":%s,\"vip_spread_max_ms\":%s,\"samples\":%d,\"unseen\":%d,"
                  + "\"vip_after_advert_p50_ms\":%s,\"vip_after_advert_p99_ms\":%s}",
              e.getKey().label(),
              Stats.json(p50),
              Stats.json(p99),
              Stats.json(max),
              Stats.json(p50 - min),
              Stats.json(p99 - min),
              Stats.json(vip50),
              Stats.json(vip99),
              Stats.json(garp50),
              Stats.json(spread),
              r.gaps.size(),
              r.missing,
              Stats.json(Stats.percentile(r.vipsAfterAdvert, 50)),
              Stats.json(Stats.percentile(r.vipsAfterAdvert, 99))));
    }
    for (Map.Entry<Implementation, Result> e : results.entrySet()) {
      List<Double> after = e.getValue().vipsAfterAdvert;
      out.printf(
          Locale.ROOT,
          "%-11s address after the new master's first advert: p50 %.2f ms, p99 %.2f ms, max %.2f"
              + " ms%n",
          e.getKey().label(),
          Stats.percentile(after, 50),
          Stats.percentile(after, 99),
          Stats.max(after));
    }
    out.println(
        "gap: new master's first advert minus old master's last (bridge capture); over: gap minus"
            + " Master_Down_Interval; VIP/GARP: address on the new master / first announcement,"
            + " from the same last advert; spread: last minus first address of one run.");
    return json.append('}').toString();
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return BridgeTrace.micros(now);
  }

  private static final class Result {
    final List<Double> gaps = new ArrayList<>();
    final List<Double> vips = new ArrayList<>();

    /** The address on the new master minus that master's first advert (cold target: 1 ms). */
    final List<Double> vipsAfterAdvert = new ArrayList<>();

    final List<Double> announcements = new ArrayList<>();
    final List<Double> spreads = new ArrayList<>();
    int missing;
  }
}
