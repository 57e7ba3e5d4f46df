package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.micrometer.VrrpRouterMetrics;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.VrrpStatistics;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;

/**
 * {@code failover4j vrrp}: runs one VRRP instance on a real interface until SIGTERM or SIGINT, then
 * leaves gracefully (priority 0 if master, addresses removed) and exits 0. Prints its counters on
 * SIGUSR1 and when it exits.
 */
final class VrrpCommand implements Subcommand {

  private static final Set<String> VALUED =
      Set.of(
          "--interface",
          "--vrid",
          "--priority",
          "--vip",
          "--version",
          "--interval",
          "--auth-pass",
          "--auth-ah",
          "--auth-pass-file",
          "--auth-ah-file",
          "--auth-hmac-file",
          "--auth-hmac-active-key",
          "--auth-hmac-mode",
          "--auth-hmac-anti-replay",
          "--preempt-delay",
          "--unicast-peer",
          "--track-interface",
          MetricsEndpoint.FLAG);

  private static final String HMAC_FILE = "--auth-hmac-file";

  /** The ways to authenticate adverts; at most one of them. */
  private static final List<String> AUTH_FLAGS =
      List.of("--auth-pass-file", "--auth-ah-file", "--auth-pass", "--auth-ah", HMAC_FILE);

  /** The protocol of {@code auth_hmac} key lines: {@code hmac:KEYID=...}. */
  static final String HMAC_PROTO = "hmac";

  /** What --auth-hmac-file's settings are called, by the configuration's field names. */
  private static final Map<String, String> HMAC_FLAG_OF =
      Map.of(
          "hmacActiveKey", "--auth-hmac-active-key",
          "hmacMode", "--auth-hmac-mode",
          "hmacAntiReplay", "--auth-hmac-anti-replay");

  private static final Set<String> SWITCHES = Set.of("--no-preempt", "--vmac", "--json");

  /** Field names the configuration reports that are not the flag's name in camel case. */
  private static final Map<String, String> FLAG_OF =
      Map.of(
          "iface", "--interface",
          "virtualAddresses", "--vip",
          "virtualAddress", "--vip",
          "prefixLength", "--vip",
          "advertInterval", "--interval",
          "unicastPeers", "--unicast-peer",
          "unicastPeer", "--unicast-peer",
          "virtualMac", "--vmac");

  @Override
  public String name() {
    return "vrrp";
  }

  @Override
  public String summary() {
    return "run one VRRP instance on an interface (needs root)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j vrrp --interface IF --vrid N --vip CIDR [--vip CIDR]... [options]

        Runs one VRRP instance on a real interface (needs CAP_NET_ADMIN and CAP_NET_RAW) until
        SIGTERM or SIGINT, then leaves gracefully: priority 0 if master, addresses removed.

          --interface IF            the interface to run on (required)
          --vrid N                  virtual router id, 1..255 (required)
          --vip CIDR                a virtual address such as 192.0.2.100/24 (required, repeatable)
          --priority P              1..255 (default 100; 255 = address owner)
          --version 2|3             VRRP version (default 3)
          --interval D              advert interval: 100ms, 1s (default 1s; v2: whole seconds)
          --auth-pass-file PATH     VRRPv2 simple-text password: the vrrp:VRID=SECRET line for
                                    --vrid in PATH (one such line each, # comments allowed);
                                    only its owner may have access (chmod 600)
          --auth-ah-file PATH       VRRPv2 IPsec-AH key, as keepalived, from PATH as above
          --auth-pass S             the password on the command line: every user sees it in ps
          --auth-ah S               the AH key on the command line: every user sees it in ps
          --auth-hmac-file PATH     keepalived 2.4's auth_hmac (HMAC-SHA256 with anti-replay, v2
                                    and v3, IPv4 and IPv6): one hmac:KEYID=hex:HEX or
                                    hmac:KEYID=TEXT line per key, 32..64 bytes, ids 1..255;
                                    owner-only as above
          --auth-hmac-active-key N  the key id to sign with (required with several keys)
          --auth-hmac-mode M        enforce (default), permissive or receive-only: roll out with
                                    receive-only everywhere, then permissive, then enforce
          --auth-hmac-anti-replay A time (default; clocks in sync, window max(3 x interval, 5s))
                                    or monotonic
          --no-preempt              never take over from a lower-priority master
          --preempt-delay D         keepalived's preempt_delay
          --unicast-peer IP         send adverts to this peer instead of multicast (repeatable)
          --vmac                    use the virtual MAC on a macvlan vrrp.VRID
          --track-interface IF[:W]  track an interface; weight W, 0 (default) = fault when down
          --json                    one JSON object per line: role changes and counters
        """
        + MetricsEndpoint.usage(28)
        + """

        On SIGUSR1, and once more when it exits, it prints its counters: adverts sent and
        received, transitions, and packets dropped per reason (with --json as one object,
        "event":"counters").
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Serving.Request<VrrpInstanceConfig> request;
    try {
      request = Serving.read(parse(args), VrrpCommand::config, VrrpInstanceConfig::iface);
    } catch (UsageException e) {
      err.println("failover4j vrrp: " + e.getMessage());
      return Main.EXIT_USAGE;
    }

    CountDownLatch stop = Serving.stopOnSignals();
    VrrpRouter router;
    try {
      router =
          VrrpRouter.builder()
              .ownedPlatform(NetlinkPlatform.open())
              .instance(request.config())
              .build();
    } catch (IOException e) {
      err.println("failover4j vrrp: " + e.getMessage());
      return 1;
    }
    try (MetricsEndpoint metrics =
        MetricsEndpoint.open(request.metrics(), () -> new VrrpRouterMetrics(router))) {
      return serve(router, request.config().name(), request.json(), stop, out, err);
    } catch (IOException e) {
      err.println("failover4j vrrp: " + e.getMessage());
      router.close();
      return 1;
    }
  }

