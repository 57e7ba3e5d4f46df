package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad argument of every command: exit status 2, nothing on standard output, and exactly one
 * line on standard error that starts with the command and names the flag (or the word) at fault.
 */
class BadArgumentsTest extends CommandTest {

  private static final String[] VRRP = {
    "vrrp", "--interface", "eth0", "--vrid", "60", "--vip", "192.0.2.100/24"
  };

  private static Arguments vrrp(String flag, String... extra) {
    List<String> args = new ArrayList<>(List.of(VRRP));
    args.addAll(List.of(extra));
    return Arguments.of(flag, args);
  }

  /** A command line written as one string: words split at spaces, {@code ''} an empty word. */
  private static Arguments cmd(String flag, String line) {
    List<String> args = new ArrayList<>();
    for (String word : line.split(" ")) {
      args.add(word.equals("''") ? "" : word);
    }
    return Arguments.of(flag, args);
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        // vrrp
        cmd("--interface", "vrrp --vrid 1 --vip 192.0.2.1"),
        cmd("--vrid", "vrrp --interface eth0 --vip 192.0.2.1"),
        cmd("--vip", "vrrp --interface eth0 --vrid 1"),
        cmd("--vrid", "vrrp --interface eth0 --vrid 256 --vip 192.0.2.1"),
        cmd("--vrid", "vrrp --interface eth0 --vrid -1 --vip 192.0.2.1"),
        cmd("--vrid", "vrrp --interface eth0 --vrid 99999999999999999999 --vip 192.0.2.1"),
        cmd("--vrid", "vrrp --interface eth0 --vrid x --vip 192.0.2.1"),
        cmd("--vrid", "vrrp --interface eth0 --vrid --vip 192.0.2.1"),
        cmd("--interface", "vrrp --interface '' --vrid 1 --vip 192.0.2.1"),
        cmd("--interface", "vrrp --interface nosuch0 --vrid 1 --vip 192.0.2.1"),
        cmd("--interface", "vrrp --interface a-very-long-interface-name --vrid 1 --vip 192.0.2.1"),
        vrrp("--interface", "--interface", "eth1"),
        vrrp("--priority", "--priority", "0"),
        vrrp("--priority", "--priority", "256"),
        vrrp("--priority", "--priority", "high"),
        vrrp("--version", "--version", "4"),
        cmd("--version", "vrrp --interface eth0 --vrid 1 --vip 2001:db8::1/64 --version 2"),
        vrrp("--interval", "--interval", "99999999999999999999s"),
        vrrp("--interval", "--interval", "99999999999999999999m"),
        vrrp("--interval", "--interval", "15ms"),
        vrrp("--interval", "--interval", "0s"),
        vrrp("--interval", "--interval", "1h"),
        vrrp("--interval", "--interval", "-1s"),
        vrrp("--interval", "--interval", "1.5s", "--version", "2"),
        vrrp("--interval", "--interval", "41s"),
        vrrp("--preempt-delay", "--preempt-delay", "1001s"),
        vrrp("--preempt-delay", "--preempt-delay", "99999999999999999999ms"),
        vrrp("--preempt-delay", "--preempt-delay", "soon"),
        vrrp("--vip", "--vip", "192.0.2.1/33"),
        vrrp("--vip", "--vip", "192.0.2.1/-1"),
        vrrp("--vip", "--vip", "192.0.2.1/x"),
        vrrp("--vip", "--vip", "2001:db8::1/129"),
        vrrp("--vip", "--vip", "2001:db8::1/64"),
        vrrp("--vip", "--vip", "vip.example"),
        vrrp("--vip", "--vip", "192.0.2"),
        vrrp("--vip", "--vip", "300.1.1.1/24"),
        vrrp("--vip", "--vip", "2001:db8::1::2"),
        vrrp("--vip", "--vip", ""),
        vrrp("--unicast-peer", "--unicast-peer", "2001:db8::1"),
        vrrp("--unicast-peer", "--unicast-peer", "peer.example"),
        vrrp("--unicast-peer", "--unicast-peer", "192.0.2.1/24"),
        vrrp("--unicast-peer", "--unicast-peer", "10.1"),
        vrrp("--unicast-peer", "--unicast-peer"),
        vrrp("--track-interface", "--track-interface", "eth1:x"),
        vrrp("--track-interface", "--track-interface", "eth1:300"),
        vrrp("--track-interface", "--track-interface", "eth1:99999999999999"),
        vrrp("--track-interface", "--track-interface", ":10"),
        vrrp("--auth-pass", "--auth-pass", "secret"),
        vrrp("--auth-ah", "--version", "2", "--auth-ah", "much-too-long"),
        vrrp("--auth-ah", "--version", "2", "--auth-ah", "a", "--auth-pass", "b"),
        vrrp("--auth-ah-file", "--version", "2", "--auth-ah-file", "/nonexistent/keys"),
        vrrp("--auth-pass-file", "--version", "2", "--auth-pass-file"),
        vrrp("--json", "--json=yes"),
        vrrp("--vmac", "--vmac=1"),
        vrrp("--bogus", "--bogus"),
        vrrp("--bogus", "--bogus=1"),
        vrrp("stray", "stray"),
        // decode
        cmd("FILE", "decode"),
        cmd("FILE", "decode a.pcap b.pcap"),
        cmd("--frobnicate", "decode a.pcap --frobnicate"),
        cmd("--key", "decode a.pcap --key"),
        cmd("--key", "decode a.pcap --key vrrp51=x"),
        cmd("--key", "decode a.pcap --key ospf:51=x"),
        cmd("--key", "decode a.pcap --key vrrp:0=x"),
        cmd("--key", "decode a.pcap --key vrrp:99999999999999=x"),
        cmd("--key", "decode a.pcap --key vrrp:51="),
        cmd("--key", "decode a.pcap --key vrrp:51=a --key vrrp:51=b"),
        cmd("--key-file", "decode a.pcap --key-file /nonexistent/keys"),
        cmd("--key-file", "decode a.pcap --key-file /"),
        // ipvs-monitor
        cmd("--port", "ipvs-monitor --port 0"),
        cmd("--port", "ipvs-monitor --port 65536"),
        cmd("--port", "ipvs-monitor --port 99999999999999999999"),
        cmd("--syncid", "ipvs-monitor --syncid 256"),
        cmd("--syncid", "ipvs-monitor --syncid x"),
        cmd("--group", "ipvs-monitor --group 192.0.2.1"),
        cmd("--group", "ipvs-monitor --group lb.example"),
        cmd("--group", "ipvs-monitor --group 2001:db8::1"),
        cmd("--interface", "ipvs-monitor --interface"),
        cmd("--interface", "ipvs-monitor --interface nosuch0"),
        cmd("--json", "ipvs-monitor --json=yes"),
        cmd("--verbose", "ipvs-monitor --verbose"),
        cmd("stray", "ipvs-monitor stray"),
        // demo and the command itself
        cmd("--fast", "demo --fast"),
        cmd("frobnicate", "frobnicate"),
        cmd("--frobnicate", "--frobnicate"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void oneLineNamingTheFlagAndStatusTwo(String flag, List<String> args) throws Exception {
    int status = run(args.toArray(String[]::new));
    String text = error();
    assertEquals(Main.EXIT_USAGE, status, text);
    assertEquals("", output());
    assertEquals(1, text.lines().count(), text);
    String prefix = args.get(0).startsWith("-") ? "failover4j: " : "failover4j " + args.get(0);
    assertTrue(text.startsWith(prefix) || text.startsWith("failover4j: unknown command"), text);
    assertTrue(text.contains(flag), "names " + flag + ": " + text);
    assertFalse(text.contains("Exception"), text);
    assertFalse(text.matches("(?s).*(^|[ '(])/[0-9].*"), "an address with a stray slash");
  }

  @org.junit.jupiter.api.Test
  void theIssuesThreeCasesReadWell() throws Exception {
    assertEquals(
        "failover4j vrrp: --interval must be at most a day (1440m), was '99999999999999999999s'",
        message(VRRP, "--interval", "99999999999999999999s"));
    assertEquals(
        "failover4j vrrp: --vip 192.0.2.1/33: the prefix length must be in 0..32, was 33",
        message(VRRP, "--vip", "192.0.2.1/33"));
    assertEquals(
        "failover4j vrrp: --unicast-peer 2001:db8::1 is IPv6, the virtual addresses are IPv4",
        message(VRRP, "--unicast-peer", "2001:db8::1"));
    assertEquals(
        "failover4j vrrp: --preempt-delay must be in 0..1000 s, was 1001s",
        message(VRRP, "--preempt-delay", "1001s"));
    assertEquals(
        "failover4j vrrp: --vrid needs a value", message(VRRP, "--vrid", "--auth-pass", "x"));
  }

  private String message(String[] base, String... extra) throws Exception {
    err.reset();
    List<String> args = new ArrayList<>(List.of(base));
    args.addAll(List.of(extra));
    assertEquals(Main.EXIT_USAGE, run(args.toArray(String[]::new)));
    return error().strip();
  }
}
