package org.failover4j.benchmarks.lab;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code benchmarks/lab-bench}: the failover and scale benches of issue 13. Needs root, keepalived
 * and tshark. Prints a readable table and, on its last line, one JSON object.
 */
public final class LabBench {

  static final String USAGE =
      """
      usage: lab-bench failover [--runs 20] [--instances 1] [--interval 100ms] [--cold|--warm]
                                [--warmups 1] [--ipv4|--ipv6] [--vmac]
                                [--only failover4j|keepalived]
             lab-bench scale [--instances 1000] [--interval 100ms] [--seconds 60]
                             [--warmup-seconds 10] [--ipv4|--ipv6] [--vmac]
                             [--only failover4j|keepalived]
             lab-bench startup [--runs 10]
      --vmac: every group on a macvlan of its own with the virtual MAC (use_vmac vr<lan>.<vrid>)
      --only: one implementation, to compare two builds of it
      """;

  private LabBench() {}

  /** The 1, 5 and 15 minute load averages from /proc/loadavg. */
  static String loadAverage() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Runs one bench; exits 2 on a usage error, 1 when the bench fails. */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    String started =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String loadBefore = loadAverage();
    String json;
    try {
      Options o = Options.parse(List.of(args));
      json =
          switch (o.command()) {
            case "failover" ->
                new FailoverBench(
                        o.intValue("--runs", 20),
                        o.intValue("--instances", 1),
                        o.duration("--interval", "100ms"),
                        !o.has("--warm"),
                        o.has("--ipv6")
                            || (!o.has("--ipv4")
                                && o.intValue("--instances", 1) > 2 * Group.PER_LAN),
                        o.intValue("--warmups", 1),
                        o.has("--vmac"),
                        Implementation.only(o.value("--only", "")),
                        out)
                    .run();
            case "scale" ->
                new ScaleBench(
                        o.intValue("--instances", 1000),
                        o.duration("--interval", "100ms"),
                        Duration.ofSeconds(o.intValue("--seconds", 60)),
                        Duration.ofSeconds(o.intValue("--warmup-seconds", 10)),
                        !o.has("--ipv4"),
                        o.has("--vmac"),
                        Implementation.only(o.value("--only", "")),
                        out)
                    .run();
            case "startup" ->
                new StartupBench(
                        o.intValue("--runs", 10),
                        System.getProperty("failover4j.launcher", "./failover4j"),
                        out)
                    .run();
            default -> throw new IllegalArgumentException("unknown bench " + o.command());
          };
    } catch (IllegalArgumentException e) {
      System.err.println("lab-bench: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    // When and under what load: the machine is often shared, and CPU figures depend on it.
    out.printf(
        "started %s, load average %s at the start, %s at the end%n",
        started, loadBefore, loadAverage());
    out.println(
        "{\"started\":\""
            + started
            + "\",\"loadavg_start\":\""
            + loadBefore
            + "\",\"loadavg_end\":\""
            + loadAverage()
            + "\","
            + json.substring(1));
    out.flush();
    // The lab's shutdown hook deletes anything left.
    System.exit(0);
  }
}
