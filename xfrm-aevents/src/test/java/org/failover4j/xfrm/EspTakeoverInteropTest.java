package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.TransitionReason;
import org.failover4j.lab.EspSas;
import org.failover4j.lab.ExecResult;
import org.failover4j.lab.GuestKernel;
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
 * <p>Runs in the kernel lab's guest ({@link GuestKernel}): the build machines' kernel has no ESP,
 * the guest's has it as a module, so the test never skips for want of ESP.
 */
@Interop
@GuestKernel(
    modules = {
      "esp4",
      "esp6",
      "xfrm_user",
      "gcm",
      "ctr",
      "ghash_generic",
      "seqiv",
      "authenc",
      "cbc",
      "hmac"
    },
    timeoutSeconds = 900)
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
    assertTrue(
        probe.ok(),
        "ESP SAs cannot be installed in the guest kernel (esp4 with cbc(aes) and hmac(sha256));"
            + " ip xfrm state add said: "
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
        assertEquals(0, EspSas.replayFailures(b, SPI_AB), "the peer saw reused sequence numbers");
        backup.close();
        assertTrue(subscription.drops().total() == 0);
      }
    }
  }

  // ------------------------------------------------------------ a VRRP gateway pair and a peer

  private static final int SPI_OUT = 0x2001; // from the virtual address to the peer
  private static final int SPI_IN = 0x2002; // from the peer to the virtual address
  private static final int RATE = 1_000;
  private static final int TRAFFIC_PORT = 9000;
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(180);

  /** How the master gateway goes away. */
  enum Death {
    KILL,
    STOP
  }

  /** What one takeover run measured. */
  record Takeover(
      long aSent,
      long aFinal,
      long synced,
      long installed,
      long bFinal,
      long peerAccepted,
      long peerSeqErrors,
      long peerReplayFailures,
      long bSeqErrors,
      long longestGapMillis,
      long peerSent) {}

  @Test
  void gatewayKilledTheBackupTakesTheSasOverWithoutAReplayError(Lab lab) throws Exception {
    Takeover t = takeover(lab, Death.KILL, true);
    assertCleanTakeover(t);
  }

  @Test
  void gatewayFrozenTheBackupTakesTheSasOverWithoutAReplayError(Lab lab) throws Exception {
    Takeover t = takeover(lab, Death.STOP, true);
    assertCleanTakeover(t);
  }

  @Test
  void withoutTheSyncTheNewMastersPacketsAreDroppedAsReplays(Lab lab) throws Exception {
    Takeover t = takeover(lab, Death.KILL, false);
    System.out.println("ESP baseline without SA sync: " + t);
    assertTrue(
        t.peerSeqErrors() > 0 && t.peerAccepted() < t.aSent() + t.bFinal(),
        "without the sync the peer must reject the new master's reused numbers: " + t);
  }

  private static void assertCleanTakeover(Takeover t) {
    assertEquals(0, t.peerSeqErrors(), "peer XfrmInStateSeqError: " + t);
    assertEquals(0, t.peerReplayFailures(), "peer replay failures: " + t);
    assertEquals(0, t.bSeqErrors(), "new master's XfrmInStateSeqError: " + t);
    assertTrue(t.installed() > t.aFinal(), "the margin did not cover what A sent: " + t);
    // Every ESP packet either gateway sent was accepted: nothing lost but the failover gap.
    assertEquals(t.aSent() + (t.bFinal() - t.installed()), t.peerAccepted(), t.toString());
    assertTrue(t.aSent() >= 1_000 && t.bFinal() - t.installed() >= 1_000, t.toString());
  }

  private Takeover takeover(Lab lab, Death death, boolean sync) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Host c = lab.host("c", lan);
    InetAddress vip = lan.ipv4(254);
    InetAddress peer = c.ipv4(lan);
    for (Host gateway : List.of(a, b)) {
      EspSas.add(gateway, vip, peer, SPI_OUT, 32, false);
      EspSas.add(gateway, peer, vip, SPI_IN, 32, false);
      EspSas.udpPolicy(gateway, vip, peer, "out");
      EspSas.udpPolicy(gateway, peer, vip, "in");
    }
    EspSas.add(c, vip, peer, SPI_OUT, 32, false);
    EspSas.add(c, peer, vip, SPI_IN, 32, false);
    EspSas.udpPolicy(c, peer, vip, "out");
    EspSas.udpPolicy(c, vip, peer, "in");

    java.nio.file.Path control = lab.dir();
    org.failover4j.lab.LabProcess gwA = gateway(a, b, lan, 1, 150, vip, peer, sync, control);
    org.failover4j.lab.LabProcess gwB = gateway(b, a, lan, 2, 100, vip, peer, sync, control);
    gwA.awaitOutput("^ready$", WAIT);
    gwB.awaitOutput("^ready$", WAIT);
    java.nio.file.Files.writeString(control.resolve("start-1"), "");
    gwA.awaitOutput("serving", WAIT);
    java.nio.file.Files.writeString(control.resolve("start-2"), "");
    gwB.awaitOutput("gw BACKUP", WAIT);
    Thread.sleep(2_000);
    assertTrue(!gwB.output().contains("gw MASTER"), "B took over at the start:\n" + gwB.output());

    InetSocketAddress toPeer = new InetSocketAddress(peer, TRAFFIC_PORT);
    Sender fromA = Sender.start(a.udpSocketOn(vip, WAIT), toPeer);
    Peer traffic = c.call(() -> Peer.open(peer, vip));
    Sender fromB = null;
    double aRate;
    double bRate;
    try {
      long started = System.nanoTime();
      awaitSent(fromA, 2_000); // A serves: ESP both ways, its state synced to B
      aRate = fromA.sent() * 1e9 / (System.nanoTime() - started);
      gwA.signal(death == Death.KILL ? "KILL" : "STOP");
      fromA.close(); // the host's traffic stops with it
      gwB.awaitOutput("serving", WAIT);
      fromB = Sender.start(b.udpSocketOn(vip, WAIT), toPeer);
      started = System.nanoTime();
      awaitSent(fromB, 1_000); // B serves
      bRate = fromB.sent() * 1e9 / (System.nanoTime() - started);
    } finally {
      traffic.close();
      if (fromB != null) {
        fromB.close();
      }
    }
    Thread.sleep(500);
    gwB.signal("STOP");
    long aFinal = EspSas.outboundSequence(a, SPI_OUT);
    long bFinal = EspSas.outboundSequence(b, SPI_OUT);
    long synced = 0;
    long installed = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "takeover esp 0x0*"
                    + Integer.toHexString(SPI_OUT)
                    + "\\S* .*synced (\\d+) installed (\\d+)")
            .matcher(gwB.output());
    boolean found = false;
    while (m.find()) { // the last takeover: the one after A went away
      found = true;
      synced = Long.parseLong(m.group(1));
      installed = Long.parseLong(m.group(2));
    }
    if (!found && sync) {
      throw new AssertionError("B reported no takeover of the outbound SA:\n" + gwB.output());
    }
    long bMasters = gwB.output().lines().filter(line -> line.equals("gw MASTER")).count();
    assertEquals(1, bMasters, "B became master more than once (VRRP flapped):\n" + gwB.output());
    Takeover t =
        new Takeover(
            EspSas.lifetimePackets(a, SPI_OUT),
            aFinal,
            synced,
            installed,
            bFinal,
            EspSas.lifetimePackets(c, SPI_OUT),
            EspSas.stat(c, "XfrmInStateSeqError"),
            EspSas.replayFailures(c, SPI_OUT),
            EspSas.stat(b, "XfrmInStateSeqError"),
            traffic.longestGapMillis(),
            traffic.sent());
    System.out.printf(
        "ESP takeover (%s, sync %s): A sent %d (oseq %d), B took over at %d (synced %d: margin %d, of which"
            + " A used %d after its last sync), B sent %d more; peer accepted %d, XfrmInStateSeqError"
            + " peer %d / B %d; longest gap at the peer %d ms; peer sent %d to the VIP; rates A %.0f/s,"
            + " B %.0f/s, peer %.0f/s%n",
        death,
        sync ? "on" : "off",
        t.aSent(),
        aFinal,
        installed,
        synced,
        installed - synced,
        aFinal - synced,
        bFinal - installed,
        t.peerAccepted(),
        t.peerSeqErrors(),
        t.bSeqErrors(),
        t.longestGapMillis(),
        t.peerSent(),
        aRate,
        bRate,
        traffic.rate());
    gwA.signal("KILL");
    return t;
  }

  private static org.failover4j.lab.LabProcess gateway(
      Host self,
      Host other,
      Lan lan,
      int nodeId,
      int priority,
      InetAddress vip,
      InetAddress peer,
      boolean sync,
      java.nio.file.Path control) {
    // Niced up: on the guest's one CPU the gateways' VRRP must not wait behind the traffic.
    return self.start(
        "gateway",
        "nice",
        "-n",
        "-10",
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC",
        "-Xmx128m",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        EspGateway.class.getName(),
        "eth0",
        Integer.toString(nodeId),
        Integer.toString(priority),
        self.ipv4(lan).getHostAddress(),
        other.ipv4(lan).getHostAddress(),
        vip.getHostAddress() + "/24",
        peer.getHostAddress(),
        "0x" + Integer.toHexString(SPI_OUT),
        "0x" + Integer.toHexString(SPI_IN),
        sync ? "sync" : "nosync",
        "SKIP_AHEAD",
        control.toString());
  }

  /** Waits until {@code sender} has sent {@code packets}. */
  private static void awaitSent(Sender sender, long packets) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (sender.sent() < packets && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** Sends {@value #RATE} datagrams a second, in bursts of ten, until closed. */
  private static final class Sender implements AutoCloseable {
    private final java.nio.channels.DatagramChannel channel;
    private final InetSocketAddress to;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long sent;

    private Sender(java.nio.channels.DatagramChannel channel, InetSocketAddress to) {
      this.channel = channel;
      this.to = to;
      this.thread = new Thread(this::send, "sender");
    }

    static Sender start(java.nio.channels.DatagramChannel channel, InetSocketAddress to) {
      Sender sender = new Sender(channel, to);
      sender.thread.start();
      return sender;
    }

    private void send() {
      java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocate(64);
      long next = System.nanoTime();
      while (running) {
        for (int i = 0; i < 10; i++) {
          try {
            channel.send(payload.clear(), to);
            sent++;
          } catch (java.io.IOException e) {
            // closed, or an SA being replaced: the next burst may pass
          }
        }
        next += TimeUnit.MILLISECONDS.toNanos(10);
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
    }

    long sent() {
      return sent;
    }

    @Override
    public void close() throws java.io.IOException {
      running = false;
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      channel.close();
    }
  }

  /**
   * The peer: receives what the gateways send (timing the longest silence) and sends {@value #RATE}
   * datagrams a second to the virtual address, both through ESP.
   */
  private static final class Peer implements AutoCloseable {
    private final java.nio.channels.DatagramChannel in;
    private final Sender out;
    private final Thread receiver;
    private volatile boolean running = true;
    private volatile long longestGapNanos;
    private final long opened = System.nanoTime();

    private Peer(java.nio.channels.DatagramChannel in, Sender out) {
      this.in = in;
      this.out = out;
      this.receiver = new Thread(this::receive, "peer-receive");
    }

    static Peer open(InetAddress self, InetAddress vip) throws java.io.IOException {
      java.nio.channels.DatagramChannel in = java.nio.channels.DatagramChannel.open();
      in.bind(new InetSocketAddress(self, TRAFFIC_PORT));
      java.nio.channels.DatagramChannel out = java.nio.channels.DatagramChannel.open();
      out.bind(new InetSocketAddress(self, 0));
      Peer peer = new Peer(in, Sender.start(out, new InetSocketAddress(vip, TRAFFIC_PORT)));
      peer.receiver.start();
      return peer;
    }

    private void receive() {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(256);
      long last = 0;
      while (running) {
        try {
          buffer.clear();
          in.receive(buffer);
        } catch (java.io.IOException e) {
          return;
        }
        long now = System.nanoTime();
        if (last != 0 && now - last > longestGapNanos) {
          longestGapNanos = now - last;
        }
        last = now;
      }
    }

    long longestGapMillis() {
      return longestGapNanos / 1_000_000;
    }

    long sent() {
      return out.sent();
    }

    /** Packets per second sent so far. */
    double rate() {
      return out.sent() * 1e9 / (System.nanoTime() - opened);
    }

    @Override
    public void close() throws java.io.IOException {
      running = false;
      out.close();
      in.close();
    }
  }
}
