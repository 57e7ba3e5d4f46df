package org.failover4j.api;

import java.time.Duration;
import java.util.concurrent.Executor;

/** Something with a role that listeners can follow: a VRRP instance, a sync group, a CARP host. */
public interface RoleObservable {

  /** {@return the current role, as of the last published transition} */
  Role role();

  /** Registers a listener called on the library's listener threads. */
  void addListener(RoleChangeListener listener);

  /**
   * Registers a listener called on {@code executor}; pass {@code Runnable::run} to be called
   * directly on the event-loop thread (then the listener must not block).
   */
  void addListener(RoleChangeListener listener, Executor executor);

  /** Unregisters a listener; events already handed to its executor may still arrive. */
  boolean removeListener(RoleChangeListener listener);

  /**
   * Waits until the role is {@code role}.
   *
   * @return true if the role was reached, false on timeout
   */
  boolean awaitRole(Role role, Duration timeout) throws InterruptedException;
}
