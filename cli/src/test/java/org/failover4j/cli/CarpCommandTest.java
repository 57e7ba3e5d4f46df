package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.codec.CarpAdvertEncoder;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code failover4j carp}: bad arguments (one line naming the flag, status 2, never the
 * passphrase), the passphrase from an owner-only file, and the command as a separate JVM in a lab
 * host next to ucarp 1.5.2, stopped by SIGTERM.
 */
class CarpCommandTest extends CommandTest {

  private static final String[] BASE = {
    "carp", "--interface", "lo", "--vhid", "10", "--pass", "s3cr3t", "--vip", "192.0.2.100/24"
  };

  @TempDir Path dir;

  private static Arguments carp(String flag, String... extra) {
    List<String> args = new ArrayList<>(List.of(BASE));
    args.addAll(List.of(extra));
    return Arguments.of(flag, args);
  }

  private static Arguments cmd(String flag, String line) {
    return Arguments.of(flag, List.of(line.split(" ")));
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        cmd("--interface", "carp --vhid 1 --pass x --vip 192.0.2.1"),
        cmd("--vhid", "carp --interface lo --pass x --vip 192.0.2.1"),
        cmd("--vip", "carp --interface lo --vhid 1 --pass x"),
        cmd("--pass-file", "carp --interface lo --vhid 1 --vip 192.0.2.1"),
        cmd("--interface", "carp --interface nosuch0 --vhid 1 --pass x --vip 192.0.2.1"),
        carp("--vhid", "--vhid", "256"),
        carp("--vhid", "--vhid", "x"),
        carp("--advbase", "--advbase", "0"),
        carp("--advbase", "--advbase", "256"),
        carp("--advskew", "--advskew", "255"),
        carp("--advskew", "--advskew", "-1"),
        carp("--mode", "--mode", "openbsd"),
        carp("--vip", "--vip", "192.0.2.1/33"),
        carp("--vip", "--vip", "192.0.2.1/0"),
        carp("--vip", "--vip", "192.0.2.1/x"),
        carp("--vip", "--vip", "2001:db8::1/129"),
        carp("--peer", "--vip", "2001:db8::1/64", "--peer", "192.0.2.7"),
        carp("--vip", "--vip", "vip.example"),
        carp("--vip", "--vip", "300.1.1.1/24"),
        carp("--pass-file", "--pass-file", "/nonexistent/keys"),
        carp("--pass", "--pass", "again"),
        cmd(
            "--pass",
            "carp --interface lo --vhid 1 --vip 192.0.2.1 --mode ucarp --pass 0123456789abcdefghij"),
        carp("--preempt", "--preempt=yes"),
        carp("--peer", "--peer", "2001:db8::1"),
        carp("--peer", "--peer", "peer.example"),
        carp("--peer", "--peer", "224.0.0.18"),
        carp("--peer", "--peer", "192.0.2.7", "--peer", "192.0.2.7"),
        carp("--vmac", "--vmac=1"),
        carp("--bogus", "--bogus"),
        carp("stray", "stray"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void oneLineNamingTheFlagAndStatusTwo(String flag, List<String> args) throws Exception {
    int status = run(args.toArray(String[]::new));
    String text = error();
    assertEquals(Main.EXIT_USAGE, status, text);
    assertEquals("", output());
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.startsWith("failover4j carp: "), text);
    assertTrue(text.contains(flag), "names " + flag + ": " + text);
    assertFalse(text.contains("Exception"), text);
    assertFalse(text.contains("s3cr3t") || text.contains("0123456789abcdefghij"), text);
  }

  @Test
  void messagesReadWell() throws Exception {
    assertEquals(
        "failover4j carp: --pass must be 1..19 bytes with --mode ucarp, was 20",
        messageOf(
            "carp",
            "--interface",
            "lo",
            "--vhid",
            "1",
            "--vip",
            "192.0.2.1",
            "--mode",
            "ucarp",
            "--pass",
            "0123456789abcdefghij"));
    assertEquals(
        "failover4j carp: --vip 192.0.2.1/33: the prefix length must be in 1..32, was '33'",
        message("--vip", "192.0.2.1/33"));
    assertEquals(
        "failover4j carp: --advskew must be in 0..254, was 255", message("--advskew", "255"));
    // A word after the passphrase may be part of it: not quoted.
    assertEquals(
        "failover4j carp: unexpected argument after the value of --pass (not shown: quote a"
            + " secret that holds spaces)",
        messageOf(
            "carp",
            "--interface",
            "lo",
            "--vhid",
            "1",
            "--vip",
            "192.0.2.1",
            "--pass",
            "my",
            "secret"));
  }

  private String message(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(BASE));
    args.addAll(List.of(extra));
    return messageOf(args.toArray(String[]::new));
  }

