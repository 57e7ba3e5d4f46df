package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * keepalived 2.4's {@code auth_hmac} against a keepalived 2.4 binary built from source (Debian has
 * none; see PROTOCOLS.md for the recipe): set {@code FAILOVER4J_KEEPALIVED} to its path. Without it
 * every test here says loudly that it skipped, also under {@code -Dfailover4j.interop=required} (CI
 * has no 2.4): the committed capture ({@code KeepalivedHmacCaptureTest}) stands in there.
 *
 * <p>VRRPv3 over IPv4, 1 s adverts, the default 5 s window, both ends on one LAN. The replay test
 * also needs {@code python3} (it sends recorded frames on a packet socket).
 */
@Interop(peers = {"tshark"})
class Keepalived24HmacInteropTest {

  static final String ENV = "FAILOVER4J_KEEPALIVED";
  private static final int VRID = 71;
  private static final String VIP = "192.0.2.100/24";
  private static final String KEY_1 =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final String KEY_2 = "failover4j-interop-second-key-32+bytes";
  private static final String WRONG_KEY = "failover4j-interop-a-key-nobody-shares";

  private String binary;

  @BeforeEach
  void needsKeepalived24() throws Exception {
    String path = System.getenv(ENV);
    if (path == null || path.isBlank()) {
      String message =
          "INTEROP TEST SKIPPED: keepalived 2.4 auth_hmac: "
              + ENV
              + " does not name a keepalived 2.4 binary (build v2.4.3 from source as"
              + " PROTOCOLS.md says; the committed capture is verified instead)";
      System.err.println("\n*** " + message + " ***\n");
      Assumptions.abort(message);
    }
    Process version = new ProcessBuilder(path, "--version").redirectErrorStream(true).start();
    String text = new String(version.getInputStream().readAllBytes());
    version.waitFor(10, TimeUnit.SECONDS);
    assertTrue(text.contains("Keepalived v2.4."), ENV + "=" + path + " is not 2.4: " + text);
    binary = path;
  }

  /** keepalived's auth_hmac block; keys are (id, value) pairs. */
  private static String authHmac(String mode, int active, Object... keys) {
    StringBuilder b = new StringBuilder("auth_hmac {\n");
    for (int i = 0; i < keys.length; i += 2) {
      b.append("    key ").append(keys[i]).append(' ').append(keys[i + 1]).append('\n');
    }
    b.append("    active_key ").append(active).append('\n');
    b.append("    mode ").append(mode).append('\n');
    return b.append("  }").toString();
  }

  private static HmacAuthentication hmac(HmacMode mode, int active, Object... keys) {
    HmacAuthentication.Builder b = HmacAuthentication.builder().mode(mode).activeKey(active);
    for (int i = 0; i < keys.length; i += 2) {
      b.key((Integer) keys[i], (String) keys[i + 1]);
    }
    return b.build();
  }

  private static KeepalivedConfig keepalived(int priority, String authHmac) {
    KeepalivedConfig config = new KeepalivedConfig("kad");
    KeepalivedConfig.Instance i =
        config.instance("VI_1").iface("eth0").vrid(VRID).priority(priority).version(3).vip(VIP);
    if (authHmac != null) {
      i.line(authHmac);
    }
    return config;
  }

  private static VrrpRouter.Builder java(int priority, HmacAuthentication hmac) {
    return VrrpRouter.builder()
        .instance(
            VrrpInstanceConfig.builder("VI_1")
                .iface("eth0")
                .vrid(VRID)
                .priority(priority)
                .virtualAddress(VIP)
                .authHmac(hmac)
                .build());
  }

  private static long hmacDrops(VrrpInstance instance) {
    long n = 0;
    for (VrrpDropReason r : VrrpDropReason.values()) {
      if (r.name().startsWith("HMAC_")) {
        n += instance.statistics().dropped(r);
      }
    }
    return n;
  }

  /** keepalived as the master (priority 150), enforcing with key 1. */
  private Keepalived keepalivedMasterWithKey1(Host host) {
    Keepalived kad =
        Keepalived.start(host, keepalived(150, authHmac("enforce", 1, 1, KEY_1)), binary);
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    return kad;
  }

