package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same timer scenario on both {@link EventLoop}s: under virtual time every timer fires exactly
 * at its deadline, under real time never before it; in both, in deadline order, ties in arming
 * order, and a timer re-armed or cancelled by another's action behaves the same.
 */
class EventLoopContractTest {

  /** Runs the scenario on the loop's thread; returns what fired as {id, deadline, lateness}. */
  private static List<long[]> scenario(EventLoop loop, Runnable advance) throws Exception {
    List<long[]> fired = new ArrayList<>();
    CompletableFuture<Void> armed = new CompletableFuture<>();
    loop.execute(
        () -> {
          Random random = new Random(7);
          long base = loop.nanoTime() + Duration.ofMillis(5).toNanos();
          Timer[] timers = new Timer[200];
          long[] deadlines = new long[timers.length];
          for (int i = 0; i < timers.length; i++) {
            int id = i;
            timers[i] =
                loop.newTimer(
                    () -> {
                      fired.add(new long[] {id, deadlines[id], loop.nanoTime() - deadlines[id]});
                      if (id == 10) {
                        timers[11].cancel(); // a later timer cancelled by an earlier one
                        deadlines[12] += Duration.ofMillis(30).toNanos();
                        timers[12].scheduleAt(deadlines[12]); // and one pushed back
                      }
                    });
            // Coarse steps so that some deadlines tie; ids 10..12 come first.
            deadlines[i] = base + (i < 13 ? i : 13 + random.nextInt(20)) * 1_000_000L;
            timers[i].scheduleAt(deadlines[i]);
          }
          armed.complete(null);
        });
    advance.run();
    armed.get(5, TimeUnit.SECONDS);
    return fired;
  }

  @ParameterizedTest
  @ValueSource(strings = {"virtual", "poll"})
  void timersFireInOrderAndOnTime(String kind) throws Exception {
    List<long[]> fired;
    boolean virtual = kind.equals("virtual");
    if (virtual) {
      VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
      fired = scenario(loop, () -> loop.advanceBy(Duration.ofSeconds(1)));
    } else {
      try (PollEventLoop loop = PollEventLoop.start("contract")) {
        List<long[]> live = scenario(loop, () -> {});
        Thread.sleep(200);
        fired = new ArrayList<>();
        CompletableFuture<Void> copied = new CompletableFuture<>();
        loop.execute(
            () -> {
              fired.addAll(live);
              copied.complete(null);
            });
        copied.get(5, TimeUnit.SECONDS);
      }
    }
    assertEquals(199, fired.size(), "all but the cancelled timer fired");
    List<Long> ids = fired.stream().map(f -> f[0]).toList();
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), ids.subList(0, 11));
    assertTrue(!ids.contains(11L));
    assertEquals(12L, ids.get(ids.size() - 1), "the pushed-back timer fires last");
    for (long[] f : fired) {
      if (virtual) {
        assertEquals(0, f[2], "timer " + f[0] + " fired at its deadline");
      } else {
        assertTrue(f[2] >= 0, "timer " + f[0] + " fired " + -f[2] + " ns early");
      }
    }
    // Deadline order; equal deadlines in arming order, which is id order here.
    for (int i = 1; i < fired.size(); i++) {
      long[] a = fired.get(i - 1);
      long[] b = fired.get(i);
      assertTrue(a[1] < b[1] || (a[1] == b[1] && a[0] < b[0]), "order at " + i + ": " + ids);
    }
  }
}
