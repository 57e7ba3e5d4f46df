package org.failover4j.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

/**
 * keepalived running in a lab host, VRRP subsystem only, in the foreground, logging to the lab
 * process log. Its pid files live in the lab directory so that several keepalived processes on one
 * machine never meet.
 */
public final class Keepalived implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final LabProcess process;
  private final Path vrrpPidFile;
  private final Path configFile;

  private Keepalived(LabProcess process, Path vrrpPidFile, Path configFile) {
    this.process = process;
    this.vrrpPidFile = vrrpPidFile;
    this.configFile = configFile;
  }

  /** Writes {@code config} into the lab and starts keepalived with it inside {@code host}. */
  public static Keepalived start(Host host, KeepalivedConfig config) {
    return start(host, config, "keepalived");
  }

  /**
   * As {@link #start(Host, KeepalivedConfig)} with another keepalived binary, such as one built
   * from source for a version Debian does not package.
   *
   * @param host the lab host to run in
   * @param config the configuration to write and start with
   * @param binary the keepalived executable (a path, or a name on the PATH)
   * @return the running keepalived
   */
  public static Keepalived start(Host host, KeepalivedConfig config, String binary) {
    Path conf = host.lab().file(host.name() + "-keepalived.conf");
    writeConfig(conf, config);
    return start(host, conf, binary, List.of());
  }

  /**
   * Starts keepalived inside {@code host} with the configuration file {@code conf} as it is, and
   * {@code options} added to its command line (such as {@code --config-id ID}).
   */
  public static Keepalived start(Host host, Path conf, String... options) {
    return start(host, conf, "keepalived", List.of(options));
  }

  private static Keepalived start(Host host, Path conf, String binary, List<String> options) {
    String base = host.name() + "-keepalived";
    Path pid = host.lab().file(base + ".pid");
    Path vrrpPid = host.lab().file(base + "-vrrp.pid");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                binary,
                "--dont-fork",
                "--log-console",
                "--log-detail",
                "--no-syslog",
                "--vrrp",
                "--dont-respawn",
                "--use-file",
                conf.toString(),
                "--pid",
                pid.toString(),
                "--vrrp_pid",
                vrrpPid.toString()));
    command.addAll(options);
    LabProcess process = host.start("keepalived", command);
    Keepalived keepalived = new Keepalived(process, vrrpPid, conf);
    keepalived.vrrpPid();
    return keepalived;
  }

  private static void writeConfig(Path conf, KeepalivedConfig config) {
    try {
      Files.writeString(conf, config.render());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites the configuration and reloads it (SIGHUP), as an operator does: instances keep their
   * state. Waits until keepalived has logged the reload.
   *
   * @param config the new configuration
   */
  public void reload(KeepalivedConfig config) {
    int before = count("Reloading");
    writeConfig(configFile, config);
    process.signal("HUP");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (count("Reloading") == before) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        throw new LabException("keepalived did not reload:\n" + process.tail());
      }
      LabProcess.sleep(Duration.ofMillis(20));
    }
  }

  /** How many log lines contain {@code text}. */
  public int count(String text) {
    int n = 0;
    for (String line : log().split("\n")) {
      if (line.contains(text)) {
        n++;
      }
    }
    return n;
  }

  /** The process the lab started (the keepalived parent). */
  public LabProcess process() {
    return process;
  }

  /** The pid of the VRRP child, the process that sends adverts and moves addresses. */
  public long vrrpPid() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        if (Files.exists(vrrpPidFile)) {
          String text = Files.readString(vrrpPidFile).strip();
          if (!text.isEmpty()) {
            return Long.parseLong(text);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        throw new LabException("keepalived's VRRP child did not start:\n" + process.tail());
      }
      LabProcess.sleep(Duration.ofMillis(20));
    }
  }

  /** Waits until {@code instance} logs that it entered {@code state} (MASTER, BACKUP, FAULT). */
  public Matcher awaitState(String instance, String state, Duration timeout) {
    return process.awaitOutput(
        "\\(" + java.util.regex.Pattern.quote(instance) + "\\) Entering " + state + " STATE",
        timeout);
  }

  /** How many times {@code instance} has logged entering {@code state}. */
  public int countState(String instance, String state) {
    Matcher m =
        java.util.regex.Pattern.compile(
                "\\("
                    + java.util.regex.Pattern.quote(instance)
                    + "\\) Entering "
                    + state
                    + " STATE")
            .matcher(process.output());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /**
   * The log lines in which keepalived rejected a VRRP packet (authentication, checksum, TTL,
   * version, length, type, addresses, interval, unicast/multicast): empty means it accepted every
   * packet it received.
   */
  public List<String> rejections() {
    List<String> found = new java.util.ArrayList<>();
    for (String line : log().split("\n")) {
      if (isRejection(line)) {
        found.add(line);
      }
    }
    return found;
  }

  /** True for a keepalived log line that reports a rejected packet. */
  static boolean isRejection(String line) {
    return REJECTION.matcher(line).find();
  }

  private static final java.util.regex.Pattern REJECTION =
      java.util.regex.Pattern.compile(
          "IPSEC-AH : invalid|invalid IPSEC SPI|already processed|Invalid auth type"
              + "|auth, expecting|invalid passwd|AH header but|No AH header|Invalid VRRPv[23] checksum"
              + "|invalid TTL/HL|wrong version|vrrp packet too|Invalid packet type"
              + "|unexpected ip number count|expected \\d+ VIPs|advertisement interval mismatch"
              + "|icast packet but received|ip address associated with VRID"
              // keepalived 2.4's auth_hmac
              + "|authentication trailer|authentication key id|authentication HMAC");

  /** Freezes the VRRP child with SIGSTOP: it stops advertising, as a hung router would. */
  public void freeze() {
    Lab.signal(vrrpPid(), "STOP");
  }

  /** Resumes a frozen VRRP child with SIGCONT. */
  public void thaw() {
    Lab.signal(vrrpPid(), "CONT");
  }

  /** Everything keepalived has logged. */
  public String log() {
    return process.output();
  }

  /** Stops keepalived gracefully (SIGTERM: it sends priority 0 and removes its addresses). */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(5));
  }
}