  @Test
  void failover4jBackupAcceptsKeepalivedsAdvertsAndTakesOverWhenItFreezes(Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Keepalived kad = keepalivedMasterWithKey1(kadHost);
    try (JavaRouter java =
        JavaRouter.start(javaHost, java(100, hmac(HmacMode.ENFORCE, 1, 1, KEY_1)))) {
      VrrpInstance instance = java.instance("VI_1");
      assertTrue(instance.awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
      Thread.sleep(5_000);
      assertEquals(Role.BACKUP, instance.role(), "keepalived's signed adverts are accepted");
      assertEquals(0, instance.statistics().totalDropped(), instance.statistics().toString());
      assertTrue(instance.statistics().advertsReceived() >= 4);

      kad.freeze();
      assertTrue(instance.awaitRole(Role.MASTER, Duration.ofSeconds(5)), "takes over");
      kad.thaw();
      assertTrue(instance.awaitRole(Role.BACKUP, Duration.ofSeconds(5)), "yields again");
      assertEquals(0, hmacDrops(instance), instance.statistics().toString());
    }
  }

  @Test
  void keepalivedBackupAcceptsFailover4jsAdverts(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    try (JavaRouter java =
        JavaRouter.start(javaHost, java(150, hmac(HmacMode.ENFORCE, 2, 1, KEY_1, 2, KEY_2)))) {
      assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
      Keepalived kad =
          Keepalived.start(
              kadHost, keepalived(100, authHmac("enforce", 1, 1, KEY_1, 2, KEY_2)), binary);
      kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(10));
      Thread.sleep(6_000);
      assertEquals(0, kad.countState("VI_1", "MASTER"), kad.log());
      assertEquals(List.of(), kad.rejections());
    }
  }

  @Test
  void aWrongKeyIsRefusedAndCountedOnBothSides(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Keepalived kad = keepalivedMasterWithKey1(kadHost);
    int kadBackup = kad.countState("VI_1", "BACKUP");
    try (JavaRouter java =
        JavaRouter.start(javaHost, java(100, hmac(HmacMode.ENFORCE, 1, 1, WRONG_KEY)))) {
      VrrpInstance instance = java.instance("VI_1");
      assertTrue(instance.awaitRole(Role.MASTER, Duration.ofSeconds(6)), "it trusts no one");
      Thread.sleep(3_000);
      assertTrue(
          instance.statistics().dropped(VrrpDropReason.HMAC_BAD) >= 3,
          instance.statistics().toString());
      assertTrue(kad.count("invalid authentication HMAC") >= 1, kad.log());
      assertEquals(
          kadBackup, kad.countState("VI_1", "BACKUP"), "keepalived refused failover4j too");
    }
  }

  @Test
  void replayedAdvertsOfAFrozenKeepalivedDoNotHoldFailover4jInBackup(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    Host eve = lab.host("eve", lan);
    Keepalived kad = keepalivedMasterWithKey1(kadHost);
    try (JavaRouter java =
        JavaRouter.start(javaHost, java(100, hmac(HmacMode.ENFORCE, 1, 1, KEY_1)))) {
      VrrpInstance instance = java.instance("VI_1");
      assertTrue(instance.awaitRole(Role.BACKUP, Duration.ofSeconds(5)));
      Capture wire = lan.capture("recorded", "ip proto 112");
      Thread.sleep(4_000);
      Path recorded = wire.stop();
      Path frames = lab.file("replay.hex");
      Files.write(frames, ethernetFramesAsHex(recorded));
      int before = java.events.size();
      kad.freeze();
      LabProcess replay =
          eve.start(
              "replay",
              List.of("python3", "-c", REPLAY, eve.iface(lan), frames.toString(), "0.25", "40"));
      assertTrue(
          instance.awaitRole(Role.MASTER, Duration.ofSeconds(6)),
          "replayed adverts held failover4j in BACKUP: " + instance.statistics());
      replay.stop(Duration.ofSeconds(1));
      long refused =
          instance.statistics().dropped(VrrpDropReason.HMAC_REPLAYED)
              + instance.statistics().dropped(VrrpDropReason.HMAC_STALE);
      assertTrue(refused >= 3, "the replays arrived and were refused: " + instance.statistics());
      assertTrue(java.events.size() > before);
      kad.thaw();
    }
  }

