package org.failover4j.vrrp;

/**
 * An application health check a VRRP instance tracks, like keepalived's {@code track_script}. It
 * runs off the event loop, so it may block briefly; throwing counts as a failure.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * {@return true when the service this router fronts is healthy}
   *
   * @throws Exception which counts as unhealthy
   */
  boolean healthy() throws Exception;
}
