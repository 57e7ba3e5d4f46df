package org.failover4j.vrrp;

import java.time.Duration;
import java.util.Objects;
import org.failover4j.api.InvalidConfigurationException;

/**
 * An application health check a VRRP instance tracks, like keepalived's {@code track_script}.
 *
 * @param name a name for logs and fault reasons
 * @param weight added while healthy (&gt; 0), subtracted while failing (&lt; 0), or 0: failing
 *     means FAULT
 * @param check the callback
 * @param interval how often it runs
 */
public record TrackedCheck(String name, int weight, HealthCheck check, Duration interval) {

  /**
   * Checks every field.
   *
   * @param name a name for logs and fault reasons
   * @param weight added while healthy (&gt; 0), subtracted while failing (&lt; 0), or 0: failing
   *     means FAULT
   * @param check the callback
   * @param interval how often it runs
   */
  public TrackedCheck {
    InvalidConfigurationException.requirePresent("trackCheck name", name);
    InvalidConfigurationException.requireInRange("trackCheck weight", weight, -254, 254);
    Objects.requireNonNull(check, "check");
    if (interval == null || interval.toMillis() < 10) {
      throw new InvalidConfigurationException(
          "trackCheck interval", "must be at least 10 ms, was " + interval);
    }
  }
}
