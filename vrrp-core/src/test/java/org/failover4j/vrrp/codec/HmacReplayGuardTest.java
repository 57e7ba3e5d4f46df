package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** keepalived 2.4.3's sequence rules, with the clocks as arguments. */
class HmacReplayGuardTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long NOW = 1_796_641_170L * SECOND;
  private static final byte[] SENDER = {(byte) 192, 0, 2, 1};

  private static HmacReplayGuard guard(HmacAntiReplay mode, int peers) {
    return new HmacReplayGuard(
        HmacAuthentication.builder().key(1, "a".repeat(32)).antiReplay(mode).build(), 100, peers);
  }

  @Test
  void theClockPacksAsSecondsFractionAndCounter() {
    assertEquals(0x0000_0001_8000_0000L, HmacReplayGuard.clockSequence(SECOND + SECOND / 2));
    assertEquals(0x6b16_9192_0000_0000L, HmacReplayGuard.clockSequence(0x6b169192L * SECOND));
  }

  @Test
  void theSenderTakesTheClockOrCountsOn() {
    HmacReplayGuard guard = guard(HmacAntiReplay.TIME, 0);
    long first = guard.nextSendSequence(NOW);
    assertEquals(HmacReplayGuard.clockSequence(NOW), first);
    assertEquals(first + 1, guard.nextSendSequence(NOW)); // same instant: the counter breaks ties
    assertEquals(first + 2, guard.nextSendSequence(NOW - SECOND)); // a small step back: counts on
    assertEquals(HmacReplayGuard.clockSequence(NOW + SECOND), guard.nextSendSequence(NOW + SECOND));
  }

  @Test
  void timeModeRestartsFromTheClockOnceTheLastSequenceIsStrandedPastTheWindow() {
    HmacReplayGuard guard = guard(HmacAntiReplay.TIME, 0);
    guard.nextSendSequence(NOW + 3600 * SECOND); // a forward step, since corrected
    assertEquals(HmacReplayGuard.clockSequence(NOW), guard.nextSendSequence(NOW));

    HmacReplayGuard monotonic = guard(HmacAntiReplay.MONOTONIC, 0);
    long ahead = monotonic.nextSendSequence(NOW + 3600 * SECOND);
    assertEquals(ahead + 1, monotonic.nextSendSequence(NOW)); // strict growth is its only promise
  }

  @Test
  void theFreshnessWindowIsTheReceiversClockPlusOrMinusTheWindow() {
    HmacReplayGuard guard = guard(HmacAntiReplay.TIME, 0);
    assertEquals(5, guard.windowSeconds());
    assertTrue(guard.fresh(HmacReplayGuard.clockSequence(NOW - 5 * SECOND), NOW));
    assertTrue(guard.fresh(HmacReplayGuard.clockSequence(NOW + 5 * SECOND), NOW));
    assertFalse(guard.fresh(HmacReplayGuard.clockSequence(NOW - 6 * SECOND), NOW));
    assertEquals(6, guard.lastSkewSeconds());
    assertFalse(guard.fresh(HmacReplayGuard.clockSequence(NOW + 100 * SECOND), NOW));
    assertTrue(guard(HmacAntiReplay.MONOTONIC, 0).fresh(0, NOW));
  }

  @Test
  void aMarkOutsideTheWindowExpiresInTimeModeOnly() {
    long stranded = HmacReplayGuard.clockSequence(NOW + 3600 * SECOND);
    long now = HmacReplayGuard.clockSequence(NOW);

    HmacReplayGuard time = guard(HmacAntiReplay.TIME, 1);
    assertTrue(time.acceptVerified(0, SENDER, 4, stranded, NOW + 3600 * SECOND));
    assertTrue(time.acceptVerified(0, SENDER, 4, now, NOW), "expired future mark");
    assertFalse(time.acceptVerified(0, SENDER, 4, now, NOW), "replay after expiry");

    HmacReplayGuard monotonic = guard(HmacAntiReplay.MONOTONIC, 1);
    assertTrue(monotonic.acceptVerified(0, SENDER, 4, stranded, NOW));
    assertFalse(monotonic.acceptVerified(0, SENDER, 4, now, NOW), "monotonic keeps its mark");
  }

  @Test
  void sequencesCompareAcrossTheWrapOfTheSecondsField() {
    HmacReplayGuard guard = guard(HmacAntiReplay.MONOTONIC, 1);
    assertTrue(guard.acceptVerified(0, SENDER, 4, 0xFFFF_FFFF_FFFF_0000L, NOW));
    assertTrue(guard.acceptVerified(0, SENDER, 4, 0x0000_0000_0001_0000L, NOW));
    assertFalse(guard.acceptVerified(0, SENDER, 4, 0xFFFF_FFFF_FFFF_0001L, NOW));
  }

  @Test
  void multicastKeepsFourSendersAndEvictsTheLeastRecentlyUsed() {
    HmacReplayGuard guard = guard(HmacAntiReplay.MONOTONIC, 0);
    byte[][] senders = new byte[6][];
    for (int i = 0; i < senders.length; i++) {
      senders[i] = new byte[] {(byte) 192, 0, 2, (byte) (10 + i)};
    }
    for (int i = 0; i < 4; i++) {
      assertTrue(guard.acceptVerified(-1, senders[i], 4, 100, NOW));
    }
    for (int i = 0; i < 4; i++) {
      assertFalse(guard.acceptVerified(-1, senders[i], 4, 100, NOW), "sender " + i + " kept");
    }
    // A fifth sender evicts sender 0, the least recently used; its old sequence counts again.
    assertTrue(guard.acceptVerified(-1, senders[4], 4, 100, NOW));
    assertFalse(guard.acceptVerified(-1, senders[1], 4, 100, NOW), "sender 1 still kept");
    assertTrue(guard.acceptVerified(-1, senders[0], 4, 100, NOW), "sender 0 was evicted");
  }
}
