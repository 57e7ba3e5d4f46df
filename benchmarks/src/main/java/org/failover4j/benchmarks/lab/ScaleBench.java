package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code lab-bench scale}: N groups on one master host and one backup host, failover4j and then
 * keepalived; after a warm-up, the CPU and resident memory of each router process over a window,
 * the adverts the capture misses, the backup's kernel drops and any transition in the window.
 */
final class ScaleBench {

  /** What one implementation did in its window. */
  record Window(
      double masterCpuPct,
      double backupCpuPct,
      double masterRssMb,
      double backupRssMb,
      long missed,
      long late,
      long spurious,
      long kernelDrops,
      long adverts) {}

  private final int instances;
  private final Duration interval;
  private final Duration window;
  private final Duration warmUp;
  private final boolean ipv6;
  private final boolean virtualMacs;
  private final List<Implementation> implementations;
  private final PrintStream out;

  ScaleBench(
      int instances,
      Duration interval,
      Duration window,
      Duration warmUp,
      boolean ipv6,
      boolean virtualMacs,
      List<Implementation> implementations,
      PrintStream out) {
    this.instances = instances;
    this.interval = interval;
    this.window = window;
    this.warmUp = warmUp;
    this.ipv6 = ipv6;
    this.virtualMacs = virtualMacs;
    this.implementations = List.copyOf(implementations);
    this.out = out;
  }

  String run() throws IOException {
    List<Group> groups = Group.plan(instances, ipv6, virtualMacs);
    List<Window> windows = new ArrayList<>();
    try (BenchLab bench = new BenchLab("lab-bench-scale", groups)) {
      for (Implementation impl : implementations) {
        out.printf(Locale.ROOT, "%s: starting %d groups%n", impl.label(), instances);
        Implementation.Router master =
            impl.start(bench.master, groups, BenchLab.MASTER_PRIORITY, interval);
        Implementation.Router backup =
            impl.start(bench.backup, groups, BenchLab.BACKUP_PRIORITY, interval);
        try {
          bench.awaitSettled(Duration.ofSeconds(60 + instances / 10));
          bench.startObserving("scale-" + impl.label());
          BenchLab.sleep(warmUp);
          long dropsBefore = bench.backupRawDrops();
          long masterBefore = ProcFs.cpuTicks(master.pid());
          long backupBefore = ProcFs.cpuTicks(backup.pid());
          long from = FailoverBench.nowMicros();
          long started = System.nanoTime();
          BenchLab.sleep(window);
          long masterAfter = ProcFs.cpuTicks(master.pid());
          long backupAfter = ProcFs.cpuTicks(backup.pid());
          double seconds = (System.nanoTime() - started) / 1e9;
          long to = FailoverBench.nowMicros();
          long drops = bench.backupRawDrops() - dropsBefore;
          double masterRss = ProcFs.rssKib(master.pid()) / 1024.0;
          double backupRss = ProcFs.rssKib(backup.pid()) / 1024.0;
          List<BridgeTrace> traces = bench.stopObserving();
          long[] counts = advertCounts(bench, traces, from, to);
          Window w =
              new Window(
                  100.0 * (masterAfter - masterBefore) / ProcFs.TICKS_PER_SECOND / seconds,
                  100.0 * (backupAfter - backupBefore) / ProcFs.TICKS_PER_SECOND / seconds,
                  masterRss,
                  backupRss,
                  counts[0],
                  counts[1],
                  counts[2],
                  drops,
                  counts[3]);
          windows.add(w);
          out.printf(Locale.ROOT, "%s: %s%n", impl.label(), w);
        } finally {
          master.stop();
          backup.stop();
          bench.clearVips();
        }
      }
    }
    return print(windows);
  }

