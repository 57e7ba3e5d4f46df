package org.failover4j.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the role of one source and hands its transitions to listeners, the way every runtime in
 * failover4j does it.
 *
 * <p>Each listener gets events in order, one at a time, on its own executor; a new listener first
 * receives the current role. A listener that throws is logged and keeps receiving events. {@link
 * #publish} is cheap and never blocks on a listener, so it is safe on the event loop.
 */
public final class RolePublisher implements RoleObservable {

  private static final Logger log = LoggerFactory.getLogger(RolePublisher.class);

  /** Daemon threads shared by every publisher: listeners never run on an event-loop thread. */
  private static final ExecutorService LISTENER_THREADS =
      Executors.newCachedThreadPool(
          new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger counter = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "failover4j-listener-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final Object idle = new Object();
  private RoleChangeEvent current;

  /** Set while this thread runs a listener callback: waiting for listeners there would deadlock. */
  private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> false);

  /**
   * Starts in {@link Role#INITIALIZE} at epoch 0.
   *
   * @param source the instance or sync-group name events carry
   * @param createdAt the time of the initial event
   */
  public RolePublisher(String source, Instant createdAt) {
    this.current = RoleChangeEvent.initial(source, createdAt);
  }

  /**
   * Records a transition to {@code to} and queues it for every listener. Publishing the current
   * role again is ignored.
   *
   * @param to the new role
   * @param reason why
   * @param time when, on the event loop's clock
   * @return the event, or null when the role did not change
   */
  public RoleChangeEvent publish(Role to, TransitionReason reason, Instant time) {
    lock.lock();
    try {
      if (current.to() == to) {
        return null;
      }
      RoleChangeEvent event = current.next(to, reason, time);
      current = event;
      for (Subscription s : subscriptions) {
        deliverOrDrop(s, event);
      }
      changed.signalAll();
      return event;
    } finally {
      lock.unlock();
    }
  }

  /** {@return the last event published, or the initial one} */
  public RoleChangeEvent current() {
    lock.lock();
    try {
      return current;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Role role() {
    return current().to();
  }

  @Override
  public RoleChangeEvent lastChange() {
    return current();
  }

  @Override
  public void addListener(RoleChangeListener listener) {
    addListener(listener, LISTENER_THREADS);
  }

  @Override
  public void addListener(RoleChangeListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    lock.lock();
    try {
      Subscription s = new Subscription(listener, executor);
      subscriptions.add(s);
      deliverOrDrop(s, current);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean removeListener(RoleChangeListener listener) {
    return subscriptions.removeIf(s -> s.listener == listener);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns false at once when the source has stopped (and {@code role} is not {@link
   * Role#STOPPED}): a stopped source never changes again.
   */
  @Override
  public boolean awaitRole(Role role, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (current.to() != role) {
        if (remaining <= 0 || current.to() == Role.STOPPED) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every listener has handled every event published so far, at most {@code timeout}: a
   * runtime that closes calls this so that cleanup in {@code stopped()} finishes before {@code
   * close()} returns (and before a shutdown hook lets the JVM exit).
   *
   * @param timeout how long to wait at most
   * @return true when all listeners are idle, false on timeout, or at once when called from inside
   *     a listener callback (which would otherwise wait for itself)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitListeners(Duration timeout) throws InterruptedException {
    if (IN_CALLBACK.get()) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (!allIdle()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        idle.wait(Math.max(1, remaining / 1_000_000), 0);
      }
      return true;
    }
  }

  private boolean allIdle() {
    for (Subscription s : subscriptions) {
      if (s.pending.get() != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Hands {@code event} to one listener; a listener whose executor refuses work (shut down) is
   * dropped, so it can neither stop the others from hearing the event nor the publisher.
   */
  private void deliverOrDrop(Subscription s, RoleChangeEvent event) {
    try {
      s.deliver(event);
    } catch (RuntimeException e) {
      subscriptions.remove(s);
      log.warn("role listener {} removed: its executor refused {}", s.listener, event, e);
    }
  }

  /** One listener with its executor; runs its events strictly one after another. */
  private final class Subscription {
    private final RoleChangeListener listener;
    private final SerialExecutor serial;
    private final AtomicInteger pending = new AtomicInteger();

    Subscription(RoleChangeListener listener, Executor executor) {
      this.listener = listener;
      this.serial = new SerialExecutor(executor);
    }

    void deliver(RoleChangeEvent event) {
      pending.incrementAndGet();
      try {
        serial.execute(() -> handle(event));
      } catch (RuntimeException e) {
        done();
        throw e;
      }
    }

    private void handle(RoleChangeEvent event) {
      IN_CALLBACK.set(true);
      try {
        listener.roleChanged(event);
      } catch (RuntimeException e) {
        log.warn("role listener {} failed on {}", listener, event, e);
      } finally {
        IN_CALLBACK.set(false);
        done();
      }
    }

    private void done() {
      if (pending.decrementAndGet() == 0) {
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }
  }
}
