package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.Timer;
import org.junit.jupiter.api.Test;

class ThreadEventLoopTest {

  @Test
  void runsTasksAndTimersOnItsThreadInOrder() throws Exception {
    try (ThreadEventLoop loop = new ThreadEventLoop("test-loop")) {
      List<String> seen = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      loop.execute(
          () -> {
            assertTrue(loop.inEventLoop());
            Timer late =
                loop.newTimer(
                    () -> {
                      seen.add("late");
                      done.countDown();
                    });
            Timer early = loop.newTimer(() -> seen.add("early"));
            late.scheduleAfter(TimeUnit.MILLISECONDS.toNanos(30));
            early.scheduleAfter(TimeUnit.MILLISECONDS.toNanos(10));
            seen.add("task");
          });
      assertTrue(done.await(10, TimeUnit.SECONDS));
      CompletableFuture<List<String>> result = new CompletableFuture<>();
      loop.execute(() -> result.complete(List.copyOf(seen)));
      assertEquals(List.of("task", "early", "late"), result.get(10, TimeUnit.SECONDS));
      assertFalse(loop.inEventLoop());
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheLoop() throws Exception {
    try (ThreadEventLoop loop = new ThreadEventLoop("test-loop")) {
      loop.execute(
          () -> {
            throw new IllegalStateException("task bug");
          });
      CompletableFuture<Boolean> after = new CompletableFuture<>();
      loop.execute(() -> after.complete(true));
      assertTrue(after.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void nowFollowsNanoTime() {
    try (ThreadEventLoop loop = new ThreadEventLoop("test-loop")) {
      long before = loop.nanoTime();
      java.time.Instant first = loop.now();
      assertTrue(loop.now().compareTo(first) >= 0);
      assertTrue(loop.nanoTime() >= before);
    }
  }
}