  /**
   * Starts {@code router} and runs its instance {@code name} until {@code stop} opens, then closes
   * it gracefully. Prints each role change, and the counters on SIGUSR1 and once more at the end.
   *
   * @return 0, or 1 when the router did not start
   */
  static int serve(
      VrrpRouter router,
      String name,
      boolean json,
      CountDownLatch stop,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    VrrpInstance instance = router.instance(name);
    int vrid = instance.config().vrid();
    Runnable counters =
        () -> {
          Instant now = Instant.now();
          VrrpStatistics statistics = instance.statistics();
          Map<AdvertDropReason, Long> unclaimed = router.statistics().drops();
          out.println(
              json
                  ? CounterReport.json(vrid, instance.role(), now, statistics, unclaimed)
                  : CounterReport.text(vrid, instance.role(), now, statistics, unclaimed));
          out.flush();
        };
    return Serving.serve(
        "vrrp",
        instance,
        router,
        e -> json ? RoleEventJson.json(vrid, e) : RoleEventJson.text(vrid, e),
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

  /** The one authentication flag given, or null; two of them are an error. */
  private static String authFlag(CommandLine line) throws UsageException {
    String found = null;
    for (String flag : AUTH_FLAGS) {
      if (line.has(flag)) {
        if (found != null) {
          throw new UsageException(found + " and " + flag + " exclude each other");
        }
        found = flag;
      }
    }
    return found;
  }

  /** The secret {@code flag} gives, from the command line or from its file's line for the VRID. */
  private static String authSecret(CommandLine line, String flag, int vrid) throws UsageException {
    if (!flag.endsWith("-file")) {
      return line.required(flag);
    }
    Path path = Path.of(line.required(flag));
    DecodeKeys keys = new DecodeKeys(DecodeCommand.KEY_PROTOCOLS);
    keys.addFile(flag, path);
    byte[] secret = keys.get(VrrpPrinter.PROTO, vrid);
    if (secret == null) {
      throw new UsageException(flag + " " + path + ": no line for vrrp:" + vrid);
    }
    return new String(secret, StandardCharsets.UTF_8);
  }

  /** The instance the command line describes. */
  static VrrpInstanceConfig config(CommandLine line) throws UsageException {
    String iface = line.required("--interface");
    int vrid = line.intValue("--vrid", 0, 1, 255);
    if (vrid == 0) {
      throw new UsageException("--vrid is required");
    }
    List<VirtualAddress> vips = virtualAddresses(line);
    String authFlag = authFlag(line);
    VrrpInstanceConfig.Builder b =
        VrrpInstanceConfig.builder("vrrp-" + vrid)
            .iface(iface)
            .vrid(vrid)
            .priority(line.intValue("--priority", 100, 1, 255))
            .version(line.intValue("--version", 3, 2, 3))
            .advertInterval(line.duration("--interval", Duration.ofSeconds(1)))
            .preemptDelay(line.duration("--preempt-delay", Duration.ZERO))
            .virtualMac(line.has("--vmac"));
    vips.forEach(b::virtualAddress);
    String family = family(vips.get(0).address());
    for (String text : line.all("--unicast-peer")) {
      InetAddress peer = CommandLine.parseAddress("--unicast-peer", text);
      if (!family(peer).equals(family)) {
        throw new UsageException(
            "--unicast-peer "
                + AddressText.of(peer)
                + " is "
                + family(peer)
                + ", the virtual addresses are "
                + family);
      }
      b.unicastPeer(peer);
    }
    for (String tracked : line.all("--track-interface")) {
      int colon = tracked.indexOf(':');
      String name = colon < 0 ? tracked : tracked.substring(0, colon);
      int weight = 0;
      if (colon >= 0) {
        String text = tracked.substring(colon + 1);
        if (!text.matches("[+-]?\\d{1,9}")) {
          throw new UsageException(
              "--track-interface weight must be a number in -254..254, was '" + text + "'");
        }
        weight = Integer.parseInt(text);
      }
      try {
        b.trackInterface(name, weight);
      } catch (InvalidConfigurationException e) {
        throw new UsageException("--track-interface " + e.problem());
      }
    }
    if (line.has("--no-preempt")) {
      b.noPreempt();
    }
    if (HMAC_FILE.equals(authFlag)) {
      b.authHmac(hmac(line));
    } else {
      for (String flag : HMAC_FLAG_OF.values()) {
        if (line.has(flag)) {
          throw new UsageException(flag + " needs " + HMAC_FILE);
        }
      }
    }
    try {
      if (authFlag != null && !HMAC_FILE.equals(authFlag)) {
        String secret = authSecret(line, authFlag, vrid);
        if (authFlag.startsWith("--auth-pass")) {
          b.authPassword(secret);
        } else {
          b.authAh(secret);
        }
      }
      return b.build();
    } catch (InvalidConfigurationException e) {
      String flag = e.field().startsWith("auth") ? authFlag : flagOf(e.field());
      if (flag == null) {
        // A rule of the runtime no single flag breaks: say it in the runtime's words.
        throw new UsageException("the instance is invalid: " + e.getMessage());
      }
      throw new UsageException(flag + " " + asGiven(line, flag, e.problem()));
    }
  }

  /**
   * The {@code auth_hmac} keys of {@code --auth-hmac-file} and its settings. Messages name the
   * flag, the file and the key id, never a key.
   */
  private static HmacAuthentication hmac(CommandLine line) throws UsageException {
    Path path = Path.of(line.required(HMAC_FILE));
    DecodeKeys keys = new DecodeKeys(DecodeCommand.KEY_PROTOCOLS);
    keys.addFile(HMAC_FILE, path);
    Set<Integer> ids = new java.util.TreeSet<>(keys.ids(HMAC_PROTO));
    if (ids.isEmpty()) {
      throw new UsageException(HMAC_FILE + " " + path + ": no hmac:KEYID=... line");
    }
    HmacAuthentication.Builder b = HmacAuthentication.builder();
    try {
      for (int id : ids) {
        b.key(id, new String(keys.get(HMAC_PROTO, id), StandardCharsets.UTF_8));
      }
    } catch (InvalidConfigurationException e) {
      throw new UsageException(HMAC_FILE + " " + path + ": " + e.problem());
    }
    try {
      int active = line.intValue("--auth-hmac-active-key", 0, 1, 255);
      if (active != 0) {
        b.activeKey(active);
      }
      if (line.has("--auth-hmac-mode")) {
        b.mode(HmacMode.parse(line.required("--auth-hmac-mode")));
      }
      if (line.has("--auth-hmac-anti-replay")) {
        b.antiReplay(HmacAntiReplay.parse(line.required("--auth-hmac-anti-replay")));
      }
      return b.build();
    } catch (InvalidConfigurationException e) {
      String flag = HMAC_FLAG_OF.getOrDefault(e.field(), HMAC_FILE);
      throw new UsageException(flag + " " + e.problem());
    }
  }

  /** The problem with a duration as the user wrote it ({@code was 41s}, not {@code was PT41S}). */
  private static String asGiven(CommandLine line, String flag, String problem)
      throws UsageException {
    String text = line.value(flag, null);
    if (text == null || !(flag.equals("--interval") || flag.equals("--preempt-delay"))) {
      return problem;
    }
    return problem.replace("was " + CommandLine.parseDuration(flag, text), "was " + text);
  }

  /** Every --vip, parsed; one family for all. */
  private static List<VirtualAddress> virtualAddresses(CommandLine line) throws UsageException {
    List<VirtualAddress> vips = new ArrayList<>();
    for (String text : line.all("--vip")) {
      VirtualAddress vip;
      int slash = text.indexOf('/');
      CommandLine.parseAddress("--vip", slash < 0 ? text : text.substring(0, slash));
      try {
        vip = VirtualAddress.parse(text);
      } catch (InvalidConfigurationException e) {
        throw new UsageException(
            e.field().equals("prefixLength")
                ? "--vip " + text + ": the prefix length " + e.problem()
                : "--vip " + e.problem());
      }
      if (!vips.isEmpty() && !family(vip.address()).equals(family(vips.get(0).address()))) {
        throw new UsageException(
            "--vip "
                + text
                + " is "
                + family(vip.address())
                + ", the first --vip is "
                + family(vips.get(0).address()));
      }
      vips.add(vip);
    }
    if (vips.isEmpty()) {
      throw new UsageException("--vip is required");
    }
    return vips;
  }

  private static String family(InetAddress address) {
    return address instanceof Inet6Address ? "IPv6" : "IPv4";
  }

  /**
   * The flag that sets a builder field, or null when none does: the configuration names its fields
   * as the builder methods do ({@code preemptDelay} is {@code --preempt-delay}).
   */
  static String flagOf(String field) {
    String flag = FLAG_OF.get(field);
    if (flag != null) {
      return flag;
    }
    if (field.startsWith("trackInterface")) {
      return "--track-interface";
    }
    String kebab = "--" + field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    return VALUED.contains(kebab) || SWITCHES.contains(kebab) ? kebab : null;
  }
}
