package org.failover4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.xfrm.NoSuchSaException;
import org.failover4j.xfrm.SaKernel;
import org.failover4j.xfrm.SaStateSync;
import org.failover4j.xfrm.SyncTransport;
import org.junit.jupiter.api.Test;

/** The CARP host and XFRM SA sync meters move with what the runtimes do. */
class CarpAndSaSyncMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();

  @Test
  void aCarpFailoverMovesTheRoleGaugesAndCounters() throws Exception {
    SimulatedNetwork lan = new SimulatedNetwork(loop, 5);
    CarpHost first = carp(lan, 1, 0);
    CarpHost second = carp(lan, 2, 100);
    try (CarpHostMetrics metrics = new CarpHostMetrics(second)) {
      metrics.bindTo(registry);
      loop.advanceBy(Duration.ofSeconds(10));
      assertEquals(Role.BACKUP, second.role());
      assertEquals(1.0, role("backup"));
      assertTrue(counter("failover4j.carp.adverts.accepted") >= 5);

      first.close();
      loop.advanceBy(Duration.ofSeconds(5));
      assertEquals(Role.MASTER, second.role());
      assertEquals(1.0, role("master"));
      assertEquals(0.0, role("backup"));
      assertTrue(counter("failover4j.carp.adverts.sent") >= 1);
    }
    assertTrue(registry.find("failover4j.carp.role").gauges().isEmpty(), "closed: removed");
    second.close();
  }

  @Test
  void forgedSyncMessagesAreCountedByReason() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Consumer<byte[]>> receiver =
        new java.util.concurrent.atomic.AtomicReference<>();
    SaStateSync sync =
        SaStateSync.builder()
            .loop(loop)
            .kernel(
                new SaKernel() {
                  @Override
                  public org.failover4j.xfrm.Aevent getAe(
                      org.failover4j.xfrm.SaId sa,
                      org.failover4j.xfrm.XfrmMark mark,
                      java.util.Set<org.failover4j.xfrm.AeFlag> wants)
                      throws NoSuchSaException {
                    throw new NoSuchSaException(sa, null);
                  }

                  @Override
                  public void setAe(org.failover4j.xfrm.Aevent values) {}
                })
            .transport(
                new SyncTransport() {
                  @Override
                  public void send(java.nio.ByteBuffer datagram) {}

                  @Override
                  public void start(Consumer<byte[]> r) {
                    receiver.set(r);
                  }

                  @Override
                  public void close() {}
                })
            .key("0123456789abcdef0123456789abcdef".getBytes())
            .nodeId(2)
            .build();
    sync.start();
    try (SaSyncMetrics metrics = new SaSyncMetrics(sync, Tags.of("pair", "gw"))) {
      metrics.bindTo(registry);
      receiver.get().accept(new byte[] {1, 2, 3});
      receiver.get().accept(new byte[200]);
      loop.advanceBy(Duration.ofMillis(10));
      double dropped =
          registry.find("failover4j.xfrm.sync.drops").tag("pair", "gw").functionCounters().stream()
              .mapToDouble(FunctionCounter::count)
              .sum();
      assertEquals(2.0, dropped, registry.getMetersAsString());
      assertEquals(
          0.0, registry.find("failover4j.xfrm.sync.messages.accepted").functionCounter().count());
    }
    sync.close();
  }

  private CarpHost carp(SimulatedNetwork lan, int n, int advskew) throws Exception {
    SimulatedPlatform platform =
        new SimulatedPlatform(loop)
            .attach("eth0", lan.addHost("h" + n, InetAddress.getByName("192.0.2." + (10 + n))));
    CarpHost host =
        CarpHost.builder()
            .platform(platform)
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.100/24")
                    .advskew(advskew)
                    .build())
            .build();
    host.start();
    return host;
  }

  private double role(String role) {
    return registry
        .find("failover4j.carp.role")
        .tag("vhid", "10")
        .tag("role", role)
        .gauge()
        .value();
  }

  private double counter(String name) {
    return registry.find(name).tag("vhid", "10").functionCounter().count();
  }
}
