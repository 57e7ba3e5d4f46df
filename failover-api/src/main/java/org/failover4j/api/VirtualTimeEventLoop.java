package org.failover4j.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An {@link EventLoop} whose clock moves only when the test advances it. Tasks and timers run on
 * the thread that calls {@link #advanceBy} or {@link #runPending}, in deadline order, so hours of
 * protocol time run in milliseconds and every run with the same inputs is the same.
 *
 * <p>Each turn runs the tasks posted before it began, then the timers due, like the real loops; a
 * task or timer that throws is not contained but propagates to the driving thread, so that a test
 * sees it.
 *
 * <p>Its loop thread is the thread that drives it: the one that created it, until another calls
 * {@link #advanceBy} or {@link #runPending}. Code that runs work "on the loop" therefore runs it
 * inline when called from the test's own thread.
 */
public final class VirtualTimeEventLoop implements EventLoop {

  /** The wall-clock instant that virtual time 0 maps to, unless another is given. */
  public static final Instant DEFAULT_EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant epoch;
  private final TimerQueue timers;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private long now;
  private volatile Thread driver = Thread.currentThread();

  /** A loop at time 0, mapped to {@link #DEFAULT_EPOCH}. */
  public VirtualTimeEventLoop() {
    this(DEFAULT_EPOCH);
  }

  /**
   * A loop at time 0, mapped to the wall-clock instant {@code epoch}.
   *
   * @param epoch the wall-clock instant of time 0
   */
  public VirtualTimeEventLoop(Instant epoch) {
    this.epoch = epoch;
    this.timers = new TimerQueue(this::nanoTime);
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Instant now() {
    return epoch.plusNanos(now);
  }

  @Override
  public Timer newTimer(Runnable action) {
    return timers.newTimer(action);
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  @Override
  public boolean inEventLoop() {
    return Thread.currentThread() == driver;
  }

  /** Runs queued tasks and the timers due now, without moving time. */
  public void runPending() {
    driver = Thread.currentThread();
    boolean progress = true;
    while (progress) {
      progress = runTasks() | timers.runExpired(now) > 0;
    }
  }

  /**
   * Moves time forward by {@code delta}, firing every timer due on the way at its deadline.
   *
   * @param delta how far to move
   */
  public void advanceBy(Duration delta) {
    advanceTo(now + delta.toNanos());
  }

  /**
   * Moves time forward to {@code target} nanoseconds, firing due timers at their deadlines.
   *
   * @param target the time to reach, in nanoseconds
   */
  public void advanceTo(long target) {
    runPending();
    while (timers.nextDeadline() - target <= 0) {
      now = Math.max(now, timers.nextDeadline());
      runPending();
    }
    now = Math.max(now, target);
    runPending();
  }

  /** {@return the number of armed timers (for tests that check nothing is left behind)} */
  public int armedTimers() {
    return timers.size();
  }

  private boolean runTasks() {
    // Only the tasks present now, as a real loop's turn: the timers due run before a task posted
    // by one of these.
    boolean ran = false;
    for (int budget = tasks.size(); budget > 0; budget--) {
      Runnable task = tasks.poll();
      if (task == null) {
        break;
      }
      task.run();
      ran = true;
    }
    return ran;
  }
}
