package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.TransitionReason;
import org.failover4j.lab.ExecResult;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on real ESP SAs: two hosts with an SA pair and traffic, real aevents, GETAE and
 * NEWAE round trips, and a takeover through SA sync over UDP after which the peer accepts the new
 * sender's packets without a single replay failure.
 *
 * <p>Needs a kernel that can install ESP SAs (CONFIG_INET_ESP, the esp4 module, with cbc(aes) and
 * hmac(sha256)). Where it cannot, the test is skipped, with the kernel's answer, also when interop
 * tests are required: that is a property of the machine, not of this code.
 */
@Interop
class EspTakeoverInteropTest {

  private static final String AUTH_KEY =
      "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  private static final String ENC_KEY = "0x00112233445566778899aabbccddeeff";
  private static final int SPI_AB = 0x1001;
  private static final int SPI_BA = 0x1002;

  private static void addSa(Host host, InetAddress src, InetAddress dst, int spi) {
    host.run(saCommand(src, dst, spi));
  }

  private static String[] saCommand(InetAddress src, InetAddress dst, int spi) {
    return new String[] {
      "ip",
      "xfrm",
      "state",
      "add",
      "src",
      src.getHostAddress(),
      "dst",
      dst.getHostAddress(),
      "proto",
      "esp",
      "spi",
      "0x" + Integer.toHexString(spi),
      "reqid",
      "1",
      "mode",
      "transport",
      "replay-window",
      "32",
      "auth",
      "hmac(sha256)",
      AUTH_KEY,
      "enc",
      "cbc(aes)",
      ENC_KEY
    };
  }

  private static void addPolicies(Host host, InetAddress self, InetAddress peer) {
    addPolicy(host, self.getHostAddress(), peer.getHostAddress(), "out");
    addPolicy(host, peer.getHostAddress(), self.getHostAddress(), "in");
  }

  /** ICMP from {@code src} to {@code dst} goes through ESP in transport mode. */
  private static void addPolicy(Host host, String src, String dst, String dir) {
    String command =
        "ip xfrm policy add src %s/32 dst %s/32 proto icmp dir %s tmpl src %s dst %s proto esp"
            + " reqid 1 mode transport";
    host.run(String.format(command, src, dst, dir, src, dst).split(" "));
  }

  /** The replay-failure counter of {@code ip -s xfrm state} for the SA with {@code spi}. */
  private static long replayFailures(Host host, int spi) {
    String out = host.run("ip", "-s", "xfrm", "state").stdout();
    int at = out.indexOf(String.format("spi 0x%08x", spi));
    assertTrue(at >= 0, out);
    Matcher m =
        Pattern.compile("replay-window \\d+ replay (\\d+) failed").matcher(out.substring(at));
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }

  private static RoleChangeEvent event(Role from, Role to, long epoch) {
    return new RoleChangeEvent(
        "vi", from, to, TransitionReason.MASTER_DOWN, epoch, java.time.Instant.now());
  }

