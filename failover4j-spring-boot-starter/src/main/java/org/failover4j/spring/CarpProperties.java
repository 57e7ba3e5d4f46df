package org.failover4j.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.carp.replay.CounterMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The {@code failover4j.carp.*} properties: CARP virtual hosts keyed by name.
 *
 * <pre>
 * failover4j.carp.hosts.db.interface=eth0
 * failover4j.carp.hosts.db.vhid=10
 * failover4j.carp.hosts.db.passphrase=${CARP_PASS}
 * failover4j.carp.hosts.db.virtual-addresses=192.0.2.50/24
 * </pre>
 *
 * A CARP host's close waits, bounded, until its listeners have handled {@code stopped}.
 *
 * @param hosts the virtual hosts by name, in configuration order
 */
@ConfigurationProperties("failover4j.carp")
public record CarpProperties(Map<String, Host> hosts) {

  /**
   * Keeps the configuration order and replaces a missing map by an empty one.
   *
   * @param hosts the virtual hosts by name
   */
  public CarpProperties {
    hosts = hosts == null ? Map.of() : new LinkedHashMap<>(hosts);
  }

  /**
   * One CARP virtual host: every setting of {@code CarpHostConfig.Builder}. Unset values take the
   * builder's (ucarp's) defaults.
   *
   * @param iface the interface to run on ({@code interface}, required)
   * @param vhid the virtual host id, 1..255 (required)
   * @param passphrase the shared passphrase (required); never logged nor in {@link #toString()}
   * @param advbase the advertisement base in seconds, 1..255 (default 1)
   * @param advskew the skew in 1/256 s, 0..254 (default 0); higher is less preferred
   * @param preempt whether to take over from a slower master
   * @param counterMode {@code ucarp-compatible} with ucarp on the LAN, or {@code replay-protected}
   * @param virtualAddresses the virtual addresses such as {@code 192.0.2.50/24} (at least one)
   * @param unicastPeers IPv4 peers to advertise to instead of the multicast group
   * @param virtualMac whether the master holds the addresses on a macvlan with the virtual MAC
   */
  public record Host(
      @Name("interface") String iface,
      Integer vhid,
      String passphrase,
      Integer advbase,
      Integer advskew,
      boolean preempt,
      CounterMode counterMode,
      List<String> virtualAddresses,
      List<String> unicastPeers,
      boolean virtualMac) {

    /**
     * Replaces missing lists by empty ones.
     *
     * @param iface the interface
     * @param vhid the virtual host id
     * @param passphrase the passphrase
     * @param advbase the advertisement base
     * @param advskew the skew
     * @param preempt whether to preempt
     * @param counterMode the counter mode
     * @param virtualAddresses the virtual addresses
     * @param unicastPeers the unicast peers
     * @param virtualMac whether to use the virtual MAC
     */
    public Host {
      virtualAddresses = virtualAddresses == null ? List.of() : List.copyOf(virtualAddresses);
      unicastPeers = unicastPeers == null ? List.of() : List.copyOf(unicastPeers);
    }

    /** Everything but the passphrase. */
    @Override
    public String toString() {
      return "Host[interface="
          + iface
          + ", vhid="
          + vhid
          + ", passphrase "
          + (passphrase == null ? "unset" : "hidden")
          + ", virtualAddresses="
          + virtualAddresses
          + "]";
    }
  }
}
