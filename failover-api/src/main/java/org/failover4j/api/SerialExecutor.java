package org.failover4j.api;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor that may have many
 * threads. This is what keeps a listener from ever being called concurrently with itself.
 */
public final class SerialExecutor implements Executor {

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * Serializes tasks onto {@code delegate}.
   *
   * @param delegate the executor that runs the tasks, one at a time
   */
  public SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      try {
        delegate.execute(this::drain);
      } catch (RuntimeException e) {
        // A rejecting delegate (shut down, saturated) must not leave the queue marked as draining.
        draining.set(false);
        throw e;
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    } finally {
      draining.set(false);
      // A task added after the last poll but before the flag was cleared must not be stranded.
      if (!tasks.isEmpty()) {
        scheduleDrain();
      }
    }
  }
}