  @Test
  void realSasSyncAndTakeOverWithoutReplayFailures(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    InetAddress addrA = a.ipv4(lan);
    InetAddress addrB = b.ipv4(lan);
    ExecResult probe = a.exec(saCommand(addrA, addrB, SPI_AB));
    assumeTrue(
        probe.ok(),
        "ESP SAs cannot be installed: the kernel lacks ESP (CONFIG_INET_ESP / esp4 with cbc(aes)"
            + " and hmac(sha256)); ip xfrm state add said: "
            + probe.stderr().strip());
    addSa(a, addrB, addrA, SPI_BA);
    addSa(b, addrA, addrB, SPI_AB);
    addSa(b, addrB, addrA, SPI_BA);
    addPolicies(a, addrA, addrB);
    addPolicies(b, addrB, addrA);
    a.run("ping", "-c", "5", "-i", "0.2", "-W", "2", addrB.getHostAddress());

    SaId outbound = SaId.esp(addrB, SPI_AB);
    BlockingQueue<Aevent> events = new LinkedBlockingQueue<>();
    byte[] key = "esp-takeover-test-key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (PollEventLoop loop = PollEventLoop.start("esp");
        XfrmAeventClient client = a.call(XfrmAeventClient::open)) {
      Aevent first = client.getAe(outbound, EnumSet.of(AeFlag.RTHR, AeFlag.ETHR));
      assertTrue(first.outboundSequence().orElseThrow() >= 5, first.toString());
      assertEquals(addrA, first.source());
      // NEWAE round trip: a replay threshold of 4 packets per event.
      client.setAe(Aevent.builder(outbound).replayThreshold(4).build());
      assertEquals(4, client.getAe(outbound, EnumSet.of(AeFlag.RTHR)).replayThreshold().getAsInt());

      // Both ends on the host's own loopback: the namespace is fresh, so fixed ports are free.
      InetSocketAddress masterAddress = new InetSocketAddress("127.0.0.1", 47001);
      InetSocketAddress backupAddress = new InetSocketAddress("127.0.0.1", 47002);
      UdpSyncTransport masterTransport =
          a.call(() -> UdpSyncTransport.open(masterAddress, backupAddress));
      UdpSyncTransport backupEnd =
          a.call(() -> UdpSyncTransport.open(backupAddress, masterAddress));
      SaStateSync master =
          SaStateSync.builder()
              .loop(loop)
              .kernel(client)
              .transport(masterTransport)
              .key(key)
              .nodeId(1)
              .build();
      SaStateSync backup =
          SaStateSync.builder()
              .loop(loop)
              .kernel(client)
              .transport(backupEnd)
              .key(key)
              .nodeId(2)
              .margin(TakeoverMargin.defaults(a.call(AeventSysctls::read)))
              .build();
      master.start();
      backup.start();
      backup.roleChanged(event(Role.INITIALIZE, Role.BACKUP, 1));
      master.roleChanged(event(Role.INITIALIZE, Role.MASTER, 1));
      try (AeventSubscription subscription =
          a.call(
              () ->
                  client.subscribe(
                      loop,
                      new AeventListener() {
                        @Override
                        public void onAevent(Aevent e) {
                          events.add(e);
                          master.onAevent(e);
                        }
                      }))) {
        master.track(outbound, null);
        a.run("ping", "-c", "20", "-i", "0.05", "-W", "2", addrB.getHostAddress());
        Aevent real = events.poll(5, TimeUnit.SECONDS);
        assertTrue(real != null, "no aevent from the kernel");
        assertEquals(outbound, real.sa());
        long sent = client.getAe(outbound, EnumSet.noneOf(AeFlag.class)).outboundSequence().get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backup.state(outbound, null).flatMap(Aevent::outboundSequence).orElse(0L) < sent - 4
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        long held = backup.state(outbound, null).orElseThrow().outboundSequence().orElseThrow();
        assertTrue(held >= sent - 4, "backup holds " + held + ", master sent " + sent);

        // The master dies; the SA comes back with fresh counters, as on a backup whose IKE
        // daemon installed the same keys. Without the sync the peer would drop it as replays.
        master.close();
        a.run(
            "ip",
            "xfrm",
            "state",
            "delete",
            "src",
            addrA.getHostAddress(),
            "dst",
            addrB.getHostAddress(),
            "proto",
            "esp",
            "spi",
            "0x" + Integer.toHexString(SPI_AB));
        addSa(a, addrA, addrB, SPI_AB);
        backup.roleChanged(event(Role.BACKUP, Role.MASTER, 2));
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backup.lastReport().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        List<SaInstallResult> results = backup.lastReport().orElseThrow().results();
        SaInstallResult.Installed installed =
            assertInstanceOf(SaInstallResult.Installed.class, results.get(0), results.toString());
        assertTrue(installed.installedSequence() > sent, installed.toString());
        assertTrue(
            client.getAe(outbound, EnumSet.noneOf(AeFlag.class)).outboundSequence().get()
                >= installed.installedSequence());
        a.run("ping", "-c", "5", "-i", "0.2", "-W", "2", addrB.getHostAddress());
        assertEquals(0, replayFailures(b, SPI_AB), "the peer saw reused sequence numbers");
        backup.close();
        assertTrue(subscription.drops().total() == 0);
      }
    }
  }
}
