package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.TransitionReason;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SA sync between two nodes under virtual time, with an in-memory kernel on each side. */
class SaStateSyncTest {

  private static final byte[] KEY = "0123456789abcdef-sync-key".getBytes(StandardCharsets.US_ASCII);
  private static final int THRESHOLD = 32;
  // lostMessages 3 and the SA's own threshold of 32: a margin of 4 x 32 = 128 packets.
  private static final TakeoverMargin MARGIN = new TakeoverMargin(2, Duration.ofSeconds(1), 0, 3);

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final InMemorySyncLink link = new InMemorySyncLink();
  private final InMemorySaKernel kernelA = new InMemorySaKernel();
  private final InMemorySaKernel kernelB = new InMemorySaKernel();
  private final List<TakeoverReport> reports = new ArrayList<>();
  private SaId sa;
  private SaStateSync a;
  private SaStateSync b;
  private long epoch;

  private SaStateSync node(
      int id, InMemorySaKernel kernel, SyncTransport end, TakeoverPolicy policy) {
    SaStateSync sync =
        SaStateSync.builder()
            .loop(loop)
            .kernel(kernel)
            .transport(end)
            .key(KEY)
            .nodeId(id)
            .margin(MARGIN)
            .policy(policy)
            .build();
    sync.addTakeoverListener(reports::add, Runnable::run); // on the loop: reports are there at once
    return sync;
  }

  private void role(SaStateSync node, Role to) {
    node.roleChanged(
        new RoleChangeEvent(
            "vi", node.role(), to, TransitionReason.MASTER_DOWN, ++epoch, loop.now()));
    loop.runPending();
  }

  @BeforeEach
  void twoNodesWithTheSameSa() throws Exception {
    sa = SaId.esp(InetAddress.getByName("192.0.2.2"), 0x1000);
    kernelA.add(sa, null, -1, THRESHOLD);
    kernelB.add(sa, null, -1, THRESHOLD); // installed by the IKE daemon's HA sync, counters at 0
    a = node(1, kernelA, link.a, TakeoverPolicy.SKIP_AHEAD);
    b = node(2, kernelB, link.b, TakeoverPolicy.SKIP_AHEAD);
    a.start();
    b.start();
    kernelA.subscribe(a);
    kernelB.subscribe(b);
    role(a, Role.MASTER);
    role(b, Role.BACKUP);
    a.track(sa, null);
    loop.runPending();
    reports.clear(); // A's own (empty) takeover when it became master
  }

  private long heldOseq(SaStateSync node) {
    return node.state(sa, null).orElseThrow().outboundSequence().orElseThrow();
  }

  @Test
  void theBackupHoldsTheLatestReportedState() {
    kernelA.send(sa, null, 1000, 100);
    loop.runPending();
    assertEquals(992, heldOseq(b)); // 31 x 32: the kernel reports every 32 packets
    assertEquals(OptionalInt.of(THRESHOLD), b.state(sa, null).get().replayThreshold());
    kernelA.timer();
    loop.runPending();
    assertEquals(1000, heldOseq(b));
    assertEquals(100_000, b.state(sa, null).get().lifetime().get().bytes());
    assertEquals(0, b.statistics().totalDropped());
    assertTrue(b.statistics().messagesAccepted() >= 32);
  }

