package org.failover4j.cli;

import static org.failover4j.cli.MetricsEndpointTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics} of the real commands, each a separate JVM in a lab host next to a real peer:
 * scrapes before, during and after a failover parse with Prometheus's own {@code promtool check
 * metrics} and show the transition.
 */
class MetricsInteropTest {

  private static final int PORT = 9100;

  /** The command's JVM in {@code host}: {@code failover4j args...}. */
  static LabProcess cli(Host host, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return host.start(args[0], command);
  }

  /** GET /metrics from inside {@code host}; fails unless it is 200 and promtool accepts it. */
  static String scrape(Host host, InetSocketAddress address) throws Exception {
    HttpGet response = host.call(() -> HttpGet.get(address, "/metrics"));
    assertEquals(200, response.status(), response.body());
    assertEquals(MetricsEndpoint.CONTENT_TYPE, response.headers().get("content-type"));
    promtoolAccepts(response.body());
    return response.body();
  }

  /** Runs {@code promtool check metrics} on {@code exposition}: no syntax error, no lint. */
  static void promtoolAccepts(String exposition) throws IOException, InterruptedException {
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = promtool.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, promtool.waitFor(), "promtool check metrics: " + said + "\n" + exposition);
  }

  /**
   * A scrape once {@code gauge} has read 1 for {@code role} in two scrapes a second apart: a JVM
   * that starts slowly on a loaded machine may miss its peer's first adverts and take over for a
   * moment before it settles, and the counters the test compares start after that.
   */
  static String settled(Host host, InetSocketAddress address, String gauge, String role)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      String first = scrape(host, address);
      Thread.sleep(1_000);
      last = scrape(host, address);
      String label = "role=\"" + role + "\"";
      if (sample(first, gauge, label) == 1.0 && sample(last, gauge, label) == 1.0) {
        return last;
      }
    }
    throw new AssertionError(gauge + " never settled on " + role + ":\n" + last);
  }

  @Test
  @Interop(peers = {"keepalived", "promtool"})
  void vrrpServesTheFailoverToPrometheus(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    String[] vrrp = {
      "vrrp",
      "--interface",
      "eth0",
      "--vrid",
      "61",
      "--priority",
      "50",
      "--vip",
      "192.0.2.100/24",
      "--interval",
      "100ms",
      "--json",
      "--metrics"
    };

    // An address the host does not have: refused before the instance starts.
    LabProcess refused = cli(javaHost, concat(vrrp, "192.0.2.250:" + PORT));
    assertEquals(OptionalInt.of(1), refused.waitFor(Duration.ofSeconds(20)), refused.output());
    assertTrue(
        refused
            .output()
            .contains("failover4j vrrp: --metrics 192.0.2.250:9100: cannot listen there"),
        refused.output());
    assertTrue(!refused.output().contains("\"to\""), "never ran: " + refused.output());

    KeepalivedConfig config = new KeepalivedConfig("kad");
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(61)
        .priority(100)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip("192.0.2.100/24");
    Keepalived kad = Keepalived.start(kadHost, config);
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));

    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), PORT);
    LabProcess cli = cli(javaHost, concat(vrrp, "127.0.0.1:" + PORT));
    cli.awaitOutput("\"to\":\"BACKUP\"", Duration.ofSeconds(20));
    String backup = settled(javaHost, loopback, "failover4j_vrrp_role", "backup");
    assertTrue(sample(backup, "failover4j_vrrp_adverts_received_total", "vrid=\"61\"") > 0);
    double becameMaster = sample(backup, "failover4j_vrrp_master_transitions_total", "vrid=\"61\"");
    double released = sample(backup, "failover4j_vrrp_master_releases_total", "vrid=\"61\"");
    // Only on the address given: not on the host's LAN address.
    InetSocketAddress lanAddress = new InetSocketAddress(javaHost.ipv4(lan), PORT);
    assertThrows(ConnectException.class, () -> javaHost.call(() -> HttpGet.get(lanAddress, "/")));

    kad.freeze();
    cli.awaitOutput("\"to\":\"MASTER\"", Duration.ofSeconds(5));
    String master = settled(javaHost, loopback, "failover4j_vrrp_role", "master");
    assertEquals(0.0, sample(master, "failover4j_vrrp_role", "role=\"backup\""));
    assertEquals(
        becameMaster + 1,
        sample(master, "failover4j_vrrp_master_transitions_total", "vrid=\"61\""));
    assertTrue(
        sample(master, "failover4j_vrrp_transitions_total", "reason=\"master-down\",to=\"master\"")
            >= 1.0);

    kad.thaw();
    String back = settled(javaHost, loopback, "failover4j_vrrp_role", "backup");
    assertEquals(
        released + 1, sample(back, "failover4j_vrrp_master_releases_total", "vrid=\"61\""));
    assertEquals(
        1.0,
        sample(
                back,
                "failover4j_vrrp_transitions_total",
                "reason=\"higher-priority\",to=\"backup\"")
            - sample(
                backup,
                "failover4j_vrrp_transitions_total",
                "reason=\"higher-priority\",to=\"backup\"",
                0.0));

    cli.signal("TERM");
    assertEquals(OptionalInt.of(0), cli.waitFor(Duration.ofSeconds(10)), cli.output());
    kad.close();
  }

  @Test
  @Interop(peers = {"ucarp", "promtool"})
  void carpServesTheFailoverToPrometheus(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host ucHost = lab.host("uc", lan);
    Host javaHost = lab.host("java", lan);
    try (Ucarp ucarp =
        Ucarp.start(
            ucHost,
            new UcarpConfig()
                .iface(ucHost.iface(lan))
                .sourceAddress(ucHost.ipv4(lan).getHostAddress())
                .vhid(11)
                .password("s3cr3t")
                .virtualAddress("192.0.2.101", 24)
                .advbase(1)
                .advskew(0))) {
      ucarp.awaitMaster(Duration.ofSeconds(10));
      InetSocketAddress address = new InetSocketAddress(javaHost.ipv4(lan), PORT);
      LabProcess cli =
          cli(
              javaHost,
              "carp",
              "--interface",
              javaHost.iface(lan),
              "--vhid",
              "11",
              "--pass",
              "s3cr3t",
              "--vip",
              "192.0.2.101/24",
              "--mode",
              "ucarp",
              "--advskew",
              "100",
              "--json",
              "--metrics",
              javaHost.ipv4(lan).getHostAddress() + ":" + PORT);
      cli.awaitOutput("\"to\":\"BACKUP\"", Duration.ofSeconds(20));
      String backup = settled(javaHost, address, "failover4j_carp_role", "backup");
      double becameMaster =
          sample(backup, "failover4j_carp_transitions_total", "to=\"master\"", 0.0);
      assertTrue(sample(backup, "failover4j_carp_adverts_accepted_total", "vhid=\"11\"") > 0);

      ucarp.process().signal("STOP");
      try {
        cli.awaitOutput("\"to\":\"MASTER\"", Duration.ofSeconds(10));
        String master = settled(javaHost, address, "failover4j_carp_role", "master");
        assertEquals(0.0, sample(master, "failover4j_carp_role", "role=\"backup\""));
        assertEquals(
            becameMaster + 1, sample(master, "failover4j_carp_transitions_total", "to=\"master\""));
        assertTrue(sample(master, "failover4j_carp_adverts_sent_total", "vhid=\"11\"") > 0);
      } finally {
        ucarp.process().signal("CONT");
      }
      cli.signal("TERM");
      assertEquals(OptionalInt.of(0), cli.waitFor(Duration.ofSeconds(10)), cli.output());
    }
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
