package org.failover4j.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away network of hosts for one test: every host is a network namespace, every LAN a bridge
 * in a separate switch namespace, joined by veth pairs. Real peers run inside the hosts.
 *
 * <p>All names start with {@code f4j-<pid>-<n>-}, so two test JVMs never collide, and a later run
 * can tell the leftovers of a killed JVM (its pid is gone) and delete them. {@link #close()} stops
 * every process the lab started and deletes every namespace, also when the test failed; a shutdown
 * hook does the same when the JVM is interrupted.
 *
 * <p>Addresses come only from the documentation prefixes: LAN 0 is 192.0.2.0/24 and 2001:db8::/64,
 * LAN 1 is 198.51.100.0/24 and 2001:db8:1::/64, further LANs are IPv6-only. Host number {@code n}
 * gets {@code .1n} on each of its LANs (192.0.2.11, 2001:db8::11, ...).
 */
public final class Lab implements AutoCloseable {

  static final String PREFIX = "f4j-";

  private static final Logger log = LoggerFactory.getLogger(Lab.class);
  private static final Pattern OUR_NAMESPACE = Pattern.compile("^f4j-(\\d+)-\\d+-\\S+");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Set<Lab> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Lab::closeAllOpen, "failover4j-lab-cleanup"));
  }

  private final String id;
  private final String switchNamespace;
  private final Path dir;
  private final List<Lan> lans = new ArrayList<>();
  private final List<Host> hosts = new ArrayList<>();
  private final List<LabProcess> processes = new ArrayList<>();
  private boolean closed;

  private Lab(String id, Path dir) {
    this.id = id;
    this.switchNamespace = id + "-sw";
    this.dir = dir;
  }

  /**
   * Creates an empty lab after deleting what crashed runs left behind. Files (configurations, logs,
   * captures) go to {@code target/lab/<label>} when run from a Maven module, else to a temporary
   * directory.
   */
  public static Lab create(String label) {
    cleanStale();
    String id = PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    Path base = Path.of("target").toFile().isDirectory() ? Path.of("target", "lab") : tmp();
    Path dir = base.toAbsolutePath().resolve(label.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + id);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Lab lab = new Lab(id, dir);
    OPEN.add(lab);
    lab.ip("netns", "add", lab.switchNamespace);
    lab.inSwitch("ip", "link", "set", "lo", "up");
    return lab;
  }

  /** Adds a LAN: a bridge in the switch namespace with the next documentation prefixes. */
  public Lan lan(String name) {
    Lan lan = new Lan(this, name, lans.size());
    String bridge = lan.bridge();
    inSwitch("ip", "link", "add", bridge, "type", "bridge", "forward_delay", "0");
    // Flood multicast to every port: VRRP and CARP adverts must reach every host.
    inSwitch("ip", "link", "set", bridge, "type", "bridge", "mcast_snooping", "0");
    inSwitch("ip", "link", "set", bridge, "up");
    lans.add(lan);
    return lan;
  }

  /**
   * Adds a host joined to {@code joined}, in that order: its interface on the first LAN is {@code
   * eth0}, on the second {@code eth1}. Duplicate address detection is off, so addresses are usable
   * at once.
   */
  public Host host(String name, Lan... joined) {
    if (!name.matches("[a-z][a-z0-9]{0,9}")) {
      throw new IllegalArgumentException("host name must be 1-10 of [a-z0-9], was " + name);
    }
    int number = hosts.size() + 1;
    Host host = new Host(this, name, id + "-" + name, number);
    ip("netns", "add", host.namespace());
    hosts.add(host);
    host.run("ip", "link", "set", "lo", "up");
    host.run(
        "sysctl",
        "-q",
        "-w",
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0");
    for (Lan lan : joined) {
      lan.attach(host);
    }
    return host;
  }

  /** The directory holding this lab's configurations, logs and captures. */
  public Path dir() {
    return dir;
  }

  /** A path for a file of this lab's. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** The hosts created so far. */
  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  /** The namespace holding the bridges. */
  public String switchNamespace() {
    return switchNamespace;
  }

  /** Starts {@code command} in the background inside namespace {@code namespace}. */
  LabProcess start(String namespace, String name, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(command);
    Path logFile = dir.resolve(name + ".log");
    try {
      Process process =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      LabProcess started = new LabProcess(name, command, process, logFile);
      synchronized (processes) {
        processes.add(started);
      }
      return started;
    } catch (IOException e) {
      throw new LabException("cannot start " + String.join(" ", full), e);
    }
  }

  ExecResult inSwitch(String... command) {
    return execIn(switchNamespace, List.of(command)).orThrow();
  }

  static ExecResult execIn(String namespace, List<String> command) {
    return execIn(namespace, command, Shell.DEFAULT_TIMEOUT);
  }

  static ExecResult execIn(String namespace, List<String> command, java.time.Duration timeout) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(command);
    return Shell.run(full, timeout);
  }

  private ExecResult ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    return Shell.run(command).orThrow();
  }

  /** Stops every process the lab started and deletes its namespaces; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<LabProcess> started;
    synchronized (processes) {
      started = new ArrayList<>(processes);
    }
    for (LabProcess p : started) {
      p.stop(Duration.ofSeconds(3));
    }
    List<String> namespaces = new ArrayList<>();
    for (Host h : hosts) {
      h.shutdownExecutor();
      namespaces.add(h.namespace());
    }
    namespaces.add(switchNamespace);
    for (String ns : namespaces) {
      deleteNamespace(ns);
    }
    OPEN.remove(this);
  }

  /**
   * Kills whatever still runs in {@code namespace} (only lab processes live there), then deletes
   * it.
   */
  private static void deleteNamespace(String namespace) {
    ExecResult pids = Shell.run(List.of("ip", "netns", "pids", namespace));
    if (pids.ok()) {
      for (String pid : pids.stdout().split("\\s+")) {
        if (!pid.isBlank()) {
          signal(Long.parseLong(pid.strip()), "KILL");
        }
      }
    }
    ExecResult result = Shell.run(List.of("ip", "netns", "delete", namespace));
    if (!result.ok() && !result.stderr().contains("No such file")) {
      log.warn("could not delete namespace {}: {}", namespace, result.stderr().strip());
    }
  }

  /** Deletes namespaces whose creating JVM no longer runs. */
  static synchronized void cleanStale() {
    ExecResult list = Shell.run(List.of("ip", "netns", "list"));
    if (!list.ok()) {
      return;
    }
    for (String line : list.stdout().split("\n")) {
      Matcher m = OUR_NAMESPACE.matcher(line.strip());
      if (!m.find()) {
        continue;
      }
      long owner = Long.parseLong(m.group(1));
      if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      String namespace = line.strip().split("\\s+")[0];
      log.info("deleting namespace {} left by a run that is gone (pid {})", namespace, owner);
      deleteNamespace(namespace);
    }
  }

  /** Sends {@code signalName} (STOP, CONT, TERM, KILL, ...) to {@code pid}. */
  static void signal(long pid, String signalName) {
    Shell.run(List.of("kill", "-" + signalName, Long.toString(pid)));
  }

  private static void closeAllOpen() {
    List<Lab> open;
    synchronized (OPEN) {
      open = new ArrayList<>(OPEN);
    }
    for (Lab lab : open) {
      try {
        lab.close();
      } catch (RuntimeException e) {
        log.warn("cleanup of {} failed", lab.id, e);
      }
    }
  }

  private static Path tmp() {
    return Path.of(System.getProperty("java.io.tmpdir"), "failover4j-lab");
  }

  @Override
  public String toString() {
    return "Lab " + id + " (" + dir + ")";
  }
}
