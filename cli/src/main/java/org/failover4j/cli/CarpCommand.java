package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.micrometer.CarpHostMetrics;
import org.failover4j.netlink.platform.NetlinkPlatform;

/**
 * {@code failover4j carp}: runs one CARP virtual host on a real interface until SIGTERM or SIGINT,
 * then leaves gracefully (advbase = advskew = 255 if master, addresses removed) and exits 0. Prints
 * its counters on SIGUSR1 and when it exits, as {@code failover4j vrrp} does.
 */
final class CarpCommand implements Subcommand {

  private static final Set<String> VALUED =
      Set.of(
          "--interface",
          "--vhid",
          "--pass",
          "--pass-file",
          "--vip",
          "--advbase",
          "--advskew",
          "--max-counter-age",
          "--mode",
          "--peer",
          MetricsEndpoint.FLAG);

  private static final Set<String> SWITCHES = Set.of("--preempt", "--json", "--vmac");

  @Override
  public String name() {
    return "carp";
  }

  @Override
  public String summary() {
    return "run one CARP virtual host on an interface (needs root)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j carp --interface IF --vhid N --pass-file PATH --vip ADDR [--vip ADDR]...
                               [options]

        Runs one CARP virtual host (OpenBSD carp(4), ucarp 1.5.2) on a real interface (needs
        CAP_NET_ADMIN and CAP_NET_RAW) until SIGTERM or SIGINT, then leaves gracefully:
        advbase = advskew = 255 if master, so a backup takes over at once; addresses removed.

          --interface IF        the interface to run on (required)
          --vhid N              virtual host id, 1..255 (required)
          --vip ADDR[/LEN]      a virtual address such as 192.0.2.100/24 (required, repeatable;
                                IPv4 and IPv6 may be mixed, one advert per family as OpenBSD;
                                without /LEN a host address)
          --pass-file PATH      the passphrase: the carp:VHID=SECRET line for --vhid in PATH (one
                                such line each, # comments allowed; a decode key line
                                carp:VHID=SECRET@ADDR[,ADDR] works too, its addresses must be the
                                --vip addresses); only its owner may have access (chmod 600)
          --pass P              the passphrase on the command line: every user sees it in ps
          --advbase S           advertisement base in seconds, 1..255 (default 1)
          --advskew K           skew in 1/256 s, 0..254 (default 0); higher is less preferred
          --preempt             take over from a slower master
          --mode M              ucarp: ucarp 1.5.2's counters, needed with ucarp on the LAN;
                                replay-protected (default): drop replayed adverts (failover4j only)
          --max-counter-age S   replay-protected only: drop adverts whose counter is more than S
                                seconds old, 0..3600 (default 5; 0: no age check), so a recorded
                                advert replayed later cannot hold off a takeover; the hosts'
                                clocks must agree within S
          --peer IP             send adverts to this peer (of the --vip family) instead of the
                                group, and accept adverts only from the peers (repeatable;
                                OpenBSD's carppeer)
          --vmac                the master holds the addresses on a macvlan carp.VHID.IF with
                                the virtual MAC 00:00:5e:00:01:VHID (OpenBSD's; ucarp has none)
          --json                one JSON object per line: role changes and counters
        """
        + MetricsEndpoint.usage(24)
        + """

        On SIGUSR1, and once more when it exits, it prints its counters: adverts sent and
        accepted, role changes, and packets dropped per reason (with --json as one object,
        "event":"counters").
        """;
  }

  /**
   * The default maximum counter age in replay-protected mode: one recorded advert, replayed from
   * any source, holds off a takeover for at most this long.
   */
  static final int DEFAULT_MAX_COUNTER_AGE_SECONDS = 5;

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Serving.Request<CarpHostConfig> request;
    try {
      request = Serving.read(parse(args), CarpCommand::config, CarpHostConfig::iface);
    } catch (UsageException e) {
      err.println("failover4j carp: " + e.getMessage());
      return Main.EXIT_USAGE;
    }

    CountDownLatch stop = Serving.stopOnSignals();
    CarpHost host;
    try {
      host =
          CarpHost.builder().ownedPlatform(NetlinkPlatform.open()).config(request.config()).build();
    } catch (IOException e) {
      err.println("failover4j carp: " + e.getMessage());
      return 1;
    }
    try (MetricsEndpoint metrics =
        MetricsEndpoint.open(request.metrics(), () -> new CarpHostMetrics(host))) {
      return serve(host, request.json(), stop, out, err);
    } catch (IOException e) {
      err.println("failover4j carp: " + e.getMessage());
      return 1;
    } finally {
      host.close(); // and its platform
    }
  }

  /**
   * Starts {@code host} and runs it until {@code stop} opens, then closes it gracefully. Prints
   * each role change, and the counters on SIGUSR1 and once more at the end, with the drops of
   * packets no instance claimed on the host's platform.
   *
   * @return 0, or 1 when the host did not start
   */
  static int serve(
      CarpHost host, boolean json, CountDownLatch stop, PrintStream out, PrintStream err)
      throws InterruptedException {
    int vhid = host.config().vhid();
    Runnable counters =
        () -> {
          Instant now = Instant.now();
          CarpCounters c = CarpCounters.of(host, host.platform().advertDrops());
          out.println(json ? c.json(vhid, now) : c.text(vhid, now));
          out.flush();
        };
    return Serving.serve(
        "carp",
        host,
        host,
        e -> json ? RoleEventJson.json("vhid", vhid, e) : RoleEventJson.text("VHID", vhid, e),
        counters,
        stop,
        out,
        err);
  }

  /** Parses the command line: flags only. */
  static CommandLine parse(List<String> args) throws UsageException {
    CommandLine line = CommandLine.parse(args, VALUED, SWITCHES);
    line.requireNoPositional();
    return line;
  }

  /** The virtual host the command line describes. */
  static CarpHostConfig config(CommandLine line) throws UsageException {
    String iface = line.required("--interface");
    int vhid = line.intValue("--vhid", 0, 1, 255);
    if (vhid == 0) {
      throw new UsageException("--vhid is required");
    }
    List<VirtualAddress> vips = virtualAddresses(line);
    String mode = line.value("--mode", "replay-protected");
    CounterMode counterMode =
        switch (mode) {
          case "ucarp" -> CounterMode.UCARP_COMPATIBLE;
          case "replay-protected" -> CounterMode.REPLAY_PROTECTED;
          default ->
              throw new UsageException(
                  "--mode must be ucarp or replay-protected, was '" + mode + "'");
        };
    if (counterMode == CounterMode.UCARP_COMPATIBLE && line.has("--max-counter-age")) {
      throw new UsageException("--max-counter-age needs --mode replay-protected");
    }
    int maxCounterAge =
        line.intValue("--max-counter-age", DEFAULT_MAX_COUNTER_AGE_SECONDS, 0, 3600);
    int advbase = line.intValue("--advbase", 1, 1, 255);
    int advskew = line.intValue("--advskew", 0, 0, 254);
    String passFlag = passFlag(line);
    String pass = passphrase(line, passFlag, vhid, vips);
    int maxPass =
        counterMode == CounterMode.UCARP_COMPATIBLE
            ? CarpKey.UCARP_MAX_PASSPHRASE_LENGTH
            : CarpKey.MAX_PASSPHRASE_LENGTH;
    int passBytes = pass.getBytes(StandardCharsets.UTF_8).length;
    if (passBytes == 0 || passBytes > maxPass) {
      // Never the passphrase itself: only its length.
      throw new UsageException(
          passFlag
              + " must be 1.."
              + maxPass
              + " bytes"
              + (counterMode == CounterMode.UCARP_COMPATIBLE ? " with --mode ucarp" : "")
              + ", was "
              + passBytes);
    }
    CarpHostConfig.Builder b =
        CarpHostConfig.builder()
            .iface(iface)
            .vhid(vhid)
            .passphrase(pass)
            .advbase(advbase)
            .advskew(advskew)
            .preempt(line.has("--preempt"))
            .counterMode(counterMode)
            .virtualMac(line.has("--vmac"));
    if (counterMode == CounterMode.REPLAY_PROTECTED && maxCounterAge > 0) {
      b.maxCounterAge(Duration.ofSeconds(maxCounterAge));
    }
    vips.forEach(v -> b.virtualAddress(v.address(), v.prefixLength()));
    boolean v4 = vips.get(0).address() instanceof Inet4Address;
    // With both families the library refuses any peer, and says so.
    boolean mixed = vips.stream().map(v -> family(v.address())).distinct().count() > 1;
    for (String text : line.all("--peer")) {
      InetAddress peer = CommandLine.parseAddress("--peer", text);
      if (!mixed && (peer instanceof Inet4Address) != v4) {
        throw new UsageException(
            "--peer "
                + AddressText.of(peer)
                + " is "
                + family(peer)
                + ", the virtual addresses are "
                + family(vips.get(0).address()));
      }
      b.unicastPeer(peer);
    }
    try {
      return b.build();
    } catch (InvalidConfigurationException e) {
      if (e.field().equals("unicastPeer")) {
        throw new UsageException("--peer " + e.problem());
      }
      throw new UsageException("the virtual host is invalid: " + e.getMessage());
    }
  }

  /** --pass-file or --pass, exactly one. */
  private static String passFlag(CommandLine line) throws UsageException {
    if (line.has("--pass") && line.has("--pass-file")) {
      throw new UsageException("--pass-file and --pass exclude each other");
    }
    if (line.has("--pass")) {
      return "--pass";
    }
    if (line.has("--pass-file")) {
      return "--pass-file";
    }
    throw new UsageException("--pass-file (or --pass) is required");
  }

  /**
   * The passphrase from the command line, or from the file's {@code carp:VHID=} line; a decode key
   * line's {@code @ADDR[,ADDR]} must name the --vip addresses and is not part of the passphrase.
   */
  private static String passphrase(
      CommandLine line, String flag, int vhid, List<VirtualAddress> vips) throws UsageException {
    if (flag.equals("--pass")) {
      return line.required(flag);
    }
    Path path = Path.of(line.required(flag));
    DecodeKeys keys = new DecodeKeys(DecodeCommand.KEY_PROTOCOLS);
    keys.addFile(flag, path);
    byte[] secret = keys.get(CarpPrinter.PROTO, vhid);
    if (secret == null) {
      throw new UsageException(flag + " " + path + ": no line for carp:" + vhid);
    }
    String value = new String(secret, StandardCharsets.UTF_8);
    int at = value.lastIndexOf('@');
    Set<InetAddress> named = at < 0 ? null : addressList(value.substring(at + 1));
    if (named == null) {
      return value;
    }
    Set<InetAddress> given = new HashSet<>();
    vips.forEach(v -> given.add(v.address()));
    if (!named.equals(given)) {
      throw new UsageException(
          flag + " " + path + ": the line for carp:" + vhid + " names other addresses than --vip");
    }
    return value.substring(0, at);
  }

  /** {@code ADDR[,ADDR]} as IP literals, or null when it is not such a list. */
  private static Set<InetAddress> addressList(String text) {
    Set<InetAddress> addresses = new HashSet<>();
    for (String part : text.split(",", -1)) {
      try {
        addresses.add(CommandLine.parseAddress("--pass-file", part));
      } catch (UsageException e) {
        return null;
      }
    }
    return addresses;
  }

  /** Every --vip, parsed; IPv4 and IPv6 may be mixed (one advert per family, as OpenBSD). */
  private static List<VirtualAddress> virtualAddresses(CommandLine line) throws UsageException {
    List<VirtualAddress> vips = new ArrayList<>();
    for (String text : line.all("--vip")) {
      int slash = text.indexOf('/');
      InetAddress address =
          CommandLine.parseAddress("--vip", slash < 0 ? text : text.substring(0, slash));
      int bits = address instanceof Inet4Address ? 32 : 128;
      int prefix = bits;
      if (slash >= 0) {
        String length = text.substring(slash + 1);
        prefix = length.matches("\\d{1,3}") ? Integer.parseInt(length) : -1;
        if (prefix < 1 || prefix > bits) {
          throw new UsageException(
              "--vip "
                  + text
                  + ": the prefix length must be in 1.."
                  + bits
                  + ", was '"
                  + length
                  + "'");
        }
      }
      try {
        vips.add(new VirtualAddress(address, prefix));
      } catch (InvalidConfigurationException e) {
        throw new UsageException("--vip " + text + ": " + e.problem());
      }
    }
    if (vips.isEmpty()) {
      throw new UsageException("--vip is required");
    }
    return vips;
  }

  private static String family(InetAddress address) {
    return address instanceof Inet4Address ? "IPv4" : "IPv6";
  }
}
