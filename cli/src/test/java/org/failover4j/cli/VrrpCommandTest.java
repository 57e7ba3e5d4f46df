package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

class VrrpCommandTest extends CommandTest {

  private String usageError(String... args) throws Exception {
    err.reset();
    assertEquals(Main.EXIT_USAGE, run(concat(new String[] {"vrrp"}, args)));
    String text = error();
    assertEquals(1, text.lines().count(), "one line: " + text);
    return text.strip();
  }

  @Test
  void badArgumentsNameTheFlag() throws Exception {
    String[] base = {"--interface", "eth0", "--vrid", "60", "--vip", "192.0.2.100/24"};
    assertEquals("failover4j vrrp: --interface is required", usageError("--vrid", "1"));
    assertEquals(
        "failover4j vrrp: --vrid must be in 1..255, was 256",
        usageError("--interface", "eth0", "--vrid", "256", "--vip", "192.0.2.1"));
    assertEquals(
        "failover4j vrrp: --priority must be in 1..255, was 0",
        usageError(concat(base, "--priority", "0")));
    assertTrue(
        usageError(concat(base, "--interval", "15ms"))
            .startsWith("failover4j vrrp: --interval must be"));
    assertTrue(
        usageError(concat(base, "--auth-pass", "x"))
            .startsWith("failover4j vrrp: --auth-pass VRRPv3 has no authentication"));
    assertEquals(
        "failover4j vrrp: --vip 2001:db8::1/64 is IPv6, the first --vip is IPv4",
        usageError(concat(base, "--vip", "2001:db8::1/64")));
    assertTrue(
        usageError(concat(base, "--unicast-peer", "peer"))
            .startsWith("failover4j vrrp: --unicast-peer"));
    assertEquals("failover4j vrrp: unknown option --bogus", usageError(concat(base, "--bogus")));
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** The command as a separate JVM in a lab host, next to keepalived, stopped by SIGTERM. */
  @Test
  @Interop(peers = {"keepalived"})
  void runsAnInstanceAndLeavesCleanlyOnSigterm(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    KeepalivedConfig config = new KeepalivedConfig("kad");
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(60)
        .priority(100)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip("192.0.2.100/24");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    LabProcess cli =
        javaHost.start(
            "cli",
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "vrrp",
            "--interface",
            "eth0",
            "--vrid",
            "60",
            "--priority",
            "150",
            "--vip",
            "192.0.2.100/24",
            "--interval",
            "100ms",
            "--json");
    cli.awaitOutput("\"to\":\"MASTER\"", Duration.ofSeconds(15));
    Keepalived kad = Keepalived.start(kadHost, config);
    kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
    assertTrue(javaHost.hasAddress("eth0", lan.ipv4(100)));

    // SIGUSR1: the counters, as one JSON line, while it runs on.
    cli.signal("USR1");
    cli.awaitOutput("\"event\":\"counters\"", Duration.ofSeconds(5));

    cli.signal("TERM");
    OptionalInt status = cli.waitFor(Duration.ofSeconds(10));
    assertEquals(OptionalInt.of(0), status, cli.output());
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(2));
    assertFalse(javaHost.hasAddress("eth0", lan.ipv4(100)), "addresses removed");

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
    assertTrue((Long) running.get("adverts_sent") > 0, running.toString());
    Map<String, Object> exit = counters.get(1);
    assertEquals("STOPPED", exit.get("role"));
    assertEquals(1L, exit.get("priority_zero_sent"));
    assertTrue((Long) exit.get("adverts_sent") > (Long) running.get("adverts_sent"));
    assertTrue(
        cli.output().strip().endsWith("}") && cli.output().strip().contains("\"unclaimed_drops\""),
        "the exit counters come last");
    Map<String, Object> master = events.get(1);
    assertEquals("role", master.get("event"));
    assertEquals(60L, master.get("vrid"));
    assertEquals("BACKUP", master.get("from"));
    assertEquals("MASTER", master.get("to"));
    assertEquals("master-down", master.get("reason"));
    assertEquals(2L, master.get("epoch"));
    assertTrue(
        master
            .get("time")
            .toString()
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    Map<String, Object> last = events.get(events.size() - 1);
    assertEquals("STOPPED", last.get("to"));
    assertEquals("shutdown", last.get("reason"));
  }
}
