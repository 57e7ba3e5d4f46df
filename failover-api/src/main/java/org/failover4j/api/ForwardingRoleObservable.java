package org.failover4j.api;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A {@link RoleObservable} that hands every call to another, usually the {@link RolePublisher} a
 * runtime publishes its transitions through. Implement {@link #roles()} and the rest is done.
 */
public interface ForwardingRoleObservable extends RoleObservable {

  /** {@return the observable every call goes to} */
  RoleObservable roles();

  @Override
  default Role role() {
    return roles().role();
  }

  @Override
  default RoleChangeEvent lastChange() {
    return roles().lastChange();
  }

  @Override
  default void addListener(RoleChangeListener listener) {
    roles().addListener(listener);
  }

  @Override
  default void addListener(RoleChangeListener listener, Executor executor) {
    roles().addListener(listener, executor);
  }

  @Override
  default boolean removeListener(RoleChangeListener listener) {
    return roles().removeListener(listener);
  }

  @Override
  default boolean awaitRole(Role role, Duration timeout) throws InterruptedException {
    return roles().awaitRole(role, timeout);
  }
}
