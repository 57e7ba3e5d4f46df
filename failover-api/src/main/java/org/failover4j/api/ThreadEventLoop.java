package org.failover4j.api;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real-time {@link EventLoop} in pure Java: one daemon thread that runs posted tasks and {@link
 * TimerQueue} timers and parks in between. For cores that need no descriptors of their own (IPVS
 * sync reads its sockets on a thread of its own and hands the datagrams over with {@link
 * #execute}); a core that polls sockets runs on {@code netlink-jna}'s {@code PollEventLoop}.
 *
 * <p>Each turn runs the tasks posted before it began (a task that posts another does not starve the
 * timers), then the timers that are due, then parks until the next deadline or the next {@link
 * #execute}. Anything a task or timer throws is logged and the loop carries on; only a {@link
 * VirtualMachineError} ends it. The thread inherits the network namespace of the thread that starts
 * it.
 *
 * <p>{@link #close()} stops accepting tasks ({@link #execute} then throws {@link
 * RejectedExecutionException}), runs every task already accepted, disarms the timers and waits for
 * the thread to end (unless called on the loop thread itself, which then stops after the current
 * turn).
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ThreadEventLoop.class);

  private final String name;
  private final TimerQueue timers = new TimerQueue(this::nanoTime);
  private final TaskQueue tasks;
  private final long originNanos = System.nanoTime();
  private final Instant origin = Instant.now();
  private final Thread thread;

  private ThreadEventLoop(String name) {
    this.name = name;
    this.tasks = new TaskQueue(name);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /**
   * Creates a loop and starts its thread, named {@code name}.
   *
   * @param name the loop's and its thread's name
   * @return the running loop
   */
  public static ThreadEventLoop start(String name) {
    ThreadEventLoop loop = new ThreadEventLoop(Objects.requireNonNull(name, "name"));
    loop.thread.start();
    return loop;
  }

  /** {@return the loop's name, which is also its thread's} */
  public String name() {
    return name;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return origin.plusNanos(nanoTime() - originNanos);
  }

  /**
   * A reusable timer on this loop's {@link TimerQueue}; arm it on the loop thread. What its action
   * throws is logged.
   */
  @Override
  public Timer newTimer(Runnable action) {
    Objects.requireNonNull(action, "action");
    return timers.newTimer(() -> tasks.runSafely(action, "timer"));
  }

  /**
   * Runs {@code task} on the loop thread, after the tasks posted before it (from the same thread).
   *
   * @throws RejectedExecutionException once the loop is closing
   */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (!inEventLoop()) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public boolean inEventLoop() {
    return Thread.currentThread() == thread;
  }

  /** {@return true once {@link #close()} was called} */
  public boolean isClosed() {
    return !tasks.isRunning();
  }

  /** Stops the loop: see the class description. Idempotent. */
  @Override
  public void close() {
    if (tasks.beginClose()) {
      LockSupport.unpark(thread);
    }
    TaskQueue.join(thread);
  }

  private void run() {
    try {
      while (tasks.isRunning()) {
        tasks.runTurn();
        timers.runExpired(nanoTime());
        if (!tasks.isRunning() || tasks.hasTasks()) {
          continue;
        }
        long deadline = timers.nextDeadline();
        if (deadline == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          long wait = deadline - nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(this, wait);
          }
        }
      }
    } catch (Throwable t) {
      log.error("event loop {} stopped by an unexpected error", name, t);
      throw t;
    } finally {
      tasks.finishClose(timers::clear);
    }
  }

  @Override
  public String toString() {
    return "ThreadEventLoop[" + name + (isClosed() ? ", closed" : "") + "]";
  }
}