  private String messageOf(String... args) throws Exception {
    err.reset();
    assertEquals(Main.EXIT_USAGE, run(args));
    return error().strip();
  }

  private Path keyFile(String text, String mode) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private static CarpHostConfig config(String... args) throws UsageException {
    return CarpCommand.config(CarpCommand.parse(List.of(args)));
  }

  /** {@code failover4j carp} with the passphrase from {@code file}. */
  private static String[] passFileArgs(Path file) {
    return new String[] {
      "carp",
      "--interface",
      "lo",
      "--vhid",
      "10",
      "--pass-file",
      file.toString(),
      "--vip",
      "192.0.2.100/24"
    };
  }

  /** An advert signed with {@code config}'s key, at a fixed counter, as hex. */
  private static String signed(CarpHostConfig config) {
    java.nio.ByteBuffer advert = java.nio.ByteBuffer.allocate(CarpAdvertEncoder.IPV4_LENGTH);
    int length = new CarpAdvertEncoder(new CarpHmac(), config.key()).encode(advert, 0, 1, 0, 0, 7);
    return java.util.HexFormat.of().formatHex(advert.array(), 0, length);
  }

  @Test
  void thePassphraseComesFromTheOwnerOnlyFileLineForTheVhid() throws Exception {
    Path file =
        keyFile("# CARP keys\nvrrp:10=vrrp-secret\ncarp:9=other\ncarp:10=from-file\n", "rw-------");
    CarpHostConfig fromFile =
        config(
            "--interface",
            "lo",
            "--vhid",
            "10",
            "--pass-file",
            file.toString(),
            "--vip",
            "192.0.2.100/24",
            "--advskew",
            "100",
            "--preempt",
            "--mode",
            "ucarp");
    CarpHostConfig onCommandLine =
        config(
            "--interface",
            "lo",
            "--vhid",
            "10",
            "--pass",
            "from-file",
            "--vip",
            "192.0.2.100/24",
            "--advskew",
            "100",
            "--preempt",
            "--mode",
            "ucarp");
    assertEquals(signed(onCommandLine), signed(fromFile), "same passphrase, same HMAC");
    assertEquals(100, fromFile.advskew());
    assertTrue(fromFile.preempt());
    assertEquals(CounterMode.UCARP_COMPATIBLE, fromFile.counterMode());
    assertFalse(fromFile.toString().contains("from-file"));
    assertEquals(List.of(), fromFile.unicastPeers());
    assertFalse(fromFile.virtualMac());

    // decode's key line, with the virtual addresses after '@', serves both commands.
    Path decodeLine = keyFile("carp:10=from-file@192.0.2.100\n", "rw-------");
    assertEquals(
        signed(onCommandLine),
        signed(
            config(
                "--interface",
                "lo",
                "--vhid",
                "10",
                "--pass-file",
                decodeLine.toString(),
                "--vip",
                "192.0.2.100/24",
                "--advskew",
                "100",
                "--preempt",
                "--mode",
                "ucarp")));
    assertFalse(
        signed(onCommandLine)
            .equals(
                signed(
                    config(
                        "--interface",
                        "lo",
                        "--vhid",
                        "10",
                        "--pass",
                        "other",
                        "--vip",
                        "192.0.2.100/24"))),
        "the comparison sees another passphrase");

    err.reset();
    keyFile("carp:10=from-file\n", "rw-r--r--");
    assertEquals(Main.EXIT_USAGE, run(passFileArgs(file)));
    assertTrue(error().contains("chmod 600"), error());
    keyFile("carp:11=from-file\n", "rw-------");
    assertEquals(
        "failover4j carp: --pass-file " + file + ": no line for carp:10",
        messageOf(passFileArgs(file)));
    keyFile("carp:10=from-file@192.0.2.7\n", "rw-------");
    assertEquals(
        "failover4j carp: --pass-file "
            + file
            + ": the line for carp:10 names other addresses than --vip",
        messageOf(passFileArgs(file)));
  }

