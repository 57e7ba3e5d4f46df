package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

  private long now;
  private final TimerQueue queue = new TimerQueue(() -> now);

  @Test
  void firesInDeadlineOrderThenArmingOrder() {
    List<String> fired = new ArrayList<>();
    Timer late = queue.newTimer(() -> fired.add("late"));
    Timer firstAt10 = queue.newTimer(() -> fired.add("first@10"));
    Timer secondAt10 = queue.newTimer(() -> fired.add("second@10"));
    late.scheduleAt(30);
    firstAt10.scheduleAt(10);
    secondAt10.scheduleAt(10);

    assertEquals(2, queue.runExpired(10));
    assertEquals(List.of("first@10", "second@10"), fired);
    assertEquals(30, queue.nextDeadline());
    assertEquals(1, queue.runExpired(100));
    assertEquals(Long.MAX_VALUE, queue.nextDeadline());
  }

  @Test
  void rearmingMovesTheDeadlineAndCancelDisarms() {
    int[] count = new int[1];
    Timer t = queue.newTimer(() -> count[0]++);
    t.scheduleAt(50);
    t.scheduleAt(20);
    assertEquals(1, queue.size());
    assertEquals(20, queue.nextDeadline());
    t.cancel();
    assertFalse(t.isScheduled());
    assertEquals(0, queue.runExpired(1_000));
    assertEquals(0, count[0]);
    t.scheduleAfter(5);
    assertTrue(t.isScheduled());
    assertEquals(5, t.deadlineNanos());
  }

  @Test
  void aTimerThatRearmsItselfForNowDoesNotSpinForever() {
    Timer[] self = new Timer[1];
    int[] count = new int[1];
    self[0] =
        queue.newTimer(
            () -> {
              count[0]++;
              self[0].scheduleAt(now);
            });
    self[0].scheduleAt(0);
    assertEquals(1, queue.runExpired(0));
    assertEquals(1, queue.runExpired(0));
    assertEquals(2, count[0]);
  }

  /**
   * Random arm/cancel/fire sequences against a sorted-map model; the seed is printed on failure.
   */
  @Test
  void matchesASortedModelOverRandomOperations() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      TimerQueue q = new TimerQueue(() -> 0);
      int n = 1 + random.nextInt(60);
      List<Integer> fired = new ArrayList<>();
      Timer[] timers = new Timer[n];
      for (int i = 0; i < n; i++) {
        int id = i;
        timers[i] = q.newTimer(() -> fired.add(id));
      }
      TreeMap<Long, Integer> model = new TreeMap<>();
      long order = 0;
      long[] key = new long[n];
      for (int op = 0; op < 300; op++) {
        int i = random.nextInt(n);
        if (random.nextInt(4) == 0) {
          timers[i].cancel();
          model.values().remove(i);
        } else {
          long deadline = random.nextInt(1000);
          timers[i].scheduleAt(deadline);
          model.values().remove(i);
          key[i] = deadline * 1_000_000 + order++;
          model.put(key[i], i);
        }
      }
      assertEquals(model.size(), q.size(), "seed " + seed);
      q.runExpired(Long.MAX_VALUE / 2);
      assertEquals(new ArrayList<>(model.values()), fired, "seed " + seed);
    }
  }
}
