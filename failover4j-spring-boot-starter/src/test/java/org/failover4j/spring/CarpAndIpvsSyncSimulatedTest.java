package org.failover4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.Role;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.TcpState;
import org.failover4j.lab.Json;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.xfrm.AeFlag;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.NoSuchSaException;
import org.failover4j.xfrm.SaId;
import org.failover4j.xfrm.SaKernel;
import org.failover4j.xfrm.SaStateSync;
import org.failover4j.xfrm.UdpSyncTransport;
import org.failover4j.xfrm.XfrmMark;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot web application configured only by properties runs a CARP host on the simulated
 * platform and an IPVS sync channel (real UDP multicast on loopback) that follows the host's role:
 * the host becomes master beside a slower peer and the channel sends the connection table; a
 * preempting peer takes over and the channel turns backup. An application's SA state sync bean
 * marked {@link FollowRole} follows the same host. Events, health over HTTP and meters follow each
 * step.
 */
@SpringBootTest(
    classes = CarpAndIpvsSyncSimulatedTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "management.endpoints.web.exposure.include=health",
      "management.endpoint.health.show-details=always",
      "failover4j.platform=simulated",
      "failover4j.carp.hosts.db.interface=eth0",
      "failover4j.carp.hosts.db.vhid=10",
      "failover4j.carp.hosts.db.passphrase=s3cr3t",
      "failover4j.carp.hosts.db.advskew=50",
      "failover4j.carp.hosts.db.virtual-addresses=192.0.2.50/24",
      "failover4j.ipvs.sync.lb.follow=db",
      "failover4j.ipvs.sync.lb.interface=lo",
      "failover4j.ipvs.sync.lb.sync-id=7",
      "failover4j.ipvs.sync.lb.port=" + CarpAndIpvsSyncSimulatedTest.SYNC_PORT
    })
class CarpAndIpvsSyncSimulatedTest {

  static final int SYNC_PORT = 18851;

