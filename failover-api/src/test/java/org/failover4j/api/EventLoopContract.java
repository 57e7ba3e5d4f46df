package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventLoop} contract, run against every implementation: extend it, say how to start a
 * loop and (for virtual time) how to let it run. Shipped in failover-api's test jar so that loops
 * in other modules pass the same tests.
 *
 * <p>Every loop: timers fire in deadline order (ties in arming order), never early (a virtual loop:
 * exactly at the deadline), re-armed and cancelled as their actions say; tasks run on the loop
 * thread in posting order; each turn runs only the tasks posted before it began, so the timers due
 * run before a task posted by a task; {@link EventLoop#now()} moves with {@link
 * EventLoop#nanoTime()}. A loop with a thread of its own also contains any {@link Throwable} from a
 * task or timer and never starves its timers. A loop that can be closed rejects tasks once closed,
 * and runs every task it accepted exactly once, however close races with {@link EventLoop#execute}.
 */
public abstract class EventLoopContract {

  /**
   * How late a real-time timer may fire before the test calls it broken: typical lateness is tens
   * of microseconds; the bound is loose because CI shares two cores.
   */
  protected static final long LATENESS_BOUND = Duration.ofMillis(250).toNanos();

  private static final long WAIT_SECONDS = 10;

  private final List<EventLoop> loops = new ArrayList<>();

  /** Starts a loop of the implementation under test, named {@code name}. */
  protected abstract EventLoop newLoop(String name) throws Exception;

  /** True when the loop's time moves only in {@link #runFor}. */
  protected boolean virtualTime() {
    return false;
  }

  /**
   * Lets {@code loop} run for {@code duration} of its time: a virtual loop is advanced (on the
   * calling thread), a real one is given that long. With zero, a virtual loop runs what is pending.
   */
  protected void runFor(EventLoop loop, Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @AfterEach
  void closeLoops() throws Exception {
    for (EventLoop loop : loops) {
      if (loop instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** A started loop that is closed after the test, when it can be. */
  protected final EventLoop loop() throws Exception {
    EventLoop loop = newLoop("contract-" + loops.size());
    loops.add(loop);
    return loop;
  }

  /** Runs {@code task} on {@code loop} and returns its result. */
  protected final <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    runFor(loop, Duration.ZERO);
    return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void timersFireInDeadlineOrderNeverEarlyAsTheirActionsRearmAndCancel() throws Exception {
    EventLoop loop = loop();
    List<long[]> fired = new ArrayList<>(); // {id, deadline, lateness}
    onLoop(
        loop,
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
          return null;
        });
    runFor(loop, Duration.ofMillis(300));
    List<long[]> seen = onLoop(loop, () -> new ArrayList<>(fired));
    assertEquals(199, seen.size(), "all but the cancelled timer fired");
    List<Long> ids = seen.stream().map(f -> f[0]).toList();
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), ids.subList(0, 11));
    assertFalse(ids.contains(11L));
    assertEquals(12L, ids.get(ids.size() - 1), "the pushed-back timer fires last");
    for (long[] f : seen) {
      if (virtualTime()) {
        assertEquals(0, f[2], "timer " + f[0] + " fired at its deadline");
      } else {
        assertTrue(f[2] >= 0, "timer " + f[0] + " fired " + -f[2] + " ns early");
        assertTrue(f[2] < LATENESS_BOUND, "timer " + f[0] + " fired " + f[2] + " ns late");
      }
    }
    for (int i = 1; i < seen.size(); i++) {
      long[] a = seen.get(i - 1);
      long[] b = seen.get(i);
      assertTrue(a[1] < b[1] || (a[1] == b[1] && a[0] < b[0]), "order at " + i + ": " + ids);
    }
  }

  @Test
  void aTimerRearmedByItsActionKeepsFiringAndCancelStopsIt() throws Exception {
    EventLoop loop = loop();
    AtomicInteger ticks = new AtomicInteger();
    Timer[] timer = new Timer[1];
    onLoop(
        loop,
        () -> {
          timer[0] =
              loop.newTimer(
                  () -> {
                    ticks.incrementAndGet();
                    timer[0].scheduleAfter(Duration.ofMillis(1).toNanos());
                  });
          timer[0].scheduleAfter(0);
          return null;
        });
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (ticks.get() < 100 && System.nanoTime() < giveUp) {
      runFor(loop, Duration.ofMillis(10));
    }
    assertTrue(ticks.get() >= 100, ticks.get() + " ticks");
    // Cancel, and in the same turn arm a sentinel 5 ms after the deadline the timer was armed
    // for. Timers fire in deadline order, so a cancel that left the timer armed would fire it (and
    // count a tick) before the sentinel: no sleeping and hoping.
    int[] atSentinel = {-1};
    int stopped =
        onLoop(
            loop,
            () -> {
              assertTrue(timer[0].isScheduled(), "the action re-armed it");
              long pending = timer[0].deadlineNanos();
              timer[0].cancel();
              loop.newTimer(() -> atSentinel[0] = ticks.get())
                  .scheduleAt(pending + Duration.ofMillis(5).toNanos());
              return ticks.get();
            });
    long sentinelGiveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (onLoop(loop, () -> atSentinel[0]) < 0 && System.nanoTime() < sentinelGiveUp) {
      runFor(loop, Duration.ofMillis(10));
    }
    assertEquals(stopped, onLoop(loop, () -> atSentinel[0]));
    assertFalse(onLoop(loop, timer[0]::isScheduled));
  }

  @Test
  void tasksPostedFromManyThreadsRunOnTheLoopInPerThreadOrder() throws Exception {
    EventLoop loop = loop();
    int threads = 8;
    int perThread = 20_000;
    int[] lastSeen = new int[threads];
    Arrays.fill(lastSeen, -1);
    AtomicInteger outOfOrder = new AtomicInteger();
    AtomicInteger offLoop = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    List<Thread> posters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      posters.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  int n = i;
                  loop.execute(
                      () -> {
                        if (!loop.inEventLoop()) {
                          offLoop.incrementAndGet();
                        }
                        if (lastSeen[thread] != n - 1) {
                          outOfOrder.incrementAndGet();
                        }
                        lastSeen[thread] = n;
                        ran.incrementAndGet();
                      });
                }
              }));
    }
    posters.forEach(Thread::start);
    for (Thread p : posters) {
      p.join();
    }
    // Posted after every poster's last task: it runs after all of them.
    assertEquals(threads * perThread, onLoop(loop, ran::get), "tasks lost");
    assertEquals(0, outOfOrder.get());
    assertEquals(0, offLoop.get());
    if (!virtualTime()) {
      assertFalse(loop.inEventLoop());
    }
  }

  @Test
  void aTurnRunsOnlyTheTasksPostedBeforeItSoDueTimersComeFirst() throws Exception {
    EventLoop loop = loop();
    List<String> order = new ArrayList<>();
    onLoop(
        loop,
        () -> {
          loop.newTimer(() -> order.add("timer due")).scheduleAt(loop.nanoTime());
          loop.execute(() -> order.add("task posted by a task"));
          order.add("task");
          return null;
        });
    assertEquals(
        List.of("task", "timer due", "task posted by a task"),
        onLoop(loop, () -> new ArrayList<>(order)));
  }

  @Test
  void aTaskThatAlwaysPostsAnotherDoesNotStarveTheTimers() throws Exception {
    assumeFalse(virtualTime(), "a virtual loop runs until nothing is pending");
    EventLoop loop = loop();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch fired = new CountDownLatch(1);
    Runnable[] spinner = new Runnable[1];
    spinner[0] =
        () -> {
          if (!stop.get()) {
            loop.execute(spinner[0]);
          }
        };
    loop.execute(
        () -> {
          loop.newTimer(
                  () -> {
                    stop.set(true);
                    fired.countDown();
                  })
              .scheduleAfter(Duration.ofMillis(5).toNanos());
          spinner[0].run();
        });
    assertTrue(fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "the timer never fired");
  }

  @Test
  void anyThrowableFromATaskOrTimerIsContained() throws Exception {
    assumeFalse(virtualTime(), "a virtual loop hands failures to the test that drives it");
    EventLoop loop = loop();
    loop.execute(
        () -> {
          throw new IllegalStateException("task fails on purpose");
        });
    loop.execute(
        () -> {
          throw new AssertionError("task fails with an Error on purpose");
        });
    loop.execute(() -> sneakyThrow(new IOException("task fails with a checked exception")));
    CountDownLatch later = new CountDownLatch(1);
    onLoop(
        loop,
        () -> {
          loop.newTimer(
                  () -> {
                    throw new AssertionError("timer fails on purpose");
                  })
              .scheduleAfter(0);
          loop.newTimer(later::countDown).scheduleAfter(Duration.ofMillis(2).toNanos());
          return null;
        });
    assertTrue(later.await(WAIT_SECONDS, TimeUnit.SECONDS), "a timer after the failures fired");
    assertEquals("still alive", onLoop(loop, () -> "still alive"));
  }

  @Test
  void nowMovesWithNanoTime() throws Exception {
    EventLoop loop = loop();
    long nanos = loop.nanoTime();
    Instant wall = loop.now();
    if (!virtualTime()) {
      long off = Duration.between(Instant.now(), wall).abs().toMillis();
      assertTrue(off < 1_000, "now() is " + off + " ms from the system clock");
    }
    runFor(loop, Duration.ofMillis(30));
    long elapsed = loop.nanoTime() - nanos;
    long wallElapsed = Duration.between(wall, loop.now()).toNanos();
    assertTrue(elapsed >= Duration.ofMillis(30).toNanos(), "nanoTime moved " + elapsed + " ns");
    long skew = Math.abs(wallElapsed - elapsed);
    assertTrue(
        skew < (virtualTime() ? 1 : Duration.ofMillis(5).toNanos()),
        "now() moved " + wallElapsed + " ns while nanoTime() moved " + elapsed);
  }

  @Test
  void tasksAreRejectedOnceTheLoopIsClosedAndThoseBeforeStillRun() throws Exception {
    AutoCloseable loop = closeable(loop());
    EventLoop events = (EventLoop) loop;
    CountDownLatch queued = new CountDownLatch(1);
    events.execute(queued::countDown);
    loop.close();
    assertEquals(0, queued.getCount(), "a task posted before close still ran");
    assertThrows(RejectedExecutionException.class, () -> events.execute(() -> {}));
    loop.close(); // idempotent
  }

  @Test
  void everyTaskAcceptedWhileClosingRunsExactlyOnce() throws Exception {
    for (int round = 0; round < 20; round++) {
      EventLoop loop = newLoop("racing-close");
      AutoCloseable closeable = closeable(loop);
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch started = new CountDownLatch(4);
      List<Thread> posters = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread poster =
            new Thread(
                () -> {
                  started.countDown();
                  while (true) {
                    try {
                      loop.execute(ran::incrementAndGet);
                      accepted.incrementAndGet();
                    } catch (RejectedExecutionException closed) {
                      return;
                    }
                  }
                });
        poster.start();
        posters.add(poster);
      }
      started.await();
      Thread.sleep(2);
      closeable.close();
      for (Thread poster : posters) {
        poster.join();
      }
      assertEquals(accepted.get(), ran.get(), "round " + round);
    }
  }

  @Test
  void closeFromInsideTheLoopStopsItAfterTheCurrentTurn() throws Exception {
    AutoCloseable closeable = closeable(loop());
    EventLoop loop = (EventLoop) closeable;
    Thread thread = onLoop(loop, Thread::currentThread);
    loop.execute(
        () -> {
          try {
            closeable.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(thread.isAlive());
    assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
  }

  private static AutoCloseable closeable(EventLoop loop) {
    assumeTrue(loop instanceof AutoCloseable, "this loop cannot be closed");
    return (AutoCloseable) loop;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }
}
