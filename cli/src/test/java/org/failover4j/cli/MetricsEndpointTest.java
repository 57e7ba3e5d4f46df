package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.micrometer.VrrpRouterMetrics;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code --metrics} endpoint over real HTTP on loopback, serving the meters of a simulated VRRP
 * router through a failover under virtual time.
 */
class MetricsEndpointTest extends CommandTest {

  private static final InetSocketAddress LOOPBACK_ANY_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
  private VrrpRouter master;
  private VrrpRouter backup;
  private MetricsEndpoint endpoint;

  @AfterEach
  void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    for (VrrpRouter r : new VrrpRouter[] {master, backup}) {
      if (r != null) {
        r.close();
      }
    }
  }

  private VrrpRouter router(int n, int priority) throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(
                new SimulatedPlatform(loop)
                    .attach(
                        "eth0", lan.addHost("r" + n, InetAddress.getByName("192.0.2." + (10 + n)))))
            .instance(
                VrrpInstanceConfig.builder("VI_1")
                    .iface("eth0")
                    .vrid(7)
                    .priority(priority)
                    .virtualAddress("192.0.2.100/24")
                    .build())
            .build();
    router.start();
    return router;
  }

  @Test
  void servesTheRoleAndItsTransitionsThroughAFailover() throws Exception {
    master = router(1, 200);
    backup = router(2, 100);
    endpoint = MetricsEndpoint.start(LOOPBACK_ANY_PORT, new VrrpRouterMetrics(backup));
    loop.advanceBy(Duration.ofSeconds(10));

    HttpGet before = HttpGet.get(endpoint.address(), "/metrics");
    assertEquals(200, before.status());
    assertEquals(MetricsEndpoint.CONTENT_TYPE, before.headers().get("content-type"));
    assertEquals(1.0, sample(before.body(), "failover4j_vrrp_role", "role=\"backup\""));
    assertEquals(0.0, sample(before.body(), "failover4j_vrrp_role", "role=\"master\""));
    assertTrue(before.body().contains("# TYPE failover4j_vrrp_adverts_received_total counter"));
    assertTrue(sample(before.body(), "failover4j_vrrp_adverts_received_total", "vrid=\"7\"") > 0);

    master.closeAbruptly();
    loop.advanceBy(Duration.ofSeconds(10));

    String after = HttpGet.get(endpoint.address(), "/metrics").body();
    assertEquals(1.0, sample(after, "failover4j_vrrp_role", "role=\"master\""));
    assertEquals(0.0, sample(after, "failover4j_vrrp_role", "role=\"backup\""));
    assertEquals(
        1.0,
        sample(after, "failover4j_vrrp_transitions_total", "reason=\"master-down\",to=\"master\""));
    assertEquals(1.0, sample(after, "failover4j_vrrp_master_transitions_total", "vrid=\"7\""));
  }

  @Test
  void answersOnlyGetAndHeadOfMetrics() throws Exception {
    backup = router(2, 100);
    endpoint = MetricsEndpoint.start(LOOPBACK_ANY_PORT, new VrrpRouterMetrics(backup));
    assertEquals(404, HttpGet.get(endpoint.address(), "/").status());
    assertEquals(404, HttpGet.get(endpoint.address(), "/metricsx").status());
    HttpGet post = HttpGet.request(endpoint.address(), "POST", "/metrics");
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.headers().get("allow"));
    HttpGet head = HttpGet.request(endpoint.address(), "HEAD", "/metrics");
    assertEquals(200, head.status());
    assertEquals("", head.body());
  }

  @Test
  void closingStopsServingAndRemovesTheMeters() throws Exception {
    backup = router(2, 100);
    VrrpRouterMetrics binder = new VrrpRouterMetrics(backup);
    endpoint = MetricsEndpoint.start(LOOPBACK_ANY_PORT, binder);
    InetSocketAddress address = endpoint.address();
    endpoint.close();
    endpoint = null;
    assertThrows(ConnectException.class, () -> HttpGet.get(address, "/metrics"));
  }

  @Test
  void withoutTheFlagNothingListensAndNoBinderIsMade() throws Exception {
    try (MetricsEndpoint none =
        MetricsEndpoint.open(
            Optional.empty(),
            () -> {
              throw new AssertionError("a binder made without --metrics");
            })) {
      assertEquals(null, none.address());
    }
  }

  @Test
  void anAddressInUseIsRefusedNamingIt() throws Exception {
    backup = router(2, 100);
    endpoint = MetricsEndpoint.start(LOOPBACK_ANY_PORT, new VrrpRouterMetrics(backup));
    InetSocketAddress taken = endpoint.address();
    IOException e =
        assertThrows(
            IOException.class, () -> MetricsEndpoint.start(taken, new VrrpRouterMetrics(backup)));
    assertTrue(
        e.getMessage()
            .startsWith("--metrics 127.0.0.1:" + taken.getPort() + ": cannot listen there"),
        e.getMessage());
  }

  @Test
  void aBadAddressIsAUsageErrorNamingTheFlag() throws Exception {
    assertEquals(new InetSocketAddress("127.0.0.1", 9100), MetricsEndpoint.parse("127.0.0.1:9100"));
    assertEquals(
        new InetSocketAddress("2001:db8::1", 9100), MetricsEndpoint.parse("[2001:db8::1]:9100"));
    assertUsage(
        "9100", "--metrics must be HOST:PORT such as 127.0.0.1:9100 or [::1]:9100, was '9100'");
    assertUsage(
        "::1:9100",
        "--metrics must be HOST:PORT such as 127.0.0.1:9100 or [::1]:9100, was '::1:9100'");
    assertUsage(
        ":9100", "--metrics needs the address to listen on, such as 127.0.0.1:9100, was ':9100'");
    assertUsage("localhost:9100", "--metrics must be an IP address, was 'localhost'");
    assertUsage("127.0.0.1:0", "--metrics port must be in 1..65535, was '0'");
    assertUsage("127.0.0.1:65536", "--metrics port must be in 1..65535, was '65536'");
    assertUsage("127.0.0.1:", "--metrics port must be in 1..65535, was ''");

    for (String command : new String[] {"vrrp", "carp"}) {
      err.reset();
      assertEquals(
          Main.EXIT_USAGE,
          run(
              command,
              "--interface",
              "lo",
              command.equals("vrrp") ? "--vrid" : "--vhid",
              "7",
              command.equals("vrrp") ? "--vip" : "--pass",
              command.equals("vrrp") ? "192.0.2.100/24" : "secret",
              "--vip",
              "192.0.2.101",
              "--metrics",
              "9100"));
      assertEquals(
          "failover4j "
              + command
              + ": --metrics must be HOST:PORT such as 127.0.0.1:9100 or [::1]:9100, was '9100'",
          error().strip());
    }
  }

  private static void assertUsage(String text, String message) {
    UsageException e = assertThrows(UsageException.class, () -> MetricsEndpoint.parse(text));
    assertEquals(message, e.getMessage());
  }

  /**
   * The value of the one sample of {@code name} whose labels contain {@code labels}, or {@code
   * absent} when there is none (a counter registered at its first increment).
   */
  static double sample(String exposition, String name, String labels, double absent) {
    boolean present =
        exposition.lines().anyMatch(l -> l.startsWith(name + "{") && l.contains(labels));
    return present ? sample(exposition, name, labels) : absent;
  }

  /** The value of the one sample of {@code name} whose labels contain {@code labels}. */
  static double sample(String exposition, String name, String labels) {
    List<String> lines =
        exposition.lines().filter(l -> l.startsWith(name + "{") && l.contains(labels)).toList();
    assertEquals(1, lines.size(), name + " " + labels + " in\n" + exposition);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