  @Test
  void takeoverSkipsBeyondEverythingTheMasterCanHaveSentWithThreeLostMessages() {
    kernelA.send(sa, null, 1024, 100);
    loop.runPending();
    assertEquals(1024, heldOseq(b));
    // The worst case the margin allows: three reports lost, then 31 packets nobody reported.
    link.down = true;
    kernelA.send(sa, null, 3 * THRESHOLD + THRESHOLD - 1, 100);
    loop.runPending();
    long lastSentByA = kernelA.sa(sa, null).oseq;
    assertEquals(1151, lastSentByA);
    assertEquals(1024, heldOseq(b));

    role(a, Role.FAULT);
    role(b, Role.MASTER);

    assertEquals(1, reports.size());
    SaInstallResult.Installed installed =
        assertInstanceOf(SaInstallResult.Installed.class, reports.get(0).results().get(0));
    assertEquals(1024, installed.syncedSequence());
    assertEquals(1024 + 128, installed.installedSequence());
    assertFalse(installed.exhausted());
    assertEquals(102_400, installed.lifetimeBytes());
    assertEquals(1152, kernelB.sa(sa, null).oseq);
    assertEquals(102_400, kernelB.sa(sa, null).bytes);
    kernelB.send(sa, null, 1, 100);
    assertTrue(kernelB.sa(sa, null).oseq > lastSentByA, "the new master reuses a sequence number");
    // One message fewer tolerated and the same loss would have reused numbers: the margin is tight.
    assertTrue(
        1024 + new TakeoverMargin(2, Duration.ZERO, 0, 2).packets(OptionalInt.of(32)) < 1152);
  }

  @Test
  void beforeTakeoverInstallsTheStatesAndTheLaterRoleEventDoesNotMoveThemBack() {
    kernelA.send(sa, null, 1024, 100);
    loop.runPending();
    role(a, Role.FAULT);

    b.beforeTakeover(); // what the role source runs before it adds the virtual address
    assertEquals(1, reports.size(), "installed before the address moves");
    assertEquals(1024 + 128, kernelB.sa(sa, null).oseq);
    kernelB.send(sa, null, 50, 100); // the address is up: traffic leaves before the role event
    b.beforeTakeover(); // a second hook before the role event changes nothing
    role(b, Role.MASTER);

    assertEquals(1, reports.size(), "the role event installs nothing again");
    assertEquals(1024 + 128 + 50, kernelB.sa(sa, null).oseq, "the counter never goes back");
    assertEquals(1, b.statistics().takeovers());

    role(b, Role.BACKUP);
    role(b, Role.MASTER);
    assertEquals(2, reports.size(), "a later takeover without the hook installs again");
  }

  @Test
  void lostKernelEventsAreRepairedWithGetae() {
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    assertEquals(64, heldOseq(b));
    kernelA.dropEvents(true);
    kernelA.send(sa, null, 500, 100);
    loop.runPending();
    assertEquals(64, heldOseq(b));
    kernelA.dropEvents(false);
    a.eventsLost(); // what the subscription reports on ENOBUFS
    loop.runPending();
    assertEquals(1, a.statistics().eventsLost());
    assertEquals(564, heldOseq(b));
  }

  @Test
  void restartedMasterAndBackupResynchronise() throws Exception {
    kernelA.send(sa, null, 320, 100);
    loop.runPending();
    a.close();
    loop.runPending();
    loop.advanceBy(Duration.ofSeconds(2));
    SaStateSync a2 = node(1, kernelA, link.a, TakeoverPolicy.SKIP_AHEAD);
    a2.start();
    kernelA.subscribe(a2);
    role(a2, Role.MASTER);
    a2.track(sa, null);
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    assertEquals(384, heldOseq(b), "a restarted master's counter continues above the old one");
    assertEquals(0, b.statistics().dropped(XfrmDropReason.SYNC_REPLAYED));

    b.close();
    loop.runPending();
    SaStateSync b2 = node(2, kernelB, link.b, TakeoverPolicy.SKIP_AHEAD);
    b2.start();
    role(b2, Role.BACKUP);
    assertTrue(b2.state(sa, null).isEmpty());
    loop.advanceBy(Duration.ofMillis(1001)); // the master's periodic full resend
    assertEquals(384, b2.state(sa, null).orElseThrow().outboundSequence().orElseThrow());
  }

