package org.failover4j.vrrp;

import org.failover4j.api.InvalidConfigurationException;

/**
 * An interface a VRRP instance tracks, like keepalived's {@code track_interface}.
 *
 * @param name the interface name
 * @param weight added while up (&gt; 0), subtracted while down (&lt; 0), or 0: down means FAULT
 */
public record TrackedInterface(String name, int weight) {

  /**
   * Checks the name and the weight range.
   *
   * @param name the interface name
   * @param weight added while up (&gt; 0), subtracted while down (&lt; 0), or 0: down means FAULT
   */
  public TrackedInterface {
    if (name == null || name.isEmpty() || name.length() > 15) {
      throw new InvalidConfigurationException(
          "trackInterface", "interface name must be 1..15 characters, was " + name);
    }
    InvalidConfigurationException.requireInRange("trackInterface weight", weight, -254, 254);
  }
}
