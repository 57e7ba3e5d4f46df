package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.TransitionReason;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;

/**
 * SA sync over real UDP between two lab hosts, on the real-time event loop, with in-memory kernels
 * standing in for the SA tables (this machine cannot install ESP SAs): the backup follows the
 * master, ignores datagrams from other addresses, rejects a datagram sealed with another key, and
 * takes over with the margin.
 */
@Interop
class UdpSaSyncInteropTest {

  private static final byte[] KEY = "udp-sync-test-key-0123".getBytes(StandardCharsets.US_ASCII);
  private static final int PORT = 47011;

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void theBackupFollowsOverUdpAndTakesOver(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Host intruder = lab.host("x", lan);
    InetSocketAddress addrA = new InetSocketAddress(a.ipv4(lan), PORT);
    InetSocketAddress addrB = new InetSocketAddress(b.ipv4(lan), PORT);
    SaId sa = SaId.esp(InetAddress.getByName("198.51.100.9"), 0x4242);
    InMemorySaKernel kernelA = new InMemorySaKernel();
    InMemorySaKernel kernelB = new InMemorySaKernel();
    kernelA.add(sa, null, -1, 32);
    kernelB.add(sa, null, -1, 32);
    try (PollEventLoop loop = PollEventLoop.start("udp-sync");
        UdpSyncTransport ta = a.call(() -> UdpSyncTransport.open(addrA, addrB));
        UdpSyncTransport tb = b.call(() -> UdpSyncTransport.open(addrB, addrA))) {
      SaStateSync master =
          SaStateSync.builder().loop(loop).kernel(kernelA).transport(ta).key(KEY).nodeId(1).build();
      SaStateSync backup =
          SaStateSync.builder()
              .loop(loop)
              .kernel(kernelB)
              .transport(tb)
              .key(KEY)
              .nodeId(2)
              .margin(new TakeoverMargin(2, Duration.ofSeconds(1), 0, 3))
              .build();
      master.start();
      backup.start();
      backup.roleChanged(
          new RoleChangeEvent(
              "vi", Role.INITIALIZE, Role.BACKUP, TransitionReason.MASTER_DOWN, 1, Instant.now()));
      master.roleChanged(
          new RoleChangeEvent(
              "vi", Role.INITIALIZE, Role.MASTER, TransitionReason.MASTER_DOWN, 1, Instant.now()));
      kernelA.subscribe(master);
      master.track(sa, null);
      loop.execute(() -> kernelA.send(sa, null, 640, 1000)); // the fake kernel lives on the loop
      await(
          () -> backup.state(sa, null).flatMap(Aevent::outboundSequence).orElse(0L) == 640,
          "the backup to hold oseq 640, has " + backup.state(sa, null));

      // A datagram from an address that is not the peer never reaches authentication.
      long rejectedBefore = backup.statistics().totalDropped();
      try (DatagramChannel x = intruder.call(DatagramChannel::open)) {
        x.send(ByteBuffer.wrap(new byte[10]), addrB); // would count as SYNC_TRUNCATED
      }
      // One from the peer's address, sealed under another key, is counted as forged.
      try (DatagramChannel forger =
          a.call(
              () -> {
                DatagramChannel c = DatagramChannel.open();
                c.bind(new InetSocketAddress(a.ipv4(lan), PORT + 1));
                return c;
              })) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        Aevent forged = Aevent.builder(sa).replay(new ReplayState(1, 0, 0)).build();
        new SaSyncCodec()
            .encode(new SaSyncMessage(1, Long.MAX_VALUE, java.util.List.of(forged)), out);
        new SyncAuthenticator("a different key, 16+ bytes".getBytes(StandardCharsets.US_ASCII))
            .seal(out, 0);
        forger.send(out.flip(), addrB);
      }
      await(
          () -> backup.statistics().dropped(XfrmDropReason.SYNC_BAD_MAC) == 1,
          "the forgery to be counted");
      assertEquals(rejectedBefore + 1, backup.statistics().totalDropped());
      assertEquals(
          0,
          backup.statistics().dropped(XfrmDropReason.SYNC_TRUNCATED),
          "the intruder got through");

      master.close();
      backup.roleChanged(
          new RoleChangeEvent(
              "vi", Role.BACKUP, Role.MASTER, TransitionReason.MASTER_DOWN, 2, Instant.now()));
      await(() -> backup.lastReport().isPresent(), "the takeover report");
      SaInstallResult.Installed installed =
          assertInstanceOf(
              SaInstallResult.Installed.class, backup.lastReport().get().results().get(0));
      assertEquals(640, installed.syncedSequence());
      assertEquals(640 + 4 * 32, installed.installedSequence());
      backup.close();
    }
  }
}
