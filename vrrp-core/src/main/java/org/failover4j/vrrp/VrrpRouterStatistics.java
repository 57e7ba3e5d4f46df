package org.failover4j.vrrp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.api.SourceStatistics;
import org.failover4j.api.platform.AdvertDropReason;

/**
 * A snapshot of a {@link VrrpRouter}'s counters: each instance's, and what the shared advert
 * sockets dropped before any instance saw it.
 *
 * @param instances each instance's counters, by name, in configuration order
 * @param drops adverts the platform's shared sockets dropped (malformed, or for a VRID or VHID
 *     nobody here runs) or could not send, per reason, zeros included
 */
public record VrrpRouterStatistics(
    Map<String, VrrpStatistics> instances, Map<AdvertDropReason, Long> drops)
    implements SourceStatistics {

  /**
   * Copies the maps, keeping their order.
   *
   * @param instances each instance's counters, by name, in configuration order
   * @param drops adverts the shared sockets dropped or could not send, per reason
   */
  public VrrpRouterStatistics {
    instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    drops = SourceStatistics.ordered(drops);
  }

  /**
   * {@return the counters of the instance named {@code name}}
   *
   * @param name the instance's name
   */
  public VrrpStatistics instance(String name) {
    VrrpStatistics s = instances.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no instance named " + name);
    }
    return s;
  }

  @Override
  public String toString() {
    return SourceStatistics.text(this);
  }
}
