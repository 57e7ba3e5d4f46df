package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;

/**
 * The topology every bench runs on: one master host {@code a} and one backup host {@code b}, joined
 * by one LAN per {@link Group#PER_LAN} groups, a capture on every bridge and an address monitor in
 * both hosts.
 */
final class BenchLab implements AutoCloseable {

  static final int MASTER_PRIORITY = 200;
  static final int BACKUP_PRIORITY = 100;

  private static final String CAPTURE_FILTER = "ip proto 112 or ip6 proto 112 or arp or icmp6";

  final Lab lab;
  final List<Lan> lans = new ArrayList<>();
  final Host master;
  final Host backup;
  final List<Group> groups;
  private final Set<String> vips = new HashSet<>();
  private final Map<Integer, String> masterMacs = new HashMap<>();
  private final Map<Integer, String> backupMacs = new HashMap<>();
  private final List<Capture> captures = new ArrayList<>();
  private LabProcess backupMonitor;

  BenchLab(String label, List<Group> groups) {
    this.groups = groups;
    this.lab = Lab.create(label);
    int lanCount = groups.stream().mapToInt(Group::lan).max().orElse(0) + 1;
    for (int i = 0; i < lanCount; i++) {
      lans.add(lab.lan("l" + i));
    }
    Lan[] all = lans.toArray(Lan[]::new);
    this.master = lab.host("a", all);
    this.backup = lab.host("b", all);
    for (int i = 0; i < lanCount; i++) {
      masterMacs.put(i, master.mac("eth" + i));
      backupMacs.put(i, backup.mac("eth" + i));
    }
    for (Group g : groups) {
      vips.add(BridgeTrace.normalize(g.address()));
    }
  }

  /** Starts the captures on every bridge and the backup's address monitor. */
  void startObserving(String name) {
    for (int i = 0; i < lans.size(); i++) {
      captures.add(lans.get(i).capture(name + "-l" + i, CAPTURE_FILTER));
    }
    backupMonitor = backup.start("addresses-" + name, "ip", "-ts", "monitor", "address");
  }

  /** Stops the captures and reads them, one trace per LAN. */
  List<BridgeTrace> stopObserving() throws IOException {
    List<BridgeTrace> traces = new ArrayList<>();
    for (Capture c : captures) {
      traces.add(BridgeTrace.read(c.stop()));
    }
    captures.clear();
    return traces;
  }

  /** The backup's address changes logged so far. */
  List<AddressLog.Change> backupChanges() {
    return AddressLog.parse(backupMonitor.output(), ZoneId.systemDefault());
  }

  /** How many of {@code changes} add a virtual address at or after {@code sinceMicros}. */
  int vipsAddedSince(List<AddressLog.Change> changes, long sinceMicros) {
    Set<String> seen = new HashSet<>();
    for (AddressLog.Change c : changes) {
      if (c.added() && c.micros() >= sinceMicros && vips.contains(c.address())) {
        seen.add(c.address());
      }
    }
    return seen.size();
  }

  String masterMac(int lan) {
    return masterMacs.get(lan);
  }

  String backupMac(int lan) {
    return backupMacs.get(lan);
  }

  /** How many virtual addresses {@code host} holds now. */
  int vipsOn(Host host) {
    int n = 0;
    for (String line : host.run("ip", "-o", "addr", "show").stdout().split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length > 3 && f[2].startsWith("inet")) {
        String address = f[3].substring(0, f[3].indexOf('/'));
        if (vips.contains(BridgeTrace.normalize(address))) {
          n++;
        }
      }
    }
    return n;
  }

  /** Waits until the master holds every virtual address and the backup none. */
  void awaitSettled(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (vipsOn(master) != vips.size() || vipsOn(backup) != 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "not settled within "
                + timeout
                + ": master holds "
                + vipsOn(master)
                + ", backup "
                + vipsOn(backup)
                + " of "
                + vips.size()
                + " addresses (logs in "
                + lab.dir()
                + ")");
      }
      sleep(Duration.ofMillis(100));
    }
  }

  /**
   * Removes every virtual address (with virtual MACs: every macvlan, and its addresses with it) a
   * killed router left behind in either host.
   */
  void clearVips() {
    for (Host h : List.of(master, backup)) {
      StringBuilder batch = new StringBuilder();
      for (Group g : groups) {
        if (g.virtualMac() != null) {
          batch.append("link del ").append(g.virtualMac()).append('\n');
        } else {
          batch.append("addr del ").append(g.vip()).append(" dev ").append(g.iface()).append('\n');
        }
      }
      Path file = lab.file(h.name() + "-clear.batch");
      try {
        Files.writeString(file, batch);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // -force: most addresses are not there, which is fine. A thousand macvlans take minutes.
      h.exec(java.time.Duration.ofMinutes(5), "ip", "-force", "-batch", file.toString());
    }
  }

  /** Packets the kernel dropped at the backup's raw sockets (IPv4 and IPv6) so far. */
  long backupRawDrops() {
    return ProcFs.rawDrops(backup.run("cat", "/proc/net/raw").stdout())
        + ProcFs.rawDrops(backup.run("cat", "/proc/net/raw6").stdout());
  }

  int vipCount() {
    return vips.size();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    lab.close();
  }
}
