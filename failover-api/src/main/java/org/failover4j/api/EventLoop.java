package org.failover4j.api;

import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * The single thread that drives protocol cores, their sockets and their timers.
 *
 * <p>One loop serves many instances, like keepalived's one thread. Everything a protocol core does
 * happens on its loop; other threads hand work over with {@link #execute}. Two implementations
 * exist: {@link VirtualTimeEventLoop} (time moves only when a test says so) and the poll-based loop
 * in {@code netlink-jna} (real time, real descriptors).
 */
public interface EventLoop extends Executor {

  /** The loop's monotonic clock in nanoseconds; the only time protocol cores see. */
  long nanoTime();

  /** Wall-clock time matching {@link #nanoTime()}, for event timestamps and logs. */
  Instant now();

  /**
   * Creates a reusable timer that runs {@code action} on the loop when it fires. Arming it again
   * allocates nothing, so protocol cores create their timers once and re-arm them per packet.
   * Timers may be used only on the loop thread.
   */
  Timer newTimer(Runnable action);

  /** Runs {@code task} on the loop thread soon; callable from any thread. */
  @Override
  void execute(Runnable task);

  /** True when called on this loop's thread. */
  boolean inEventLoop();
}