  @Test
  void peersAndTheVirtualMacReachTheConfiguration() throws Exception {
    CarpHostConfig config =
        config(
            "--interface",
            "lo",
            "--vhid",
            "10",
            "--pass",
            "x",
            "--vip",
            "192.0.2.100/24",
            "--peer",
            "192.0.2.12",
            "--peer",
            "192.0.2.13",
            "--vmac");
    assertEquals(
        List.of(
            java.net.InetAddress.getByName("192.0.2.12"),
            java.net.InetAddress.getByName("192.0.2.13")),
        config.unicastPeers());
    assertTrue(config.virtualMac());
    assertEquals("carp.10.lo", config.virtualMacName());
    assertEquals(
        "failover4j carp: --peer 2001:db8::1 is IPv6, the virtual addresses are IPv4",
        message("--peer", "2001:db8::1"));
  }

  @Test
  void replayProtectedModeChecksTheCounterAgeByDefaultAndTheFlagSetsIt() throws Exception {
    String[] base = {"--interface", "lo", "--vhid", "10", "--pass", "x", "--vip", "192.0.2.100/24"};
    assertEquals(java.time.Duration.ofSeconds(5), config(base).maxCounterAge());
    assertEquals(
        java.time.Duration.ofSeconds(30),
        config(concat(base, "--max-counter-age", "30")).maxCounterAge());
    assertEquals(null, config(concat(base, "--max-counter-age", "0")).maxCounterAge());
    assertEquals(null, config(concat(base, "--mode", "ucarp")).maxCounterAge());
    assertEquals(
        "failover4j carp: --max-counter-age needs --mode replay-protected",
        message("--mode", "ucarp", "--max-counter-age", "5"));
  }

  @Test
  void bothFamiliesMayBeMixedButThenTakeNoPeer() throws Exception {
    String[] dual = {
      "--interface",
      "lo",
      "--vhid",
      "10",
      "--pass",
      "x",
      "--vip",
      "192.0.2.100/24",
      "--vip",
      "2001:db8::100/64"
    };
    CarpHostConfig config = config(dual);
    assertTrue(config.hasIpv4());
    assertTrue(config.hasIpv6());
    assertEquals(
        "failover4j carp: --peer only for a virtual host whose addresses are all of one family",
        messageOf(concat(concat(new String[] {"carp"}, dual), "--peer", "192.0.2.12")));
  }

  @Test
  void ipv6PeersGoWithIpv6VirtualAddresses() throws Exception {
    CarpHostConfig config =
        config(
            "--interface",
            "lo",
            "--vhid",
            "10",
            "--pass",
            "x",
            "--vip",
            "2001:db8::100/64",
            "--peer",
            "2001:db8::12");
    assertEquals(List.of(java.net.InetAddress.getByName("2001:db8::12")), config.unicastPeers());
  }

