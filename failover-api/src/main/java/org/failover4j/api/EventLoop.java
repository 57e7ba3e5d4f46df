package org.failover4j.api;

import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * The single thread that drives protocol cores, their sockets and their timers.
 *
 * <p>One loop serves many instances, like keepalived's one thread. Everything a protocol core does
 * happens on its loop; other threads hand work over with {@link #execute}.
 *
 * <p>Every implementation keeps the same contract (failover-api's test jar holds the tests that
 * check it, {@code EventLoopContract}): timers fire in deadline order, ties in arming order, never
 * early; tasks run on the loop thread in posting order; a turn runs only the tasks posted before it
 * began, then the timers due, so a task that keeps posting tasks cannot starve the timers. A loop
 * with a thread of its own logs and contains whatever a task or timer throws (a {@link
 * VirtualMachineError} aside); once closed, it rejects tasks with a {@link
 * java.util.concurrent.RejectedExecutionException} and runs every task it accepted exactly once.
 *
 * <p>The implementations:
 *
 * <ul>
 *   <li>{@link VirtualTimeEventLoop}: time moves only when a test advances it; tasks and timers run
 *       on the thread that drives it, and what they throw reaches that thread.
 *   <li>{@link ThreadEventLoop}: real time on a thread of its own, pure Java; for cores without
 *       descriptors to poll, such as IPVS sync.
 *   <li>{@code org.failover4j.netlink.PollEventLoop} in {@code netlink-jna}: real time on a thread
 *       that waits in {@code ppoll(2)} on an {@code epoll(7)} set of registered sockets; the kernel
 *       platform's loop.
 * </ul>
 */
public interface EventLoop extends Executor {

  /** {@return the loop's monotonic clock in nanoseconds; the only time protocol cores see} */
  long nanoTime();

  /**
   * Wall-clock time matching {@link #nanoTime()}, for event timestamps and logs.
   *
   * @return the current time on this loop's clock
   */
  Instant now();

  /**
   * Creates a reusable timer that runs {@code action} on the loop when it fires. Arming it again
   * allocates nothing, so protocol cores create their timers once and re-arm them per packet.
   * Timers may be used only on the loop thread.
   *
   * @param action what the timer runs, on the loop
   * @return an idle timer
   */
  Timer newTimer(Runnable action);

  /** Runs {@code task} on the loop thread soon; callable from any thread. */
  @Override
  void execute(Runnable task);

  /** {@return true when called on this loop's thread} */
  boolean inEventLoop();
}
