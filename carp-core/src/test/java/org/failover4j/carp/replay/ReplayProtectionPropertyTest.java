package org.failover4j.carp.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests of replay protection: random senders whose clocks jump forwards and back,
 * restarts, loss, duplication, bounded reordering and an attacker replaying anything it saw. Run
 * with {@code -Dfailover4j.seed=N} to replay a failure; the seed is in every failure message.
 */
class ReplayProtectionPropertyTest {

  private static final int CASES = 10_000;

  private final long seed = Long.getLong("failover4j.seed", System.nanoTime());
  private final Random random = new Random(seed);

  @Test
  void freshAdvertsPassLostOnesDoNotMatterAndReplaysNeverPass() {
    for (int c = 0; c < CASES; c++) {
      String where = "seed " + seed + ", case " + c;
      SendCounter sender = new SendCounter(CounterMode.REPLAY_PROTECTED, random);
      ReplayWindow window = new ReplayWindow();
      long clock = 1_600_000_000_000L + random.nextInt(1 << 30);
      int n = 20 + random.nextInt(200);
      List<Long> sent = new ArrayList<>();
      long previous = 0;
      for (int i = 0; i < n; i++) {
        clock += random.nextInt(10) == 0 ? -random.nextInt(100_000_000) : random.nextInt(3_000);
        long counter = sender.next(clock);
        if (i > 0) {
          assertTrue(Long.compareUnsigned(counter, previous) > 0, where + ": sender went back");
        }
        previous = counter;
        sent.add(counter);
      }
      // The network: after the first advert, each one lost (20 %), duplicated (10 %), or delayed
      // behind up to 15 later deliveries (1 in 8): never overtaken by SIZE accepted ones.
      List<long[]> timed = new ArrayList<>();
      Set<Long> lost = new HashSet<>();
      for (long counter : sent) {
        boolean first = timed.isEmpty();
        if (!first && random.nextInt(5) == 0) {
          lost.add(counter);
          continue;
        }
        int copies = !first && random.nextInt(10) == 0 ? 2 : 1;
        for (int k = 0; k < copies; k++) {
          int slot = timed.size();
          int delay = !first && random.nextInt(8) == 0 ? random.nextInt(16) : 0;
          timed.add(new long[] {slot + delay, counter});
        }
      }
      timed.sort(java.util.Comparator.comparingLong(t -> t[0]));
      List<Long> wire = timed.stream().map(t -> t[1]).toList();
      Set<Long> accepted = new HashSet<>();
      List<Long> seen = new ArrayList<>();
      for (long counter : wire) {
        boolean fresh = !accepted.contains(counter);
        boolean result = window.accept(counter);
        assertEquals(fresh, result, where + ": counter " + counter + " after " + seen.size());
        accepted.add(counter);
        seen.add(counter);
        // The attacker replays something it saw, now and then.
        if (random.nextInt(4) == 0) {
          long replay = seen.get(random.nextInt(seen.size()));
          assertFalse(window.accept(replay), where + ": replay of " + replay + " accepted");
        }
      }
      for (long counter : sent) {
        assertEquals(!lost.contains(counter), accepted.contains(counter), where);
      }
    }
  }

  @Test
  void aRestartWithTheClockNotBehindStartsAboveEverythingTheLastRunSent() {
    for (int c = 0; c < CASES; c++) {
      String where = "seed " + seed + ", case " + c;
      long clock = 1_600_000_000_000L + random.nextInt(1 << 30);
      SendCounter first = new SendCounter(CounterMode.REPLAY_PROTECTED, random);
      long last = 0;
      int adverts = 1 + random.nextInt(2_000);
      for (int i = 0; i < adverts; i++) {
        // Up to 256 adverts a second (advbase 0, advskew 1 is the fastest CARP allows): at
        // least 3 ms apart; the clock may also stand still.
        clock += random.nextInt(4) == 0 ? 0 : 3 + random.nextInt(1_000);
        last = first.next(clock);
      }
      // A restart takes at least a millisecond.
      clock += 1 + random.nextInt(3);
      long restarted = new SendCounter(CounterMode.REPLAY_PROTECTED, random).next(clock);
      assertTrue(Long.compareUnsigned(restarted, last) > 0, where);
    }
  }

  @Test
  void aClockSteppedBackAcrossARestartIsHealedByOwnAdvertsOrByTime() {
    for (int c = 0; c < CASES; c++) {
      String where = "seed " + seed + ", case " + c;
      long clock = 1_600_000_000_000L + random.nextInt(1 << 30);
      SendCounter first = new SendCounter(CounterMode.REPLAY_PROTECTED, random);
      long last = first.next(clock);
      for (int i = random.nextInt(100); i > 0; i--) {
        last = first.next(clock - i);
      }
      int step = 1 + random.nextInt(10_000_000);
      ReplayWindow peer = new ReplayWindow();
      assertTrue(peer.accept(last), where);
      SendCounter restarted = new SendCounter(CounterMode.REPLAY_PROTECTED, random);
      long behind = restarted.next(clock - step);
      assertFalse(peer.accept(behind), where + ": a stepped-back counter is a replay to the peer");
      if (random.nextBoolean()) {
        // Seeing its own earlier advert (looped back or replayed) moves the sender above it.
        restarted.observeOwn(last);
        assertTrue(peer.accept(restarted.next(clock - step)), where);
      } else {
        // Otherwise the clock catches up after about the step.
        assertTrue(peer.accept(restarted.next(clock + 1)), where);
      }
    }
  }

  @Test
  void ucarpModeStartsRandomAddsOneAndAdoptsWhatItReceives() {
    for (int c = 0; c < CASES; c++) {
      String where = "seed " + seed + ", case " + c;
      SendCounter counter = new SendCounter(CounterMode.UCARP_COMPATIBLE, random);
      long start = counter.next(random.nextLong());
      assertEquals(start + 1, counter.next(random.nextLong()), where);
      long received = random.nextLong();
      counter.observeReceived(received);
      assertEquals(received + 1, counter.next(0), where);
    }
    SendCounter wrap = new SendCounter(CounterMode.UCARP_COMPATIBLE, new Random(1));
    wrap.observeReceived(-1L);
    assertEquals(0L, wrap.next(0), "all ones wraps to 0 as in ucarp");
  }

  @Test
  void theGuardKeepsOneWindowPerSenderAndForgetsTheLeastRecent() {
    ReplayGuard guard = new ReplayGuard(2);
    byte[] a = {(byte) 192, 0, 2, 1};
    byte[] b = {(byte) 192, 0, 2, 2};
    byte[] c = {(byte) 192, 0, 2, 3};
    assertTrue(guard.accept(a, 4, 10));
    assertTrue(guard.accept(b, 4, 10), "another sender's counter is its own");
    assertFalse(guard.accept(a, 4, 10));
    assertTrue(guard.accept(c, 4, 1)); // forgets b, heard from least recently
    assertEquals(2, guard.senders());
    assertFalse(guard.accept(a, 4, 10), "a is still remembered");
    assertTrue(guard.accept(b, 4, 10), "b was forgotten: accepted as after a restart");
  }
}
