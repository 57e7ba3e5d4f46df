package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * keepalived 2.4's {@code auth_hmac} roll-out and rotation between two failover4j routers on the
 * simulated LAN, one node reloaded at a time as keepalived's documentation does it, with no role
 * change at any step; and what the trailer protects against: a wrong key, a replayed master.
 */
class HmacRolloutSimulationTest {

  private static final String KEY_1 =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final String KEY_2 = "the second key, rotated in, 32+ bytes";
  private static final EnumSet<VrrpDropReason> HMAC =
      EnumSet.of(
          VrrpDropReason.HMAC_MISSING,
          VrrpDropReason.HMAC_MALFORMED,
          VrrpDropReason.HMAC_STALE,
          VrrpDropReason.HMAC_UNKNOWN_KEY,
          VrrpDropReason.HMAC_BAD,
          VrrpDropReason.HMAC_REPLAYED);

  private final SimulatedLan lan = new SimulatedLan(20);

  private static HmacAuthentication hmac(HmacMode mode, int active, String... keys) {
    HmacAuthentication.Builder b = HmacAuthentication.builder().mode(mode).activeKey(active);
    for (String key : keys) {
      b.key(key.equals(KEY_1) ? 1 : 2, key);
    }
    return b.build();
  }

  /** Reloads each node in turn, the backup first, letting a few adverts pass after each. */
  private void sweep(HmacAuthentication hmac, SimulatedLan.Node... order) {
    for (SimulatedLan.Node node : order) {
      node.instance().reloadAuthHmac(hmac);
      lan.loop.advanceBy(Duration.ofMillis(2500));
    }
  }

  private static long hmacDrops(SimulatedLan.Node node) {
    return HMAC.stream().mapToLong(r -> node.instance().statistics().dropped(r)).sum();
  }

  @ParameterizedTest(name = "VRRPv{0}")
  @ValueSource(ints = {2, 3})
  void rollsOutAndRotatesWithoutARoleChange(int version) {
    SimulatedLan.Node master = lan.add(200, b -> b.version(version));
    SimulatedLan.Node backup = lan.add(100, b -> b.version(version));
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(List.of(master), lan.masters());
    List<String> masterEvents = new ArrayList<>(master.events);
    List<String> backupEvents = new ArrayList<>(backup.events);

    sweep(hmac(HmacMode.RECEIVE_ONLY, 1, KEY_1), backup, master);
    sweep(hmac(HmacMode.PERMISSIVE, 1, KEY_1), backup, master);
    sweep(hmac(HmacMode.ENFORCE, 1, KEY_1), backup, master);
    sweep(hmac(HmacMode.ENFORCE, 1, KEY_1, KEY_2), backup, master);
    sweep(hmac(HmacMode.ENFORCE, 2, KEY_1, KEY_2), backup, master);
    sweep(hmac(HmacMode.ENFORCE, 2, KEY_2), backup, master);

    assertEquals(masterEvents, master.events, "no role change on the master");
    assertEquals(backupEvents, backup.events, "no role change on the backup");
    assertEquals(0, hmacDrops(master) + hmacDrops(backup), "nothing refused along the way");
    long before = backup.instance().statistics().advertsReceived();
    lan.loop.advanceBy(Duration.ofSeconds(3));
    assertTrue(backup.instance().statistics().advertsReceived() >= before + 2);
  }

  @Test
  void signingTowardsANodeWithoutTheKeysSplitsTheGroupWhichIsWhyReceiveOnlyComesFirst() {
    SimulatedLan.Node master = lan.add(200);
    SimulatedLan.Node backup = lan.add(100);
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(5));
    master.instance().reloadAuthHmac(hmac(HmacMode.PERMISSIVE, 1, KEY_1));
    lan.loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, backup.role(), "a trailer it cannot read is a wrong length");
    assertTrue(backup.instance().statistics().dropped(VrrpDropReason.LENGTH_MISMATCH) >= 3);
  }

  @Test
  void aWrongKeyIsRefusedAndCountedOnBothSides() {
    SimulatedLan.Node a = lan.add(200, b -> b.authHmac(hmac(HmacMode.ENFORCE, 1, KEY_1)));
    SimulatedLan.Node b = lan.add(100, c -> c.authHmac(hmac(HmacMode.ENFORCE, 2, KEY_2)));
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.MASTER, b.role(), "it cannot trust the other master");
    assertTrue(a.instance().statistics().dropped(VrrpDropReason.HMAC_UNKNOWN_KEY) >= 3);
    assertTrue(b.instance().statistics().dropped(VrrpDropReason.HMAC_UNKNOWN_KEY) >= 3);
  }

  @ParameterizedTest(name = "protected {0}")
  @ValueSource(booleans = {true, false})
  void replayedAdvertsOfACrashedMasterHoldTheBackupOnlyWithoutHmac(boolean protectedGroup) {
    HmacAuthentication hmac = protectedGroup ? hmac(HmacMode.ENFORCE, 1, KEY_1) : null;
    SimulatedLan.Node master = lan.add(200, b -> b.authHmac(hmac));
    SimulatedLan.Node backup = lan.add(100, b -> b.authHmac(hmac));
    SimulatedHost attacker = lan.network.addHost("attacker", SimulatedLan.ip("192.0.2.66"));
    List<ByteBuffer> captured = new ArrayList<>();
    attacker.onReceive(
        frame -> {
          if (frame.source().equals(master.host.address())) {
            captured.add(frame.payload());
          }
        });
    lan.nodes.forEach(SimulatedLan.Node::start);
    lan.loop.advanceBy(Duration.ofSeconds(15));
    assertEquals(Role.MASTER, master.role());
    master.crash();
    // A copy: an advert still on the wire at the crash reaches the attacker after it.
    List<ByteBuffer> lastFive = List.copyOf(captured.subList(captured.size() - 5, captured.size()));
    InetAddress group = SimulatedLan.ip("224.0.0.18");
    for (int i = 0; i < 10; i++) {
      attacker.send(group, lastFive.get(i % 5));
      lan.loop.advanceBy(Duration.ofMillis(900));
    }
    if (protectedGroup) {
      assertEquals(Role.MASTER, backup.role(), "replays did not hold it in BACKUP");
      VrrpStatistics s = backup.instance().statistics();
      assertTrue(
          s.dropped(VrrpDropReason.HMAC_REPLAYED) + s.dropped(VrrpDropReason.HMAC_STALE) >= 10,
          s.toString());
    } else {
      assertEquals(Role.BACKUP, backup.role(), "without HMAC a replayed master holds it");
    }
  }
}