  /** The application: the starter, actuator, the web server and an event recorder. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Recorder recorder() {
      return new Recorder();
    }

    /**
     * An SA state sync the application builds itself (its keys are its own business) and asks to
     * follow the CARP host; its peer is a UDP port on loopback nobody answers.
     */
    @Bean(destroyMethod = "close")
    @FollowRole("db")
    SaStateSync saSync(SimulatedLan lan) throws Exception {
      SaStateSync sync =
          SaStateSync.builder()
              .loop(lan.loop())
              .kernel(new NoSas())
              .transport(
                  UdpSyncTransport.open(
                      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                      new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)))
              .key(new byte[32])
              .nodeId(1)
              .build();
      sync.start();
      return sync;
    }
  }

  /** A kernel with no SAs: this test is about whom the sync follows, not what it installs. */
  static final class NoSas implements SaKernel {
    @Override
    public Aevent getAe(SaId sa, XfrmMark mark, Set<AeFlag> wants) throws IOException {
      throw new NoSuchSaException(sa, null);
    }

    @Override
    public void setAe(Aevent values) throws IOException {
      throw new NoSuchSaException(values.sa(), null);
    }
  }

  /** Keeps the role events the application receives. */
  static class Recorder {
    final List<RoleChangedEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(RoleChangedEvent e) {
      events.add(e);
    }
  }

  @Autowired CarpHosts carp;
  @Autowired IpvsSyncChannels sync;
  @Autowired SimulatedLan lan;
  @Autowired Recorder recorder;
  @Autowired MeterRegistry registry;
  @Autowired SaStateSync saSync;
  @LocalServerPort int port;

  private CarpHostConfig.Builder peerConfig() {
    return CarpHostConfig.builder()
        .iface("eth0")
        .vhid(10)
        .passphrase("s3cr3t")
        .virtualAddress("192.0.2.50/24");
  }

  @Test
  void theSyncChannelFollowsTheCarpHostThroughAFailover() throws Exception {
    CarpHost db = carp.host("db");
    IpvsSyncChannel channel = sync.channels().get("lb");
    SimulatedPlatform slowPlatform = lan.peerPlatform("eth0", "192.0.2.2");
    CarpHost slow =
        CarpHost.builder().platform(slowPlatform).config(peerConfig().advskew(200).build()).build();
    try {
      slow.start();
      assertThat(db.awaitRole(Role.MASTER, Duration.ofSeconds(10))).isTrue();
      SimulatedFailoverTest.await(() -> channel.mode() == IpvsSyncChannel.Mode.MASTER);
      assertThat(lan.addresses("eth0")).contains("192.0.2.50/24");
      SimulatedFailoverTest.await(
          () -> recorder.events.stream().anyMatch(e -> e.name().equals("db") && e.isMaster()));
      RoleChangedEvent master =
          recorder.events.stream().filter(RoleChangedEvent::isMaster).findFirst().orElseThrow();
      assertEquals(RoleChangedEvent.Kind.CARP_HOST, master.kind());

      // The master's channel sends (on loopback; its sockets do not loop multicast back, so no
      // receiver in this process could hear it: the lab tests cover receiving).
      SyncConnection connection =
          SyncConnection.builder()
              .protocol(6)
              .client(InetAddress.getByName("198.51.100.8"), 40001)
              .virtual(InetAddress.getByName("192.0.2.50"), 80)
              .destination(InetAddress.getByName("192.0.2.22"), 8080)
              .state(TcpState.ESTABLISHED)
              .build();
      channel.sync(connection);
      channel.flush();
      SimulatedFailoverTest.await(() -> channel.statistics().entriesSent() == 1);
      assertEquals(0, channel.statistics().sendFailures());

      Map<String, Object> health = health();
      assertEquals("UP", health.get("status"));
      assertEquals("MASTER", carpDetail(health).get("role"));
      assertEquals(10L, carpDetail(health).get("vhid"));
      assertEquals(Role.MASTER, saSync.role());
      Map<String, Object> saFollower = follower(health, "bean saSync");
      assertEquals("MASTER", saFollower.get("role"));
      assertEquals(true, saFollower.get("inStep"));
      assertThat(registry.get("failover4j.xfrm.sync.sas").tag("sync", "saSync").gauge().value())
          .isEqualTo(0.0);
      Map<String, Object> follower = syncDetail(health);
      assertEquals("db", follower.get("follows"));
      assertEquals("MASTER", follower.get("role"));
      assertEquals(true, follower.get("inStep"));
      assertThat(
              registry
                  .get("failover4j.carp.role")
                  .tag("vhid", "10")
                  .tag("role", "master")
                  .gauge()
                  .value())
          .isEqualTo(1.0);
      assertThat(
              registry
                  .get("failover4j.ipvs.sync.messages.sent")
                  .tag("sync.id", "7")
                  .functionCounter()
                  .count())
          .isPositive();

      // A faster, preempting peer takes over: the host turns backup, and so does its channel.
      CarpHost fast =
          CarpHost.builder()
              .platform(lan.peerPlatform("eth0", "192.0.2.3"))
              .config(peerConfig().advskew(0).preempt(true).build())
              .build();
      try {
        fast.start();
        assertThat(fast.awaitRole(Role.MASTER, Duration.ofSeconds(10))).isTrue();
        assertThat(db.awaitRole(Role.BACKUP, Duration.ofSeconds(10))).isTrue();
        SimulatedFailoverTest.await(() -> channel.mode() == IpvsSyncChannel.Mode.BACKUP);
        SimulatedFailoverTest.await(
            () -> "BACKUP".equals(carpDetail(uncheckedHealth()).get("role")));
        Map<String, Object> afterwards = uncheckedHealth();
        assertEquals("BACKUP", syncDetail(afterwards).get("role"));
        assertEquals(Role.BACKUP, saSync.role());
        assertEquals(true, syncDetail(afterwards).get("inStep"));
        assertThat(lan.addresses("eth0")).doesNotContain("192.0.2.50/24");
      } finally {
        fast.close();
      }
    } finally {
      slow.close();
      slowPlatform.close();
    }
  }

  private Map<String, Object> health() throws Exception {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/actuator/health").toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      c.disconnect();
    }
  }

  private Map<String, Object> uncheckedHealth() {
    try {
      return health();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> component(Map<String, Object> health, String name) {
    return Json.map(Json.map(Json.map(health.get("components")).get(name)).get("details"));
  }

  private static Map<String, Object> carpDetail(Map<String, Object> health) {
    return Json.map(Json.map(component(health, "failover4jCarp").get("hosts")).get("db"));
  }

  private static Map<String, Object> syncDetail(Map<String, Object> health) {
    return follower(health, "ipvs-sync lb");
  }

  private static Map<String, Object> follower(Map<String, Object> health, String name) {
    return Json.map(Json.map(component(health, "failover4jSync").get("followers")).get(name));
  }
}