  @Test
  void forgedReplayedReflectedAndTruncatedDatagramsAreRejectedAndCounted() {
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    byte[] genuine = link.wire.get(link.wire.size() - 1);
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    assertEquals(128, heldOseq(b));
    long accepted = b.statistics().messagesAccepted();

    link.b.inject(genuine); // a replay of an older, authentic message
    byte[] tampered = genuine.clone();
    tampered[SaSyncCodec.HEADER_LENGTH + 30] ^= 0x40; // inside the record
    link.b.inject(tampered);
    link.b.inject(sealedWith("another key of 16+ bytes".getBytes(StandardCharsets.US_ASCII)));
    link.b.inject(new byte[10]);
    loop.runPending();

    assertEquals(1, b.statistics().dropped(XfrmDropReason.SYNC_REPLAYED));
    assertEquals(2, b.statistics().dropped(XfrmDropReason.SYNC_BAD_MAC));
    assertEquals(1, b.statistics().dropped(XfrmDropReason.SYNC_TRUNCATED));
    assertEquals(accepted, b.statistics().messagesAccepted());
    assertEquals(128, heldOseq(b), "no rejected datagram changed the state");

    // A's own datagram reflected back to it.
    link.a.inject(genuine);
    loop.runPending();
    assertEquals(1, a.statistics().dropped(XfrmDropReason.SYNC_REPLAYED));
  }