  /**
   * Missed adverts, late adverts, spurious transitions and adverts seen in {@code [from, to]}: a
   * gap of two intervals or more between two adverts of one group's master misses the whole
   * intervals in it, one of more than 1.5 intervals is late; any advert from the backup starts a
   * spurious transition (counted once per run of them).
   */
  long[] advertCounts(BenchLab bench, List<BridgeTrace> traces, long from, long to) {
    long intervalMicros = interval.toNanos() / 1000;
    long missed = 0;
    long late = 0;
    long spurious = 0;
    long seen = 0;
    for (Group g : bench.groups) {
      Senders senders = Senders.of(bench, g);
      long previous = -1;
      boolean backupSpeaking = false;
      for (BridgeTrace.Advert a : traces.get(g.lan()).advertsOf(g.vrid())) {
        if (a.micros() < from || a.micros() > to) {
          continue;
        }
        if (senders.isMaster(a)) {
          seen++;
          long gap = previous < 0 ? 0 : a.micros() - previous;
          if (gap > intervalMicros * 3 / 2) {
            late++;
          }
          if (gap >= 2 * intervalMicros) {
            missed += gap / intervalMicros - 1;
          }
          previous = a.micros();
          backupSpeaking = false;
        } else if (senders.isBackup(a) && !backupSpeaking) {
          spurious++;
          backupSpeaking = true;
        }
      }
      if (previous < 0) {
        missed += (to - from) / intervalMicros;
      }
    }
    return new long[] {missed, late, spurious, seen};
  }

  private String print(List<Window> windows) {
    out.printf(
        Locale.ROOT,
        "%nscale, %d group(s), %s%s, VRRPv3 every %d ms, %d s window after %d s warm-up%n",
        instances,
        ipv6 ? "IPv6" : "IPv4",
        virtualMacs ? " on virtual MACs" : "",
        interval.toMillis(),
        window.toSeconds(),
        warmUp.toSeconds());
    out.printf(
        Locale.ROOT,
        "%-11s %10s %10s %9s %9s %9s %8s %8s %9s %10s%n",
        "",
        "CPU master",
        "CPU backup",
        "RSS mast",
        "RSS back",
        "adverts",
        "missed",
        "late",
        "spurious",
        "kern drops");
    StringBuilder json = new StringBuilder();
    json.append(
        String.format(
            Locale.ROOT,
            "{\"bench\":\"scale\",\"instances\":%d,\"interval_ms\":%d,\"family\":\"%s\","
                + "\"vmac\":%b,\"seconds\":%d",
            instances,
            interval.toMillis(),
            ipv6 ? "ipv6" : "ipv4",
            virtualMacs,
            window.toSeconds()));
    for (int i = 0; i < windows.size(); i++) {
      Window w = windows.get(i);
      out.printf(
          Locale.ROOT,
          "%-11s %9.2f%% %9.2f%% %6.1f MB %6.1f MB %9d %8d %8d %9d %10d%n",
          implementations.get(i).label(),
          w.masterCpuPct(),
          w.backupCpuPct(),
          w.masterRssMb(),
          w.backupRssMb(),
          w.adverts(),
          w.missed(),
          w.late(),
          w.spurious(),
          w.kernelDrops());
      json.append(
          String.format(
              Locale.ROOT,
              ",\"%s\":{\"master_cpu_pct\":%s,\"backup_cpu_pct\":%s,\"rss_mb\":%s,"
                  + "\"backup_rss_mb\":%s,\"missed\":%d,\"late\":%d,\"spurious\":%d,"
                  + "\"kernel_drops\":%d,"
                  + "\"adverts\":%d}",
              implementations.get(i).label(),
              Stats.json(w.masterCpuPct()),
              Stats.json(w.backupCpuPct()),
              Stats.json(w.masterRssMb()),
              Stats.json(w.backupRssMb()),
              w.missed(),
              w.late(),
              w.spurious(),
              w.kernelDrops(),
              w.adverts()));
    }
    out.println(
        "CPU: utime+stime of the router process (keepalived: its VRRP child) over the window, in %"
            + " of one core; RSS: VmRSS at the end; missed: master adverts absent from the bridge"
            + " capture (late: a gap over 1.5 intervals); kern drops: /proc/net/raw{,6} drops in the backup's namespace.");
    return json.append('}').toString();
  }
}
