package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The takeover planner alone: synced state in, NEWAE values out, no kernel and no clock. */
class TakeoverPlannerTest {

  // An SA threshold of 32 and three lost messages: a margin of 4 x 32 = 128 packets.
  private static final TakeoverMargin MARGIN = new TakeoverMargin(2, Duration.ofSeconds(1), 0, 3);
  private static final long LIMIT_32 = 0xffff_ffffL;

  private static SaId sa() throws Exception {
    return SaId.esp(InetAddress.getByName("192.0.2.2"), 0x1000);
  }

  private static Aevent plain(long oseq) throws Exception {
    return Aevent.builder(sa())
        .replay(new ReplayState((int) oseq, 7, 0b1011))
        .replayThreshold(32)
        .lifetime(new LifetimeCounters(4096, 12, 0, 0))
        .build();
  }

  private static Aevent esn(long oseq64) throws Exception {
    return Aevent.builder(sa())
        .replayEsn(new ReplayStateEsn((int) oseq64, 9, (int) (oseq64 >>> 32), 0, 32, new int[1]))
        .replayThreshold(32)
        .build();
  }

  private static TakeoverPlanner.Install install(Aevent state, TakeoverPolicy policy) {
    return assertInstanceOf(
        TakeoverPlanner.Install.class, TakeoverPlanner.plan(state, MARGIN, policy));
  }

  @Test
  void anSaWithoutReplayStateIsNotInstalled() throws Exception {
    TakeoverPlanner.Skip skip =
        assertInstanceOf(
            TakeoverPlanner.Skip.class,
            TakeoverPlanner.plan(Aevent.builder(sa()).build(), MARGIN, TakeoverPolicy.SKIP_AHEAD));
    assertEquals(SaInstallResult.Reason.NO_REPLAY_STATE, skip.result().reason());
  }

  @Test
  void theOutboundSequenceMovesAheadByTheMarginAndTheRestIsAsSynced() throws Exception {
    TakeoverPlanner.Install plan = install(plain(1000), TakeoverPolicy.SKIP_AHEAD);
    assertEquals(1000, plan.syncedSequence());
    assertEquals(1128, plan.targetSequence());
    assertFalse(plan.exhausted());
    ReplayState installed = plan.values().replay().orElseThrow();
    assertEquals(1128, installed.outboundSequence());
    assertEquals(7, installed.inboundSequence(), "the inbound window as synced");
    assertEquals(0b1011, installed.bitmap());
    assertEquals(4096, plan.lifetimeBytes());
    assertTrue(plan.values().has(AeFlag.RVAL) && plan.values().has(AeFlag.LVAL));
  }

  @Test
  void nearTheEndOfThe32BitSpaceTheTargetStopsAtTheEnd() throws Exception {
    TakeoverPlanner.Install plan = install(plain(LIMIT_32 - 5), TakeoverPolicy.SKIP_AHEAD);
    assertEquals(LIMIT_32, plan.targetSequence());
    assertTrue(plan.exhausted());
  }

  @Test
  void nearLimitPutsTheSequenceAMarginBeforeTheEnd() throws Exception {
    assertEquals(LIMIT_32 - 128, install(plain(10), TakeoverPolicy.NEAR_LIMIT).targetSequence());
    TakeoverPlanner.Install esn = install(esn(10), TakeoverPolicy.NEAR_LIMIT);
    assertEquals(-1L - 128, esn.targetSequence());
    assertEquals(-1L - 128, esn.values().replayEsn().orElseThrow().outboundSequence64());
  }

  @Test
  void anEsnSequenceThatWouldWrapStopsAtTheEndOfThe64BitSpace() throws Exception {
    TakeoverPlanner.Install plan = install(esn(-1L - 3), TakeoverPolicy.SKIP_AHEAD);
    assertEquals(-1L, plan.targetSequence());
    assertTrue(plan.exhausted());
  }

  @Test
  void theTargetNeverGoesBackAndNeverLeavesTheSpace() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      boolean useEsn = random.nextBoolean();
      long synced = useEsn ? random.nextLong() : random.nextLong() & LIMIT_32;
      TakeoverPolicy policy = TakeoverPolicy.values()[random.nextInt(2)];
      TakeoverPlanner.Install plan = install(useEsn ? esn(synced) : plain(synced), policy);
      String replay = "seed " + seed + ", case " + i + ": " + synced + " " + policy;
      assertTrue(Long.compareUnsigned(plan.targetSequence(), synced) >= 0, replay);
      assertTrue(useEsn || plan.targetSequence() <= LIMIT_32, replay);
      assertEquals(plan.targetSequence() == (useEsn ? -1L : LIMIT_32), plan.exhausted(), replay);
    }
  }
}
