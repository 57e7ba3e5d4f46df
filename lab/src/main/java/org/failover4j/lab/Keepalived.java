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

  private Keepalived(LabProcess process, Path vrrpPidFile) {
    this.process = process;
    this.vrrpPidFile = vrrpPidFile;
  }

  /** Writes {@code config} into the lab and starts keepalived with it inside {@code host}. */
  public static Keepalived start(Host host, KeepalivedConfig config) {
    Path conf = host.lab().file(host.name() + "-keepalived.conf");
    try {
      Files.writeString(conf, config.render());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(host, conf);
  }

  /**
   * Starts keepalived inside {@code host} with the configuration file {@code conf} as it is, and
   * {@code options} added to its command line (such as {@code --config-id ID}).
   */
  public static Keepalived start(Host host, Path conf, String... options) {
    String base = host.name() + "-keepalived";
    Path pid = host.lab().file(base + ".pid");
    Path vrrpPid = host.lab().file(base + "-vrrp.pid");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "keepalived",
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
    command.addAll(List.of(options));
    LabProcess process = host.start("keepalived", command);
    Keepalived keepalived = new Keepalived(process, vrrpPid);
    keepalived.vrrpPid();
    return keepalived;
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
              + "|icast packet but received|ip address associated with VRID");

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
