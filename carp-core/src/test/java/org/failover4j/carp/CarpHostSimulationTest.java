package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.carp.codec.CarpDropReason;
import org.failover4j.carp.replay.CounterMode;
import org.junit.jupiter.api.Test;

/**
 * {@link CarpHost}s on the simulated platform under virtual time: election, addresses on the master
 * only, listener events, a graceful handover by the 255/255 advert, demotion, a frozen master, and
 * a dead master's recorded adverts replayed into the LAN (replay-protected: the backup takes over
 * on time and counts them; ucarp mode: the backup is kept quiet).
 */
class CarpHostSimulationTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork lan = new SimulatedNetwork(loop, 42);
  private final List<SimulatedPlatform> platforms = new ArrayList<>();

  private CarpHost host(int index, int advskew, CounterMode mode) throws Exception {
    SimulatedHost simulated =
        lan.addHost("h" + index, InetAddress.getByName("192.0.2." + (10 + index)));
    SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", simulated);
    platforms.add(platform);
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
                    .counterMode(mode)
                    .build())
            .build();
    host.start();
    return host;
  }

  private boolean holdsAddress(int index) {
    return platforms.get(index).addresses("eth0").contains("192.0.2.100/24");
  }

  @Test
  void electsTheLeastSkewedHostAndMovesTheAddressOnAGracefulHandover() throws Exception {
    CarpHost a = host(0, 0, CounterMode.REPLAY_PROTECTED);
    CarpHost b = host(1, 100, CounterMode.REPLAY_PROTECTED);
    List<RoleChangeEvent> events = new CopyOnWriteArrayList<>();
    b.addListener(
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent event) {
            events.add(event);
          }
        },
        Runnable::run);
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.BACKUP, b.role());
    assertTrue(holdsAddress(0));
    assertFalse(holdsAddress(1));
    assertTrue(b.statistics().advertsReceived() >= 5, "" + b.statistics().advertsReceived());
    assertEquals(
        0,
        b.statistics().drops().values().stream().mapToLong(Long::longValue).sum(),
        "" + b.statistics().drops());

    long before = loop.nanoTime();
    a.close();
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(Role.MASTER, b.role(), "255/255 makes the backup take over at once");
    assertTrue(loop.nanoTime() - before < 20_000_000L);
    assertTrue(holdsAddress(1));
    assertFalse(holdsAddress(0));
    assertEquals(Role.STOPPED, a.role());
    // The listener came after start(): it first gets the current role, then the change.
    assertEquals(
        List.of(Role.BACKUP, Role.MASTER), events.stream().map(RoleChangeEvent::to).toList());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i).epoch() > events.get(i - 1).epoch());
    }
    b.close();
  }

  @Test
  void beforeTakeoverHooksRunOnTheLoopBeforeTheAddressMoves() throws Exception {
    CarpHost a = host(0, 0, CounterMode.REPLAY_PROTECTED);
    CarpHost b = host(1, 100, CounterMode.REPLAY_PROTECTED);
    List<String> seen = new CopyOnWriteArrayList<>();
    b.addBeforeTakeover(
        () -> seen.add(holdsAddress(1) + " " + b.role() + " in loop " + loop.inEventLoop()));
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(List.of(), seen, "a backup takes nothing over");

    a.close();
    loop.advanceBy(Duration.ofSeconds(5));
    assertEquals(Role.MASTER, b.role());
    assertTrue(holdsAddress(1));
    assertEquals(List.of("false BACKUP in loop true"), seen, "once, before the address");
    b.close();
  }

  @Test
  void aFrozenMasterIsReplacedAfterMasterDownAndDemotionMovesTheMaster() throws Exception {
    CarpHost a = host(0, 0, CounterMode.REPLAY_PROTECTED);
    CarpHost b = host(1, 100, CounterMode.REPLAY_PROTECTED);
    loop.advanceBy(Duration.ofSeconds(10));
    lan.hosts().get(0).crash();
    loop.advanceBy(Duration.ofMillis(3_390 + 1_000));
    assertEquals(Role.MASTER, b.role());
    lan.hosts().get(0).restart();
    loop.advanceBy(Duration.ofSeconds(3));
    assertEquals(Role.MASTER, a.role(), "the preferred master stays");
    assertEquals(Role.BACKUP, b.role(), "and the other steps down for it");

    a.setDemotion(5);
    loop.advanceBy(Duration.ofMillis(100));
    assertEquals(Role.MASTER, b.role(), "a less demoted backup takes over at once");
    assertEquals(Role.BACKUP, a.role());
    a.close();
    b.close();
  }

  @Test
  void aReplayedDeadMasterKeepsAUcarpModeBackupQuietButNotAReplayProtectedOne() throws Exception {
    for (CounterMode mode : CounterMode.values()) {
      VirtualTimeEventLoop l = new VirtualTimeEventLoop();
      SimulatedNetwork net = new SimulatedNetwork(l, 7);
      SimulatedHost masterHost = net.addHost("m", InetAddress.getByName("192.0.2.10"));
      SimulatedHost backupHost = net.addHost("b", InetAddress.getByName("192.0.2.11"));
      SimulatedHost attacker = net.addHost("x", InetAddress.getByName("192.0.2.66"));
      List<ByteBuffer> recorded = new ArrayList<>();
      attacker.onReceive(frame -> recorded.add(frame.payload()));
      CarpHostConfig.Builder config =
          CarpHostConfig.builder()
              .iface("eth0")
              .vhid(10)
              .passphrase("s3cr3t")
              .virtualAddress("192.0.2.100/24")
              .counterMode(mode);
      CarpHost master =
          CarpHost.builder()
              .platform(new SimulatedPlatform(l).attach("eth0", masterHost))
              .config(config.build())
              .build();
      master.start();
      l.advanceBy(Duration.ofSeconds(4));
      CarpHost backup =
          CarpHost.builder()
              .platform(new SimulatedPlatform(l).attach("eth0", backupHost))
              .config(config.advskew(100).build())
              .build();
      backup.start();
      l.advanceBy(Duration.ofSeconds(20));
      assertEquals(Role.MASTER, master.role());
      assertEquals(Role.BACKUP, backup.role());
      masterHost.crash();
      // The attacker replays the master's recorded adverts, one a second, oldest first.
      List<ByteBuffer> tape = List.copyOf(recorded);
      for (int i = 0; i < 10; i++) {
        attacker.send(InetAddress.getByName("224.0.0.18"), tape.get(tape.size() - 10 + i));
        l.advanceBy(Duration.ofSeconds(1));
      }
      if (mode == CounterMode.UCARP_COMPATIBLE) {
        assertEquals(Role.BACKUP, backup.role(), "the weakness: replays keep the backup quiet");
      } else {
        assertEquals(Role.MASTER, backup.role(), "replay-protected: takes over on time");
        assertEquals(
            10L,
            backup.statistics().drops().get(CarpDropReason.REPLAYED_COUNTER),
            "" + backup.statistics().drops());
        // A replay with one flipped byte in the counter is an HMAC failure.
        ByteBuffer flipped = ByteBuffer.allocate(56).put(tape.get(0).duplicate()).flip();
        flipped.put(30, (byte) (flipped.get(30) ^ 1));
        int sum = 0;
        flipped.putShort(26, (short) 0);
        sum = org.failover4j.api.InternetChecksum.add(sum, flipped, 20, 36);
        flipped.putShort(26, (short) org.failover4j.api.InternetChecksum.finish(sum));
        attacker.send(InetAddress.getByName("224.0.0.18"), flipped);
        l.advanceBy(Duration.ofMillis(10));
        assertEquals(1L, backup.statistics().drops().get(CarpDropReason.BAD_HMAC));
      }
      backup.close();
    }
  }

  @Test
  void ipv6VirtualHostsElectOverLinkLocalSources() throws Exception {
    List<CarpHost> hosts = new ArrayList<>();
    List<SimulatedPlatform> v6 = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      SimulatedHost simulated = lan.addHost("v6-" + i, InetAddress.getByName("fe80::" + (10 + i)));
      SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", simulated);
      v6.add(platform);
      CarpHost host =
          CarpHost.builder()
              .platform(platform)
              .config(
                  CarpHostConfig.builder()
                      .iface("eth0")
                      .vhid(20)
                      .passphrase("six")
                      .virtualAddress("2001:db8::20/64")
                      .advskew(i * 50)
                      .build())
              .build();
      host.start();
      hosts.add(host);
    }
    loop.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, hosts.get(0).role());
    assertEquals(Role.BACKUP, hosts.get(1).role());
    assertTrue(
        v6.get(0).addresses("eth0").contains("2001:db8:0:0:0:0:0:20/64"),
        "" + v6.get(0).addresses("eth0"));
    assertTrue(hosts.get(1).statistics().advertsReceived() >= 5);
    assertEquals(
        0, hosts.get(1).statistics().drops().values().stream().mapToLong(Long::longValue).sum());
    hosts.get(0).close();
    loop.advanceBy(Duration.ofMillis(10));
    assertEquals(Role.MASTER, hosts.get(1).role());
    hosts.get(1).close();
  }

  @Test
  void theConfigurationNamesTheField() {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("01234567890123456789")
                    .counterMode(CounterMode.UCARP_COMPATIBLE)
                    .virtualAddress("192.0.2.100/24")
                    .build());
    assertTrue(e.getMessage().contains("passphrase"), e.getMessage());
    assertThrows(
        InvalidConfigurationException.class,
        () ->
            CarpHostConfig.builder()
                .iface("eth0")
                .vhid(10)
                .passphrase("x")
                .virtualAddress("192.0.2.100/24")
                .virtualAddress("192.0.2.100/24")
                .build());
    String text =
        CarpHostConfig.builder()
            .iface("eth0")
            .vhid(10)
            .passphrase("hunter2")
            .virtualAddress("192.0.2.100/24")
            .build()
            .toString();
    assertFalse(text.contains("hunter2"), text);
  }
}
