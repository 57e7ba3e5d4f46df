package org.failover4j.api;

/**
 * Receives every role change of a failover instance or group: the functional form of {@link
 * RoleListener}, for a lambda.
 *
 * <pre>{@code
 * instance.addListener(e -> log.info("{} is {} ({})", e.source(), e.to(), e.reason()));
 * }</pre>
 */
@FunctionalInterface
public interface RoleChangeListener {

  /**
   * One event, in order, never concurrently with another for this listener.
   *
   * @param event the transition
   */
  void roleChanged(RoleChangeEvent event);
}
