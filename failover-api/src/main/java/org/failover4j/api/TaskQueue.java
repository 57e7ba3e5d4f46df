package org.failover4j.api;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task half of a real-time {@link EventLoop}, as {@link TimerQueue} is the timer half: the
 * queue that {@link EventLoop#execute} feeds from any thread, a turn that runs only the tasks
 * posted before it began, containment of whatever a task throws, and a close that rejects new tasks
 * yet runs every task it accepted exactly once. {@link ThreadEventLoop} and netlink-jna's {@code
 * PollEventLoop} share it, so they keep the contract the same way.
 */
public final class TaskQueue {

  private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);

  private static final int RUNNING = 0;
  private static final int CLOSING = 1;
  private static final int CLOSED = 2;

  private final String name;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger state = new AtomicInteger(RUNNING);

  /**
   * A queue for the loop named {@code name} (used in messages).
   *
   * @param name the loop's name
   */
  public TaskQueue(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Queues {@code task}; callable from any thread.
   *
   * @param task the task
   * @throws RejectedExecutionException once {@link #beginClose()} was called
   */
  public void add(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state.get() != RUNNING) {
      throw new RejectedExecutionException(name + " is closed");
    }
    tasks.add(task);
    if (state.get() == CLOSED && tasks.remove(task)) {
      // The last drain ended between the check above and the add: nobody will run it.
      throw new RejectedExecutionException(name + " is closed");
    }
  }

  /** {@return true while tasks are accepted} */
  public boolean isRunning() {
    return state.get() == RUNNING;
  }

  /** {@return true when tasks are waiting} */
  public boolean hasTasks() {
    return !tasks.isEmpty();
  }

  /**
   * Runs the tasks queued now, not those they queue: one that keeps posting tasks cannot starve the
   * timers and descriptors the loop serves between turns.
   */
  public void runTurn() {
    for (int budget = tasks.size(); budget > 0; budget--) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      runSafely(task, "task");
    }
  }

  /**
   * Runs {@code action}, logging whatever it throws as the failure of a {@code what}; only a {@link
   * VirtualMachineError} propagates, and ends the loop.
   *
   * @param action what to run
   * @param what what the action is, for the log
   */
  public void runSafely(Runnable action, String what) {
    try {
      action.run();
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      log.warn("{}: {} failed", name, what, t);
    }
  }

  /**
   * Stops accepting tasks. True for the call that did so; false if the queue was closing.
   *
   * @return true for the call that stopped the queue
   */
  public boolean beginClose() {
    return state.compareAndSet(RUNNING, CLOSING);
  }

  /**
   * On the loop thread as it ends: stops accepting tasks, runs those accepted, runs {@code release}
   * (disarm timers, close descriptors), then runs any task that raced with the close.
   *
   * @param release what to release once the last task ran
   */
  public void finishClose(Runnable release) {
    state.set(CLOSING);
    drain();
    try {
      release.run();
    } finally {
      state.set(CLOSED);
      // A task that raced with the close is either taken back by its poster (who gets a
      // RejectedExecutionException) or run here: never silently dropped.
      drain();
    }
  }

  private void drain() {
    // Only posters that passed the state check before CLOSING can still add: this ends.
    Runnable task;
    while ((task = tasks.poll()) != null) {
      runSafely(task, "task");
    }
  }

  /**
   * Waits for {@code thread} to end, unless called on it; keeps the caller's interrupt.
   *
   * @param thread the loop's thread
   */
  public static void join(Thread thread) {
    if (Thread.currentThread() == thread) {
      return;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TaskQueue[" + name + (isRunning() ? "" : ", closed") + "]";
  }
}