  @Test
  void aVipThatCannotBeAHostAddressIsRefused() throws Exception {
    assertEquals(
        "failover4j carp: --vip 224.0.0.5/24: 224.0.0.5 is a multicast address, not a host address",
        messageOf(
            "carp", "--interface", "lo", "--vhid", "10", "--pass", "x", "--vip", "224.0.0.5/24"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** The command as a separate JVM in a lab host, next to ucarp, stopped by SIGTERM. */
  @Test
  @Interop(peers = {"ucarp"})
  void runsAVirtualHostNextToUcarpAndLeavesCleanlyOnSigterm(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host ucHost = lab.host("uc", lan);
    Host javaHost = lab.host("java", lan);
    Path pass = lab.file("carp-keys");
    Files.writeString(pass, "carp:10=s3cr3t\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    LabProcess cli =
        javaHost.start(
            "cli",
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "carp",
            "--interface",
            javaHost.iface(lan),
            "--vhid",
            "10",
            "--pass-file",
            pass.toString(),
            "--vip",
            "192.0.2.100/24",
            "--mode",
            "ucarp",
            "--json");
    cli.awaitOutput("\"to\":\"MASTER\"", Duration.ofSeconds(20));
    assertTrue(javaHost.hasAddress(javaHost.iface(lan), lan.ipv4(100)));
    try (Ucarp ucarp =
        Ucarp.start(
            ucHost,
            new UcarpConfig()
                .iface(ucHost.iface(lan))
                .sourceAddress(ucHost.ipv4(lan).getHostAddress())
                .vhid(10)
                .password("s3cr3t")
                .virtualAddress("192.0.2.100", 24)
                .advbase(1)
                .advskew(100))) {
      // ucarp accepts the command's adverts: it stays backup, its up script never runs.
      Thread.sleep(5_000);
      assertFalse(ucarp.log().contains("ucarp-up"), ucarp.log());

      cli.signal("USR1");
      cli.awaitOutput("\"event\":\"counters\"", Duration.ofSeconds(5));

      long termAt = System.nanoTime();
      cli.signal("TERM");
      ucarp.awaitMaster(Duration.ofSeconds(3));
      long takeover = (System.nanoTime() - termAt) / 1_000_000;
      OptionalInt status = cli.waitFor(Duration.ofSeconds(10));
      assertEquals(OptionalInt.of(0), status, cli.output());
      assertFalse(javaHost.hasAddress(javaHost.iface(lan), lan.ipv4(100)), "address removed");
      System.out.println("ucarp took over " + takeover + " ms after SIGTERM");
      // ucarp polls once a second: the 255/255 advert makes it take over at its next poll,
      // long before its master-down interval (3.39 s) would.
      assertTrue(takeover < 2_500, "took " + takeover + " ms");
    }

    List<Map<String, Object>> events = new ArrayList<>();
    List<Map<String, Object>> counters = new ArrayList<>();
    for (String line : cli.output().split("\n")) {
      if (line.startsWith("{")) {
        Map<String, Object> json = Json.parseObject(line);
        (json.get("event").equals("counters") ? counters : events).add(json);
      }
    }
    assertEquals(2, counters.size(), "on SIGUSR1 and at the exit: " + cli.output());
    Map<String, Object> running = counters.get(0);
    assertEquals("MASTER", running.get("role"));
    assertTrue((Long) running.get("adverts_sent") >= 5, running.toString());
    assertTrue((Long) running.get("adverts_received") == 0, "ucarp stayed quiet as backup");
    assertEquals(0L, running.get("dropped"), running.toString());
    Map<String, Object> exit = counters.get(1);
    assertEquals("STOPPED", exit.get("role"));
    assertEquals(1L, exit.get("leaving_sent"));
    Map<String, Object> master = events.get(1);
    assertEquals(10L, master.get("vhid"));
    assertEquals("BACKUP", master.get("from"));
    assertEquals("MASTER", master.get("to"));
    Map<String, Object> last = events.get(events.size() - 1);
    assertEquals("STOPPED", last.get("to"));
  }
}
