package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.failover4j.api.Role;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.TransitionReason;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * Two load balancers in network namespaces sync their connections over real multicast: the master's
 * table arrives intact on the backup, churn included, and a role flip turns the direction around.
 * tshark watches the wire.
 */
@Interop(peers = {"tshark"})
class IpvsSyncChannelInteropTest {

  private static final int SYNC_ID = 9;
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** One node: its host, its channel and the role source that drives it like a VRRP instance. */
  private record Node(Host host, IpvsSyncChannel channel, RolePublisher role) {
    void become(Role next) {
      role.publish(next, TransitionReason.STARTUP, Instant.now());
    }
  }

  private static Node node(Host host, Lan lan, InetAddress group) throws Exception {
    NetworkInterface nif = host.call(() -> NetworkInterface.getByName(host.iface(lan)));
    SyncConfig config =
        SyncConfig.builder()
            .group(group)
            .networkInterface(nif)
            .syncId(SYNC_ID)
            .receiveBufferSize(4 << 20)
            .build();
    // Opened inside the host: the sockets and the channel's threads belong to its namespace.
    IpvsSyncChannel channel = IpvsSyncChannel.builder().config(config).build();
    host.call(
        () -> {
          channel.start();
          return null;
        });
    RolePublisher role = new RolePublisher(host.name(), Instant.now());
    role.addListener(channel);
    return new Node(host, channel, role);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static Set<SyncConnection> table(Node node) throws Exception {
    return new HashSet<>(node.channel().snapshot().get(10, TimeUnit.SECONDS));
  }

  /** What the backup should hold for the master's latest state of each connection. */
  private static Set<SyncConnection> keptOnBackup(Map<Integer, SyncConnection> master) {
    Set<SyncConnection> kept = new HashSet<>();
    for (SyncConnection c : master.values()) {
      kept.add(SyncRoundTripPropertyTest.asKept(SyncVersion.V1, c));
    }
    return kept;
  }

  private static void awaitTable(Node backup, Set<SyncConnection> expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Set<SyncConnection> actual = table(backup);
    while (!actual.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      actual = table(backup);
    }
    Set<SyncConnection> missing = new HashSet<>(expected);
    missing.removeAll(actual);
    Set<SyncConnection> unexpected = new HashSet<>(actual);
    unexpected.removeAll(expected);
    assertTrue(
        missing.isEmpty() && unexpected.isEmpty(),
        missing.size()
            + " missing, e.g. "
            + missing.stream().limit(2).toList()
            + "; "
            + unexpected.size()
            + " unexpected, e.g. "
            + unexpected.stream().limit(2).toList()
            + "; drops "
            + backup.channel().statistics().drops());
  }

  @Test
  void tenThousandConnectionsWithChurnThenARoleFlipReversesTheDirection(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Node a = node(lab.host("a", lan), lan, SyncConfig.DEFAULT_GROUP);
    Node b = node(lab.host("b", lan), lan, SyncConfig.DEFAULT_GROUP);
    Capture wire = lan.capture("ipvs", "udp port 8848");
    try {
      a.become(Role.MASTER);
      b.become(Role.BACKUP);
      await("roles", () -> a.channel().mode() == IpvsSyncChannel.Mode.MASTER);
      await("roles", () -> b.channel().mode() == IpvsSyncChannel.Mode.BACKUP);

      LabConnections generator = new LabConnections(new Random(42));
      Map<Integer, SyncConnection> onA = new HashMap<>();
      for (int i = 0; i < 10_000; i++) {
        SyncConnection c = generator.next(i);
        onA.put(i, c);
        a.channel().sync(c);
      }
      awaitTable(b, keptOnBackup(onA));

      // Churn: state changes, new connections, moves to another real server, and closes that
      // the backup expires on its own after their short timeout.
      Random random = new Random(7);
      for (int i = 0; i < 3_000; i++) {
        int key = random.nextInt(10_000);
        SyncConnection c = generator.updated(onA.get(key));
        onA.put(key, c);
        a.channel().sync(c);
      }
      for (int i = 10_000; i < 11_000; i++) {
        SyncConnection c = generator.next(i);
        onA.put(i, c);
        a.channel().sync(c);
      }
      for (int i = 0; i < 200; i++) {
        SyncConnection c = onA.get(i * 7);
        if (!c.isTemplate()) {
          SyncConnection moved = generator.moved(c);
          onA.put(i * 7, moved);
          a.channel().sync(moved);
        }
      }
      for (int i = 0; i < 500; i++) {
        SyncConnection closing = generator.closing(onA.remove(5_000 + i));
        a.channel().sync(closing);
      }
      a.channel().flush();
      awaitTable(b, keptOnBackup(onA));
      assertEquals(
          0, b.channel().statistics().totalDropped(), b.channel().statistics().drops().toString());
      assertEquals(0, a.channel().statistics().sendFailures());

      // The flip: b now sends what it holds, refreshed, and a keeps it; b ignores a.
      a.become(Role.BACKUP);
      b.become(Role.MASTER);
      await("flip", () -> a.channel().mode() == IpvsSyncChannel.Mode.BACKUP);
      await("flip", () -> b.channel().mode() == IpvsSyncChannel.Mode.MASTER);
      Set<SyncConnection> onB = table(b);
      Map<Integer, SyncConnection> resent = new HashMap<>();
      int n = 0;
      for (SyncConnection c : onB) {
        SyncConnection refreshed = c.toBuilder().timeout(Duration.ofSeconds(3600)).build();
        resent.put(n++, refreshed);
        b.channel().sync(refreshed);
      }
      long bApplied = b.channel().statistics().entriesApplied();
      a.channel().sync(generator.next(99_999));
      b.channel().flush();
      awaitTable(a, keptOnBackup(resent));
      assertEquals(
          bApplied, b.channel().statistics().entriesApplied(), "the new master applies nothing");
      assertEquals(1, a.channel().statistics().entriesNotSynced(), "the new backup sends nothing");

      List<List<String>> frames =
          wire.fields(Capture.DECODE_IPVS, "ipvs", "ipvs.syncid", "ipvs.conncount", "udp.length");
      long entries = 0;
      for (List<String> frame : frames) {
        assertEquals(String.valueOf(SYNC_ID), frame.get(0));
        entries += Long.parseLong(frame.get(1));
        assertTrue(Integer.parseInt(frame.get(2)) - 8 <= 1472, "message size " + frame);
      }
      assertEquals(
          a.channel().statistics().entriesSent() + b.channel().statistics().entriesSent(), entries);
    } finally {
      a.channel().close();
      b.channel().close();
    }
  }

  @Test
  void ipv6GroupCarriesIpv4AndIpv6Connections(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    InetAddress group = InetAddress.getByName("ff02::8848");
    Node a = node(lab.host("a", lan), lan, group);
    Node b = node(lab.host("b", lan), lan, group);
    try {
      a.become(Role.MASTER);
      b.become(Role.BACKUP);
      await("roles", () -> a.channel().mode() == IpvsSyncChannel.Mode.MASTER);
      await("roles", () -> b.channel().mode() == IpvsSyncChannel.Mode.BACKUP);
      LabConnections generator = new LabConnections(new Random(3));
      Map<Integer, SyncConnection> onA = new HashMap<>();
      for (int i = 0; i < 1_000; i++) {
        SyncConnection c = generator.next(i);
        onA.put(i, c);
        a.channel().sync(c);
      }
      a.channel().flush();
      awaitTable(b, keptOnBackup(onA));
      assertTrue(a.channel().statistics().messagesSent() >= 1000 * 36 / 1452);

      // In FAULT the backup leaves the group: what the master sends meanwhile never arrives.
      b.become(Role.FAULT);
      await("fault", () -> b.channel().mode() == IpvsSyncChannel.Mode.IDLE);
      long sentBefore = a.channel().statistics().entriesSent();
      for (int i = 1_000; i < 1_010; i++) {
        a.channel().sync(generator.next(i));
      }
      a.channel().flush();
      await("sent", () -> a.channel().statistics().entriesSent() == sentBefore + 10);
      b.become(Role.BACKUP);
      await("backup", () -> b.channel().mode() == IpvsSyncChannel.Mode.BACKUP);
      SyncConnection marker = generator.next(2_000);
      onA.put(2_000, marker);
      a.channel().sync(marker);
      a.channel().flush();
      awaitTable(b, keptOnBackup(onA));
    } finally {
      a.channel().close();
      b.channel().close();
    }
  }
}
