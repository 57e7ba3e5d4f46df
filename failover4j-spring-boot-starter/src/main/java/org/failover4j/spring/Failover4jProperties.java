package org.failover4j.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.ChecksumMode;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The {@code failover4j.*} properties. Instances are keyed by name:
 *
 * <pre>
 * failover4j.vrrp.instances.web.interface=eth0
 * failover4j.vrrp.instances.web.vrid=51
 * failover4j.vrrp.instances.web.priority=150
 * failover4j.vrrp.instances.web.virtual-addresses=192.0.2.100/24
 * </pre>
 *
 * A name with characters other than letters, digits and {@code -} (keepalived's {@code VI_1}) is
 * written in brackets: {@code failover4j.vrrp.instances.[VI_1].vrid=51}.
 *
 * @param platform where the router runs: the kernel (default) or a simulated LAN for tests
 * @param vrrp the VRRP router
 * @param simulation settings of the simulated platform
 */
@ConfigurationProperties("failover4j")
public record Failover4jProperties(
    @DefaultValue("kernel") PlatformKind platform,
    @DefaultValue Vrrp vrrp,
    @DefaultValue Simulation simulation) {

  /** Where the router runs. */
  public enum PlatformKind {
    /** The Linux kernel through netlink and raw sockets (needs CAP_NET_ADMIN and CAP_NET_RAW). */
    KERNEL,
    /** A simulated LAN in this JVM, for tests and demos: no root, nothing leaves the process. */
    SIMULATED
  }

  /**
   * The VRRP router.
   *
   * @param instances the instances by name, in configuration order
   * @param syncGroups sync groups by name, each a list of two or more instance names
   * @param autoStartup whether the router (the starter's or an application's own) starts with the
   *     context
   * @param shutdownTimeout how long shutdown waits for the priority-0 handover and the listeners
   */
  public record Vrrp(
      Map<String, Instance> instances,
      Map<String, List<String>> syncGroups,
      @DefaultValue("true") boolean autoStartup,
      @DefaultValue("10s") Duration shutdownTimeout) {

    /**
     * Keeps the configuration order and replaces missing maps by empty ones.
     *
     * @param instances the instances by name
     * @param syncGroups the sync groups by name
     * @param autoStartup whether the router starts with the context
     * @param shutdownTimeout how long shutdown waits
     */
    public Vrrp {
      instances = instances == null ? Map.of() : new LinkedHashMap<>(instances);
      syncGroups = syncGroups == null ? Map.of() : new LinkedHashMap<>(syncGroups);
    }
  }

  /**
   * One VRRP instance: every setting of {@code VrrpInstanceConfig.Builder}. Unset values take the
   * builder's (keepalived's) defaults.
   *
   * @param iface the interface to run on ({@code interface}, required)
   * @param vrid the virtual router id, 1..255 (required)
   * @param priority 1..255 (default 100; 255 makes this router the address owner)
   * @param version VRRP version 2 or 3 (default 3)
   * @param advertInterval the advertisement interval (default 1 s)
   * @param virtualAddresses the virtual addresses such as {@code 192.0.2.100/24} (at least one)
   * @param auth VRRPv2 authentication, or keepalived 2.4's {@code auth_hmac}
   * @param checksumMode how VRRPv3-over-IPv4 adverts are checksummed
   * @param preempt whether a higher-priority backup takes over (false: keepalived's {@code
   *     nopreempt})
   * @param preemptDelay keepalived's {@code preempt_delay}
   * @param unicastSource the source address for unicast adverts
   * @param unicastPeers unicast peers; empty for multicast
   * @param virtualMac whether to run on a macvlan with the VRRP virtual MAC
   * @param trackInterfaces interfaces tracked with their weights
   * @param trackChecks application health checks tracked with their weights
   * @param announcements gratuitous ARP / unsolicited NA timing
   */
  public record Instance(
      @Name("interface") String iface,
      Integer vrid,
      Integer priority,
      Integer version,
      Duration advertInterval,
      List<String> virtualAddresses,
      @DefaultValue Auth auth,
      ChecksumMode checksumMode,
      @DefaultValue("true") boolean preempt,
      Duration preemptDelay,
      String unicastSource,
      List<String> unicastPeers,
      boolean virtualMac,
      List<TrackInterface> trackInterfaces,
      List<TrackCheck> trackChecks,
      Announcements announcements) {

    /**
     * Replaces missing lists by empty ones.
     *
     * @param iface the interface
     * @param vrid the virtual router id
     * @param priority the priority
     * @param version the VRRP version
     * @param advertInterval the advertisement interval
     * @param virtualAddresses the virtual addresses
     * @param auth the authentication
     * @param checksumMode the checksum mode
     * @param preempt whether to preempt
     * @param preemptDelay the preemption delay
     * @param unicastSource the unicast source
     * @param unicastPeers the unicast peers
     * @param virtualMac whether to use the virtual MAC
     * @param trackInterfaces the tracked interfaces
     * @param trackChecks the tracked checks
     * @param announcements the announcement timing
     */
    public Instance {
      virtualAddresses = virtualAddresses == null ? List.of() : List.copyOf(virtualAddresses);
      unicastPeers = unicastPeers == null ? List.of() : List.copyOf(unicastPeers);
      trackInterfaces = trackInterfaces == null ? List.of() : List.copyOf(trackInterfaces);
      trackChecks = trackChecks == null ? List.of() : List.copyOf(trackChecks);
    }
  }

  /**
   * Authentication: VRRPv2's own ({@code type} and {@code secret}), or keepalived 2.4's {@code
   * auth_hmac} ({@code hmac.*}, v2 and v3), which replaces it. Secrets may come from any property
   * source (an environment variable, a config tree file); they are never logged and never part of
   * {@link #toString()}.
   *
   * @param type {@code none}, {@code simple-text} or {@code ipsec-ah}
   * @param secret the password or AH key, 1..8 bytes
   * @param hmac keepalived 2.4's {@code auth_hmac}; no keys means none
   */
  public record Auth(@DefaultValue("none") AuthType type, String secret, @DefaultValue Hmac hmac) {

    /** Shows the types only. */
    @Override
    public String toString() {
      return "Auth["
          + type
          + (secret == null ? "" : ", secret hidden")
          + (hmac.keys().isEmpty() ? "" : ", " + hmac)
          + "]";
    }
  }

  /**
   * keepalived 2.4's {@code auth_hmac}:
   *
   * <pre>
   * failover4j.vrrp.instances.web.auth.hmac.keys.1=hex:000102...1f
   * failover4j.vrrp.instances.web.auth.hmac.keys.2=${VRRP_KEY_2}
   * failover4j.vrrp.instances.web.auth.hmac.active-key=2
   * failover4j.vrrp.instances.web.auth.hmac.mode=receive-only
   * </pre>
   *
   * @param keys the keys by id 1..255, each {@code hex:HEX} or text, 32..64 bytes
   * @param activeKey the id to sign with (required with several keys)
   * @param mode {@code enforce} (default), {@code permissive} or {@code receive-only}
   * @param antiReplay {@code time} (default) or {@code monotonic}
   * @param timeWindow the freshness window in whole seconds, 1..300 (default max(3 × interval, 5
   *     s))
   */
  public record Hmac(
      Map<Integer, String> keys,
      Integer activeKey,
      @DefaultValue("enforce") HmacMode mode,
      @DefaultValue("time") HmacAntiReplay antiReplay,
      Duration timeWindow) {

    /**
     * Replaces missing keys by none.
     *
     * @param keys the keys by id
     * @param activeKey the id to sign with
     * @param mode the mode
     * @param antiReplay the anti-replay rule
     * @param timeWindow the freshness window
     */
    public Hmac {
      keys = keys == null ? Map.of() : Map.copyOf(keys);
    }

    /** Shows the key ids only. */
    @Override
    public String toString() {
      return "Hmac[keys "
          + new java.util.TreeSet<>(keys.keySet())
          + " hidden, active "
          + activeKey
          + ", "
          + mode
          + ", "
          + antiReplay
          + (timeWindow == null ? "" : ", window " + timeWindow)
          + "]";
    }
  }

  /**
   * A tracked interface.
   *
   * @param name the interface name
   * @param weight added while up (&gt; 0), subtracted while down (&lt; 0), or 0: down means FAULT
   */
  public record TrackInterface(String name, int weight) {}

  /**
   * A tracked application health check: a bean of type {@code org.failover4j.vrrp.HealthCheck}.
   *
   * @param name a name for logs and fault reasons (default: the bean name)
   * @param bean the name of the {@code HealthCheck} bean
   * @param weight added while healthy (&gt; 0), subtracted while failing (&lt; 0), or 0: failing
   *     means FAULT
   * @param interval how often it runs
   */
  public record TrackCheck(
      String name, String bean, int weight, @DefaultValue("1s") Duration interval) {}

  /**
   * Gratuitous ARP / unsolicited NA timing; unset values keep keepalived's defaults.
   *
   * @param delay keepalived's {@code garp_master_delay}
   * @param repeat keepalived's {@code garp_master_repeat}
   * @param refresh keepalived's {@code garp_master_refresh}
   * @param refreshRepeat keepalived's {@code garp_master_refresh_repeat}
   */
  public record Announcements(
      Duration delay, Integer repeat, Duration refresh, Integer refreshRepeat) {}

  /**
   * The simulated platform ({@code failover4j.platform=simulated}): each interface is a LAN of its
   * own inside the JVM, and this router is a host on it.
   *
   * @param addresses this router's address on each interface's LAN (default {@code 192.0.2.1})
   */
  public record Simulation(Map<String, String> addresses) {

    /**
     * Replaces a missing map by an empty one.
     *
     * @param addresses this router's address on each interface
     */
    public Simulation {
      addresses = addresses == null ? Map.of() : Map.copyOf(addresses);
    }
  }
}
