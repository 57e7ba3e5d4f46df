package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the bench reads from {@code /proc}: a process's CPU time and resident memory, raw-socket
 * drops.
 */
public final class ProcFs {

  /**
   * USER_HZ: the unit of utime and stime in {@code /proc/PID/stat} on every Linux port we run on.
   */
  static final int TICKS_PER_SECOND = 100;

  private ProcFs() {}

  /** utime + stime of {@code pid}, in clock ticks. */
  public static long cpuTicks(long pid) throws IOException {
    return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /** utime + stime from the text of a {@code /proc/PID/stat} file (fields 14 and 15). */
  static long cpuTicks(String stat) {
    // The command name (field 2) may hold spaces and parentheses: count from its last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split("\\s+");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** VmRSS of {@code pid}, in KiB. */
  public static long rssKib(long pid) throws IOException {
    return rssKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
  }

  /** VmRSS from the text of a {@code /proc/PID/status} file, in KiB; -1 if absent. */
  static long rssKib(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /**
   * The sum of the {@code drops} column of a {@code /proc/net/raw} or {@code raw6} table: packets
   * the kernel dropped because a raw socket's receive buffer was full.
   */
  static long rawDrops(String table) {
    long drops = 0;
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty()) {
        String[] f = line.split("\\s+");
        drops += Long.parseLong(f[f.length - 1]);
      }
    }
    return drops;
  }
}
