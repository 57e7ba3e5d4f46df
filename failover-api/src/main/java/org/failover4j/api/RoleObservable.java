package org.failover4j.api;

import java.time.Duration;
import java.util.concurrent.Executor;

/** Something with a role that listeners can follow: a VRRP instance, a sync group, a CARP host. */
public interface RoleObservable {

  /** {@return the current role, as of the last published transition} */
  Role role();

  /**
   * The last transition published, or the initial event: the role with its reason and epoch (say,
   * to tell a FAULT the application asked for, {@link TransitionReason#RELINQUISHED}, from one it
   * did not).
   *
   * @return the last event
   */
  RoleChangeEvent lastChange();

  /**
   * Registers a listener called on the library's listener threads.
   *
   * @param listener the listener
   */
  void addListener(RoleChangeListener listener);

  /**
   * Registers a listener called on {@code executor}; pass {@code Runnable::run} to be called
   * directly on the event-loop thread (then the listener must not block).
   *
   * @param listener the listener
   * @param executor where to call the listener; {@code Runnable::run} calls it on the event loop
   */
  void addListener(RoleChangeListener listener, Executor executor);

  /**
   * Unregisters a listener; events already handed to its executor may still arrive.
   *
   * @param listener the listener
   * @return true if the listener was registered
   */
  boolean removeListener(RoleChangeListener listener);

  /**
   * Waits until the role is {@code role}.
   *
   * @param role the role to wait for
   * @param timeout how long to wait at most
   * @return true if the role was reached, false on timeout
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitRole(Role role, Duration timeout) throws InterruptedException;
}
