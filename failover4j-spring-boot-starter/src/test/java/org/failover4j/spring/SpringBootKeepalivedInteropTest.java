package org.failover4j.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot web application, configured by properties only, runs inside a lab namespace on
 * the kernel platform against keepalived 2.2.7: it wins the election, reports MASTER through {@code
 * /actuator/health} over HTTP, goes to FAULT (HTTP 503) when its tracked uplink fails while
 * keepalived takes over, wins back when the link returns, and hands over with priority 0 when the
 * application shuts down. The same with a CARP host against ucarp 1.5.2.
 */
@Interop(peers = {"keepalived"})
class SpringBootKeepalivedInteropTest {

  private static final int VRID = 73;
  private static final int PORT = 18080;
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The application: nothing but the starter, actuator and the web server. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  /** One HTTP GET from inside {@code host}: status and body. */
  private record Response(int status, Map<String, Object> body) {}

  private static Response get(Host host, InetAddress address, String path) throws Exception {
    return host.call(
        () -> {
          HttpURLConnection c =
              (HttpURLConnection)
                  URI.create("http://" + address.getHostAddress() + ":" + PORT + path)
                      .toURL()
                      .openConnection();
          c.setConnectTimeout(2_000);
          c.setReadTimeout(2_000);
          int status = c.getResponseCode();
          try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, Json.parseObject(text));
          } finally {
            c.disconnect();
          }
        });
  }

  /** The role {@code /actuator/health} reports for instance {@code web}. */
  private static String role(Response health) {
    Map<String, Object> failover4j =
        Json.map(Json.map(health.body().get("components")).get("failover4j"));
    Map<String, Object> instances = Json.map(Json.map(failover4j.get("details")).get("instances"));
    return String.valueOf(Json.map(instances.get("web")).get("role"));
  }

  private static Response awaitRole(Host host, InetAddress address, String role) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Response last = get(host, address, "/actuator/health");
    while (!role.equals(role(last)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      last = get(host, address, "/actuator/health");
    }
    assertEquals(role, role(last), last.body().toString());
    return last;
  }

  /** Health over HTTP reaches {@code role}, with that HTTP status and overall status. */
  private static void expect(Host host, InetAddress address, String role, int http, String status)
      throws Exception {
    Response health = awaitRole(host, address, role);
    assertEquals(http, health.status());
    assertEquals(status, health.body().get("status"));
  }

  /** Once addresses have settled, the VIP is on {@code holder} and not on {@code other}. */
  private static void assertVipOn(Host holder, Host other, Lan lan, InetAddress vip)
      throws InterruptedException {
    Thread.sleep(300);
    assertTrue(holder.hasAddress(holder.iface(lan), vip), holder.name());
    assertFalse(other.hasAddress(other.iface(lan), vip), other.name());
  }

  @Test
  void aSpringBootAppFailsOverAgainstKeepalivedAndReportsItsRoleOverHttp(Lab lab) throws Exception {
    Lan inside = lab.lan("inside");
    Lan uplink = lab.lan("uplink");
    Host kadHost = lab.host("kad", inside);
    Host appHost = lab.host("app", inside, uplink);
    InetAddress appAddress = appHost.ipv4(inside);
    InetAddress vip = inside.ipv4(100);

    KeepalivedConfig kadConfig = new KeepalivedConfig("kad");
    kadConfig
        .instance("VI_1")
        .iface(kadHost.iface(inside))
        .vrid(VRID)
        .priority(100)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip(vip.getHostAddress() + "/24");
    Keepalived kad = Keepalived.start(kadHost, kadConfig);

    SpringApplication app = new SpringApplication(App.class);
    String[] args = {
      "--server.address=" + appAddress.getHostAddress(),
      "--server.port=" + PORT,
      "--management.endpoints.web.exposure.include=health,info",
      "--management.endpoint.health.show-details=always",
      "--failover4j.vrrp.instances.web.interface=" + appHost.iface(inside),
      "--failover4j.vrrp.instances.web.vrid=" + VRID,
      "--failover4j.vrrp.instances.web.priority=150",
      "--failover4j.vrrp.instances.web.advert-interval=100ms",
      "--failover4j.vrrp.instances.web.virtual-addresses=" + vip.getHostAddress() + "/24",
      "--failover4j.vrrp.instances.web.track-interfaces[0].name=" + appHost.iface(uplink),
      "--failover4j.vrrp.instances.web.track-interfaces[0].weight=0"
    };
    // Run inside the namespace: netlink, raw sockets, Tomcat and their threads live there.
    ConfigurableApplicationContext context = appHost.call(() -> app.run(args));
    try {
      expect(appHost, appAddress, "MASTER", 200, "UP");
      kad.awaitState("VI_1", "BACKUP", WAIT);
      assertVipOn(appHost, kadHost, inside, vip);
      Map<String, Object> info = get(appHost, appAddress, "/actuator/info").body();
      assertTrue(info.toString().contains("vrid=" + VRID), info.toString());

      // The tracked uplink fails: FAULT, health DOWN over HTTP, keepalived takes over.
      appHost.linkDown(uplink);
      expect(appHost, appAddress, "FAULT", 503, "DOWN");
      kad.awaitState("VI_1", "MASTER", WAIT);
      assertVipOn(kadHost, appHost, inside, vip);

      // The link returns: the higher priority wins back.
      appHost.linkUp(uplink);
      expect(appHost, appAddress, "MASTER", 200, "UP");
      kad.awaitState("VI_1", "BACKUP", WAIT);
    } finally {
      context.close();
    }
    // Shutdown sent priority 0: keepalived is master again well within a Master_Down_Interval.
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(2));
    assertEquals(List.of(), kad.rejections());
  }

  /** The role {@code /actuator/health} reports for CARP host {@code db}. */
  private static String carpRole(Response health) {
    Map<String, Object> carp =
        Json.map(Json.map(health.body().get("components")).get("failover4jCarp"));
    Map<String, Object> hosts = Json.map(Json.map(carp.get("details")).get("hosts"));
    return String.valueOf(Json.map(hosts.get("db")).get("role"));
  }

  @Test
  @Interop(peers = {"ucarp"})
  void aSpringBootAppRunsACarpHostAgainstUcarpAndReportsItsRoleOverHttp(Lab lab) throws Exception {
    Lan inside = lab.lan("inside");
    Host ucHost = lab.host("uc", inside);
    Host appHost = lab.host("app", inside);
    InetAddress appAddress = appHost.ipv4(inside);
    InetAddress vip = inside.ipv4(101);

    SpringApplication app = new SpringApplication(App.class);
    String[] args = {
      "--server.address=" + appAddress.getHostAddress(),
      "--server.port=" + PORT,
      "--management.endpoints.web.exposure.include=health",
      "--management.endpoint.health.show-details=always",
      "--failover4j.carp.hosts.db.interface=" + appHost.iface(inside),
      "--failover4j.carp.hosts.db.vhid=12",
      "--failover4j.carp.hosts.db.passphrase=s3cr3t",
      "--failover4j.carp.hosts.db.counter-mode=ucarp-compatible",
      "--failover4j.carp.hosts.db.virtual-addresses=" + vip.getHostAddress() + "/24"
    };
    ConfigurableApplicationContext context = appHost.call(() -> app.run(args));
    Ucarp ucarp = null;
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      Response health = get(appHost, appAddress, "/actuator/health");
      while (!"MASTER".equals(carpRole(health)) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        health = get(appHost, appAddress, "/actuator/health");
      }
      assertEquals("MASTER", carpRole(health), health.body().toString());
      assertEquals(200, health.status());
      assertEquals("UP", health.body().get("status"));

      ucarp =
          Ucarp.start(
              ucHost,
              new UcarpConfig()
                  .iface(ucHost.iface(inside))
                  .sourceAddress(ucHost.ipv4(inside).getHostAddress())
                  .vhid(12)
                  .password("s3cr3t")
                  .virtualAddress(vip.getHostAddress(), 24)
                  .advbase(1)
                  .advskew(100));
      // ucarp accepts the application's adverts: it stays backup, its up script never runs.
      Thread.sleep(4_000);
      assertFalse(ucarp.log().contains("ucarp-up"), ucarp.log());
      assertVipOn(appHost, ucHost, inside, vip);
      assertEquals("MASTER", carpRole(get(appHost, appAddress, "/actuator/health")));
    } finally {
      context.close();
    }
    try {
      // Closing the context left with advbase = advskew = 255: ucarp takes over at its next poll.
      ucarp.awaitMaster(Duration.ofSeconds(3));
      assertVipOn(ucHost, appHost, inside, vip);
    } finally {
      ucarp.close();
    }
  }
}
