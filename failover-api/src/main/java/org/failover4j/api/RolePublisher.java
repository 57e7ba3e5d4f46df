package org.failover4j.api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the role of one source and hands its transitions to listeners, the way every runtime in
 * failover4j does it.
 *
 * <p>Each listener gets events in order, one at a time, on its own executor; a new listener first
 * receives the current role. A listener that throws is logged and keeps receiving events. {@link
 * #publish} is cheap and never blocks on a listener, so it is safe on the event loop.
 */
public final class RolePublisher implements RoleObservable {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ListenerSet<RoleChangeListener, RoleChangeEvent> listeners =
      new ListenerSet<>("role listener", RoleChangeListener::roleChanged);
  private RoleChangeEvent current;

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
      listeners.publish(event);
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
    addListener(listener, ListenerSet.listenerThreads());
  }

  @Override
  public void addListener(RoleChangeListener listener, Executor executor) {
    lock.lock();
    try {
      listeners.add(listener, executor, current);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean removeListener(RoleChangeListener listener) {
    return listeners.remove(listener);
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
    return listeners.awaitIdle(timeout);
  }
}
