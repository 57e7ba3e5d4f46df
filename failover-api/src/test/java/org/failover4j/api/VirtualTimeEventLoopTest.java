package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link VirtualTimeEventLoop} under the {@link EventLoop} contract, and what only it does. */
class VirtualTimeEventLoopTest extends EventLoopContract {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();

  @Override
  protected EventLoop newLoop(String name) {
    return new VirtualTimeEventLoop();
  }

  @Override
  protected boolean virtualTime() {
    return true;
  }

  @Override
  protected void runFor(EventLoop loop, Duration duration) {
    ((VirtualTimeEventLoop) loop).advanceBy(duration);
  }

  @Test
  void timersFireAtTheirDeadlinesAsTimeAdvances() {
    List<Long> firedAt = new ArrayList<>();
    Timer a = loop.newTimer(() -> firedAt.add(loop.nanoTime()));
    Timer b = loop.newTimer(() -> firedAt.add(loop.nanoTime()));
    a.scheduleAfter(Duration.ofMillis(300).toNanos());
    b.scheduleAfter(Duration.ofMillis(100).toNanos());

    loop.advanceBy(Duration.ofMillis(250));
    assertEquals(List.of(100_000_000L), firedAt);
    assertEquals(250_000_000L, loop.nanoTime());
    loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(100_000_000L, 300_000_000L), firedAt);
    assertEquals(VirtualTimeEventLoop.DEFAULT_EPOCH.plusMillis(1250), loop.now());
  }

  @Test
  void aTimerArmedByATimerFiresInTheSameAdvance() {
    List<Long> firedAt = new ArrayList<>();
    Timer[] periodic = new Timer[1];
    periodic[0] =
        loop.newTimer(
            () -> {
              firedAt.add(loop.nanoTime());
              periodic[0].scheduleAfter(1_000);
            });
    periodic[0].scheduleAfter(1_000);
    loop.advanceBy(Duration.ofNanos(3_500));
    assertEquals(List.of(1_000L, 2_000L, 3_000L), firedAt);
  }

  @Test
  void tasksFromOtherThreadsRunOnTheDrivingThread() throws Exception {
    List<Boolean> onLoop = new ArrayList<>();
    List<Boolean> otherIsLoop = new ArrayList<>();
    Thread other =
        new Thread(
            () -> {
              otherIsLoop.add(loop.inEventLoop());
              loop.execute(() -> onLoop.add(loop.inEventLoop()));
            });
    other.start();
    other.join();
    assertEquals(List.of(false), otherIsLoop);
    assertTrue(loop.inEventLoop(), "the creating thread drives the loop");
    loop.runPending();
    assertEquals(List.of(true), onLoop);
  }
}