  @ParameterizedTest(name = "keepalived master {0}")
  @ValueSource(booleans = {true, false})
  void rollOutAndRotationAreHitlessAgainstKeepalived(boolean keepalivedMaster, Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    int kadPriority = keepalivedMaster ? 150 : 100;
    int javaPriority = keepalivedMaster ? 100 : 150;
    Keepalived kad = null;
    JavaRouter java = null;
    try {
      if (keepalivedMaster) {
        kad = Keepalived.start(kadHost, keepalived(kadPriority, null), binary);
        kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
        java = JavaRouter.start(javaHost, java(javaPriority, null));
      } else {
        java = JavaRouter.start(javaHost, java(javaPriority, null));
        assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
        kad = Keepalived.start(kadHost, keepalived(kadPriority, null), binary);
      }
      VrrpInstance instance = java.instance("VI_1");
      Role javaRole = keepalivedMaster ? Role.BACKUP : Role.MASTER;
      assertTrue(instance.awaitRole(javaRole, Duration.ofSeconds(5)));
      kad.awaitState("VI_1", keepalivedMaster ? "MASTER" : "BACKUP", Duration.ofSeconds(10));
      Thread.sleep(2_000);
      List<RoleChangeEvent> javaEvents = new ArrayList<>(java.events);
      String kadState = keepalivedMaster ? "MASTER" : "BACKUP";
      String kadOther = keepalivedMaster ? "BACKUP" : "MASTER";
      int kadEntered = kad.countState("VI_1", kadState);
      int kadOtherEntered = kad.countState("VI_1", kadOther);

      Object[][] steps = {
        {"receive-only", 1, new Object[] {1, KEY_1}},
        {"permissive", 1, new Object[] {1, KEY_1}},
        {"enforce", 1, new Object[] {1, KEY_1}},
        {"enforce", 1, new Object[] {1, KEY_1, 2, KEY_2}},
        {"enforce", 2, new Object[] {1, KEY_1, 2, KEY_2}},
        {"enforce", 2, new Object[] {2, KEY_2}},
      };
      for (Object[] step : steps) {
        String mode = (String) step[0];
        int active = (Integer) step[1];
        Object[] keys = (Object[]) step[2];
        // The backup first, then the master, as keepalived's documentation sweeps a group.
        Keepalived k = kad;
        if (keepalivedMaster) {
          instance.reloadAuthHmac(hmac(HmacMode.parse(mode), active, keys));
          Thread.sleep(2_500);
          k.reload(keepalived(kadPriority, authHmac(mode, active, keys)));
          Thread.sleep(2_500);
        } else {
          k.reload(keepalived(kadPriority, authHmac(mode, active, keys)));
          Thread.sleep(2_500);
          instance.reloadAuthHmac(hmac(HmacMode.parse(mode), active, keys));
          Thread.sleep(2_500);
        }
        String where = mode + " with active key " + active;
        assertEquals(javaEvents, java.events, "failover4j's role changed at " + where);
        assertEquals(
            kadOtherEntered, kad.countState("VI_1", kadOther), "keepalived's role at " + where);
        assertEquals(List.of(), kad.rejections(), where);
        assertEquals(0, hmacDrops(instance), where + ": " + instance.statistics());
      }
      assertTrue(kad.countState("VI_1", kadState) >= kadEntered);
      assertFalse(kad.log().contains("missing authentication trailer"), kad.log());
    } finally {
      if (java != null) {
        java.close();
      }
      if (kad != null) {
        kad.close();
      }
    }
  }

  /** The Ethernet frames of a classic pcap, one hex line each. */
  private static List<String> ethernetFramesAsHex(Path pcap) throws Exception {
    List<String> lines = new ArrayList<>();
    try (CaptureReader reader =
        CaptureReader.open(new ByteArrayInputStream(Files.readAllBytes(pcap)))) {
      for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
        byte[] bytes = new byte[f.capturedLength()];
        f.data().duplicate().get(bytes);
        lines.add(HexFormat.of().formatHex(bytes));
      }
    }
    assertFalse(lines.isEmpty(), "nothing recorded");
    return lines;
  }

  /** Sends the recorded frames again and again: iface, file, gap in seconds, rounds. */
  private static final String REPLAY =
      """
      import socket, sys, time
      iface, path, gap, rounds = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
      frames = [bytes.fromhex(l.strip()) for l in open(path) if l.strip()]
      s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
      s.bind((iface, 0))
      for r in range(rounds):
          for f in frames:
              s.send(f)
          time.sleep(gap)
      """;
}
