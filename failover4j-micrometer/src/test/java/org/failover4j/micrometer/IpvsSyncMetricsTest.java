package org.failover4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.TcpState;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * Two IPVS sync channels over real multicast in lab namespaces: the master's send counters and the
 * backup's receive counters move with the connections synced, and the mode gauges follow roles.
 */
@Interop
class IpvsSyncMetricsTest {

  private static final int CONNECTIONS = 50;

  private static IpvsSyncChannel open(Host host, Lan lan) throws Exception {
    NetworkInterface nif = host.call(() -> NetworkInterface.getByName(host.iface(lan)));
    SyncConfig config = SyncConfig.builder().networkInterface(nif).syncId(7).build();
    IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config).build();
    host.call(
        () -> {
          channel.start(); // the sockets and threads belong to the host's namespace
          return null;
        });
    return channel;
  }

  @Test
  void countersFollowWhatTheMasterSendsAndTheBackupApplies(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    SimpleMeterRegistry masterMeters = new SimpleMeterRegistry();
    SimpleMeterRegistry backupMeters = new SimpleMeterRegistry();
    try (IpvsSyncChannel master = open(lab.host("a", lan), lan);
        IpvsSyncChannel backup = open(lab.host("b", lan), lan)) {
      new IpvsSyncMetrics(master).bindTo(masterMeters);
      IpvsSyncMetrics backupBinder = new IpvsSyncMetrics(backup);
      backupBinder.bindTo(backupMeters);
      assertEquals(1.0, mode(masterMeters, "idle"));

      master.startMaster();
      backup.startBackup();
      await(() -> mode(masterMeters, "master") == 1.0 && mode(backupMeters, "backup") == 1.0);
      for (int i = 0; i < CONNECTIONS; i++) {
        master.sync(connection(i));
      }
      master.flush();
      await(() -> count(backupMeters, "entries.applied") == CONNECTIONS);

      assertEquals(CONNECTIONS, count(masterMeters, "entries.sent"));
      assertTrue(count(masterMeters, "messages.sent") >= 1);
      assertEquals(count(masterMeters, "messages.sent"), count(backupMeters, "messages.received"));
      assertEquals(0.0, count(masterMeters, "send.errors"));
      assertEquals(0.0, count(masterMeters, "messages.received"));
      assertEquals(0.0, count(backupMeters, "entries.sent"));
      assertEquals(
          "7", masterMeters.get("failover4j.ipvs.sync.mode").gauge().getId().getTag("sync.id"));
      double drops =
          backupMeters.get("failover4j.ipvs.sync.drops").functionCounters().stream()
              .mapToDouble(FunctionCounter::count)
              .sum();
      assertEquals(0.0, drops);

      // A backup given connections sends none: counted as not synced.
      backup.sync(connection(999));
      await(() -> count(backupMeters, "not.synced") == 1.0);
      backupBinder.close();
      assertEquals(List.of(), backupMeters.getMeters());
    }
  }

  private static double mode(SimpleMeterRegistry registry, String mode) {
    return registry.get("failover4j.ipvs.sync.mode").tag("mode", mode).gauge().value();
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    return registry.get("failover4j.ipvs.sync." + name).functionCounter().count();
  }

  private static SyncConnection connection(int n) throws Exception {
    return SyncConnection.builder()
        .protocol(6)
        .client(InetAddress.getByName("198.51.100." + (1 + n % 200)), 10_000 + n)
        .virtual(InetAddress.getByName("192.0.2.100"), 80)
        .destination(InetAddress.getByName("192.0.2.21"), 8080)
        .state(TcpState.ESTABLISHED)
        .timeout(Duration.ofSeconds(900))
        .build();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(20);
    }
  }
}
