package org.failover4j.benchmarks.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.failover4j.lab.Host;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.LabProcess;

/** The two VRRP implementations a bench compares, each started the same way inside a lab host. */
public enum Implementation {
  /** failover4j: {@link LabRouter} in a JVM started as {@code ./failover4j} starts the CLI. */
  FAILOVER4J("failover4j") {
    @Override
    Router start(Host host, List<Group> groups, int priority, Duration interval) {
      Path file = host.lab().file(host.name() + "-groups.txt");
      write(file, groups);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // The flags of the ./failover4j launcher: a small, quickly started JVM.
      command.addAll(LAUNCHER_FLAGS);
      String extra = System.getenv("LAB_BENCH_JAVA_OPTS");
      if (extra != null && !extra.isBlank()) {
        command.addAll(List.of(extra.strip().split("\\s+")));
      }
      command.addAll(
          List.of(
              "-cp",
              jar(),
              LabRouter.class.getName(),
              file.toString(),
              Integer.toString(priority),
              Long.toString(interval.toMillis())));
      LabProcess process = host.start("f4j-" + SEQUENCE.incrementAndGet(), command);
      process.awaitOutput("^started ", Duration.ofSeconds(60));
      return new Router(process.pid(), () -> process.stop(Duration.ofSeconds(10)), process);
    }
  },

  /** keepalived 2.x, VRRP child only, no syslog ({@code -G}), as the lab's Keepalived runs it. */
  KEEPALIVED("keepalived") {
    @Override
    Router start(Host host, List<Group> groups, int priority, Duration interval) {
      KeepalivedConfig config = new KeepalivedConfig(host.name());
      for (Group g : groups) {
        KeepalivedConfig.Instance instance =
            config
                .instance(g.name())
                .iface(g.iface())
                .vrid(g.vrid())
                .priority(priority)
                .advertInterval(interval)
                .version(3)
                .vip(g.vip());
        if (g.virtualMac() != null) {
          instance.useVmac(g.virtualMac());
        }
      }
      // Pid files of an earlier run would name a process that is gone.
      deleteIfExists(host.lab().file(host.name() + "-keepalived.pid"));
      deleteIfExists(host.lab().file(host.name() + "-keepalived-vrrp.pid"));
      Keepalived keepalived = Keepalived.start(host, config);
      return new Router(keepalived.vrrpPid(), keepalived::close, keepalived.process());
    }
  };

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /**
   * The JVM flags of {@code ./failover4j} (keep the two alike), but its class data sharing archive,
   * which is of the CLI's jar.
   */
  static final List<String> LAUNCHER_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-Xms16m",
          "-Xmx256m",
          "-Xmn4m",
          "-Xss256k",
          "-XX:ReservedCodeCacheSize=24m",
          "-XX:-UsePerfData");

  private final String label;

  Implementation(String label) {
    this.label = label;
  }

  /** The name in tables and JSON. */
  public String label() {
    return label;
  }

  /**
   * The implementations a bench runs: all of them for an empty {@code label}, else the one with
   * that label (to compare two builds of one side without waiting for the other).
   */
  static List<Implementation> only(String label) {
    if (label.isEmpty()) {
      return List.of(values());
    }
    for (Implementation impl : values()) {
      if (impl.label.equals(label)) {
        return List.of(impl);
      }
    }
    throw new IllegalArgumentException("--only wants failover4j or keepalived, got " + label);
  }

  /** Starts it in {@code host} with every group at {@code priority}. */
  abstract Router start(Host host, List<Group> groups, int priority, Duration interval);

  /**
   * A running implementation: {@code pid} is the process that sends adverts and moves addresses
   * (the JVM, or keepalived's VRRP child), the one the bench freezes and measures.
   */
  record Router(long pid, Runnable close, LabProcess process) {

    /** SIGSTOP: the router hangs, as the bench's failed master. */
    void freeze() {
      signal(pid, "STOP");
    }

    /** SIGCONT. */
    void thaw() {
      signal(pid, "CONT");
    }

    /** SIGKILL to the router, then the graceful stop of what is left (keepalived's parent). */
    void kill() {
      signal(pid, "KILL");
      close.run();
    }

    /** SIGTERM: leaves gracefully. */
    void stop() {
      close.run();
    }
  }

  static void signal(long pid, String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pid, e);
    }
  }

  private static void write(Path file, List<Group> groups) {
    StringBuilder text = new StringBuilder();
    groups.forEach(g -> text.append(g.line()).append('\n'));
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jar() {
    try {
      return Path.of(LabRouter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
