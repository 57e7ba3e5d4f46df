package org.failover4j.ipvs;

import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;
import org.failover4j.api.TimerQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real-time {@link EventLoop} on one daemon thread: tasks and {@link TimerQueue} timers, parking
 * in between. A channel opened without a loop of the caller's runs on one of these; the thread
 * inherits the network namespace of the thread that creates it.
 */
final class ThreadEventLoop implements EventLoop, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ThreadEventLoop.class);

  private final TimerQueue timers = new TimerQueue(System::nanoTime);
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final long originNanos = System.nanoTime();
  private final Instant origin = Instant.now();
  private final Thread thread;
  private volatile boolean running = true;

  ThreadEventLoop(String name) {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  @Override
  public Timer newTimer(Runnable action) {
    return timers.newTimer(action);
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (Thread.currentThread() != thread) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public boolean inEventLoop() {
    return Thread.currentThread() == thread;
  }

  /** Stops the thread after the task it is running; waits for it unless called on it. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    if (!inEventLoop()) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (running) {
      runTasks();
      try {
        timers.runExpired(System.nanoTime());
      } catch (RuntimeException e) {
        log.warn("timer failed on event loop {}", thread.getName(), e);
      }
      if (!tasks.isEmpty() || !running) {
        continue;
      }
      long deadline = timers.nextDeadline();
      if (deadline == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
        }
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("task failed on event loop {}", thread.getName(), e);
      }
    }
  }
}