  /** A well-formed message claiming a huge sequence number, sealed under the wrong key. */
  private byte[] sealedWith(byte[] key) {
    Aevent forged = Aevent.builder(sa).replay(new ReplayState(0x7fffffff, 0, 0)).build();
    ByteBuffer out = ByteBuffer.allocate(2048);
    new SaSyncCodec().encode(new SaSyncMessage(1, Long.MAX_VALUE, List.of(forged)), out);
    new SyncAuthenticator(key).seal(out, 0);
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  @Test
  void theReportNamesSasThatCouldNotBeInstalled() throws Exception {
    SaId other = SaId.esp(InetAddress.getByName("192.0.2.3"), 0x2000);
    kernelA.add(other, new XfrmMark(7, 0xff), -1, THRESHOLD); // not on B
    kernelA.send(other, new XfrmMark(7, 0xff), 32, 10);
    kernelA.send(sa, null, 32, 10);
    loop.runPending();
    role(b, Role.MASTER);
    TakeoverReport report = reports.get(0);
    assertEquals(2, report.results().size());
    assertEquals(1, report.installed());
    SaInstallResult.NotInstalled missing =
        report.results().stream()
            .filter(r -> r instanceof SaInstallResult.NotInstalled)
            .map(SaInstallResult.NotInstalled.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals(other, missing.sa());
    assertEquals(new XfrmMark(7, 0xff), missing.mark().orElseThrow());
    assertEquals(SaInstallResult.Reason.NO_SUCH_SA, missing.reason());
    assertTrue(b.state(other, new XfrmMark(7, 0xff)).isEmpty(), "forgotten, though reported");
    assertEquals(List.of(sa), b.states().stream().map(Aevent::sa).toList());
  }

  @Test
  void anSaDeletedAfterARekeyIsForgottenOnBothNodesAndNoLongerResent() throws Exception {
    SaId rekeyed = SaId.esp(InetAddress.getByName("192.0.2.2"), 0x1001);
    kernelA.send(sa, null, 64, 100);
    kernelA.add(rekeyed, null, -1, THRESHOLD);
    kernelB.add(rekeyed, null, -1, THRESHOLD);
    kernelA.send(rekeyed, null, 32, 100);
    loop.runPending();
    assertEquals(2, b.states().size());

    kernelA.delete(sa, null); // IKE deletes the old SA on both nodes
    kernelB.delete(sa, null);
    loop.runPending();
    assertEquals(List.of(rekeyed), a.states().stream().map(Aevent::sa).toList());
    assertEquals(List.of(rekeyed), b.states().stream().map(Aevent::sa).toList());
    long sent = a.statistics().messagesSent();
    loop.advanceBy(Duration.ofSeconds(30)); // 30 full resends, each of the new SA only
    assertEquals(sent + 30, a.statistics().messagesSent());
    assertEquals(List.of(rekeyed), b.states().stream().map(Aevent::sa).toList());

    role(a, Role.FAULT);
    role(b, Role.MASTER);
    assertEquals(1, reports.size());
    assertEquals(List.of(rekeyed), reports.get(0).results().stream().map(r -> r.sa()).toList());
    assertEquals(1, reports.get(0).installed(), "no NO_SUCH_SA for the deleted SA");
  }

  @Test
  void aResendRacingTheDeleteOrALateAeventDoesNotBringTheSaBack() {
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    Aevent lateEvent = a.state(sa, null).orElseThrow();

    kernelB.delete(sa, null); // the backup's IKE daemon deletes first ...
    loop.runPending();
    assertTrue(b.states().isEmpty());
    loop.advanceBy(Duration.ofMillis(1001)); // ... and the master's resend still carries the SA
    assertEquals(1, a.states().size());
    assertTrue(b.states().isEmpty(), "a resend sent before the master's delete resurrected it");
    assertEquals(0, b.statistics().totalDropped());

    kernelA.delete(sa, null);
    a.onAevent(lateEvent); // an aevent overtaken by the deletion
    long sent = a.statistics().messagesSent();
    loop.runPending();
    assertTrue(a.states().isEmpty(), "a late aevent resurrected the SA on the master");
    assertEquals(sent, a.statistics().messagesSent(), "the master sent a deleted SA's state");
    loop.advanceBy(Duration.ofSeconds(SaStateSync.DELETED_FOR_RESENDS + 1));
    assertTrue(a.states().isEmpty());
    assertTrue(b.states().isEmpty());
  }

  @Test
  void anSaCreatedAgainWithTheSameSpiIsSyncedAsSoonAsTheNodesKernelHasIt() {
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    kernelA.delete(sa, null);
    kernelB.delete(sa, null);
    loop.runPending();
    kernelA.add(sa, null, -1, THRESHOLD); // created again on A first
    kernelA.send(sa, null, 32, 100);
    loop.runPending();
    assertEquals(32, heldOseq(a), "A's kernel has it again");
    assertTrue(b.states().isEmpty(), "B's kernel has not: still deleted there");
    kernelB.add(sa, null, -1, THRESHOLD);
    kernelA.send(sa, null, 32, 100);
    loop.runPending();
    assertEquals(64, heldOseq(b));
  }

  @Test
  void pastTheWindowATakeoverForgetsWhatTheBackupsKernelNeverCreatedAgain() {
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    kernelB.delete(sa, null); // and A's IKE daemon, for some reason, never deletes it
    loop.runPending();
    loop.advanceBy(Duration.ofSeconds(SaStateSync.DELETED_FOR_RESENDS));
    assertTrue(b.states().isEmpty(), "refused for the whole window");
    loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(64, heldOseq(b), "taken as it comes after the window");

    role(a, Role.FAULT);
    role(b, Role.MASTER);
    SaInstallResult.NotInstalled missing =
        assertInstanceOf(SaInstallResult.NotInstalled.class, reports.get(0).results().get(0));
    assertEquals(SaInstallResult.Reason.NO_SUCH_SA, missing.reason());
    assertTrue(b.states().isEmpty(), "the takeover forgot it");
  }

  @Test
  void nearLimitPolicyLeavesOnlyTheMarginSoIkeRekeys() throws Exception {
    SaStateSync c = node(3, kernelB, link.b, TakeoverPolicy.NEAR_LIMIT);
    b.close();
    loop.runPending(); // b releases the link end before c takes it
    c.start();
    role(c, Role.BACKUP);
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    role(c, Role.MASTER);
    SaInstallResult.Installed installed =
        assertInstanceOf(SaInstallResult.Installed.class, reports.get(0).results().get(0));
    assertEquals(0xffff_ffffL - 128, installed.installedSequence());
    assertEquals(0xffff_ffffL - 128, kernelB.sa(sa, null).oseq);
  }

  @Test
  void esnSasCarryTheHighWordAcrossTheTakeover() throws Exception {
    SaId esnSa = SaId.esp(InetAddress.getByName("192.0.2.2"), 0x3000);
    InMemorySaKernel.Sa onA = kernelA.add(esnSa, null, 4, THRESHOLD);
    onA.oseq = 0xffff_ff00L;
    onA.reportedOseq = onA.oseq;
    kernelB.add(esnSa, null, 4, THRESHOLD);
    kernelA.send(esnSa, null, 0x200, 100);
    loop.runPending();
    role(b, Role.MASTER);
    // No RTHR was synced for this SA: the system threshold 2 gives a margin of 4 x 2 packets.
    assertEquals(0x1_0000_0100L, kernelA.sa(esnSa, null).oseq);
    SaInstallResult.Installed installed =
        reports.get(0).results().stream()
            .filter(r -> r.sa().equals(esnSa))
            .map(SaInstallResult.Installed.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals(0x1_0000_0100L, installed.syncedSequence());
    assertEquals(0x1_0000_0108L, installed.installedSequence());
    assertEquals(0x1_0000_0108L, kernelB.sa(esnSa, null).oseq);
  }

  @Test
  void theBuilderNamesTheFieldAndNeverTheKey() {
    java.util.function.Function<SaStateSync.Builder, String> field =
        builder ->
            org.junit.jupiter.api.Assertions.assertThrows(
                    org.failover4j.api.InvalidConfigurationException.class, builder::build)
                .getMessage();
    assertEquals("loop: is required", field.apply(SaStateSync.builder()));
    SaStateSync.Builder noKey = SaStateSync.builder().loop(loop).kernel(kernelA).transport(link.a);
    assertEquals("key: is required", field.apply(noKey.key(null)));
    assertEquals(
        "key: needs at least 16 bytes, was 5",
        field.apply(noKey.key("short".getBytes(StandardCharsets.US_ASCII))));
    assertEquals("nodeId: is required", field.apply(noKey.key(KEY)));
    assertEquals(
        "resendInterval: must be positive, was PT0S",
        field.apply(noKey.nodeId(1).resendInterval(Duration.ZERO)));
    assertEquals("margin: is required", field.apply(noKey.resendInterval(null).margin(null)));
  }

  @Test
  void aClosedSyncSaysSoAsEverySourceDoesAndIgnoresLateRoles() throws Exception {
    a.close();
    a.close(); // twice is fine
    assertEquals(org.failover4j.api.RoleSource.State.CLOSED, a.state());
    assertEquals(
        "the SA state sync is closed; build a new one",
        org.junit.jupiter.api.Assertions.assertThrows(
                org.failover4j.api.SourceClosedException.class, a::start)
            .getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        org.failover4j.api.SourceClosedException.class, () -> a.track(sa, null));
    role(a, Role.BACKUP); // a role source still telling it: ignored, not thrown
    assertEquals(Role.MASTER, a.role());
  }

  @Test
  void closeWaitsForTakeoverListenersAndTheyCanBeRemoved() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean handled =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.Consumer<TakeoverReport> slow =
        report -> {
          try {
            Thread.sleep(300); // an application's own takeover work
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          handled.set(true);
        };
    java.util.List<TakeoverReport> removedSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.function.Consumer<TakeoverReport> removed = removedSaw::add;
    b.addTakeoverListener(slow); // on the library's listener threads, as role listeners run
    b.addTakeoverListener(removed);
    assertTrue(b.removeTakeoverListener(removed));
    kernelA.send(sa, null, 64, 100);
    loop.runPending();
    role(b, Role.MASTER);
    b.close();
    assertTrue(handled.get(), "close() returned before the takeover listener finished");
    assertTrue(removedSaw.isEmpty(), "a removed listener heard a takeover");
    assertEquals(1, b.statistics().takeovers());
  }

  @Test
  void closeReleasesTheTransportEvenWhenTheLoopClosedFirst() throws Exception {
    org.failover4j.api.ThreadEventLoop own = org.failover4j.api.ThreadEventLoop.start("sa-test");
    InMemorySyncLink other = new InMemorySyncLink();
    SaStateSync sync =
        SaStateSync.builder()
            .loop(own)
            .kernel(kernelA)
            .transport(other.a)
            .key(KEY)
            .nodeId(5)
            .build();
    sync.start();
    assertTrue(other.a.receiver != null);
    own.close();
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> sync.close());
    assertTrue(other.a.receiver == null, "the transport stayed open");
  }
}
