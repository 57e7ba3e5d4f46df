package org.failover4j.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.platform.Platform;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The CARP virtual hosts of {@code failover4j.carp.hosts.*}, on one platform this object owns, run
 * with the application context like the VRRP router: started in the last phase, closed gracefully
 * (advbase = advskew = 255 from a master, addresses removed) in the first, each role change
 * published as a {@link RoleChangedEvent} of kind {@link RoleChangedEvent.Kind#CARP_HOST} after the
 * host's {@link MasterOnly} beans were started or stopped.
 *
 * <p>This class is the one place the starter turns CARP properties into {@link CarpHost}s.
 */
public class CarpHosts implements SmartLifecycle, AutoCloseable {

  private final Platform platform;
  private final Map<String, CarpHost> hosts;
  private final ApplicationEventPublisher events;
  private final ListableBeanFactory beans;
  private volatile boolean running;
  private boolean closed;

  private CarpHosts(
      Platform platform,
      Map<String, CarpHost> hosts,
      ApplicationEventPublisher events,
      ListableBeanFactory beans) {
    this.platform = platform;
    this.hosts = Collections.unmodifiableMap(hosts);
    this.events = events;
    this.beans = beans;
  }

  /**
   * The hosts {@code properties} describe on {@code platform}, which the result owns and closes.
   *
   * @param properties the bound properties
   * @param platform where the hosts run
   * @param events where role changes are published
   * @param beans where {@link MasterOnly} beans are found
   * @return the hosts, not started
   * @throws InvalidConfigurationPropertyValueException naming the property a builder rejected
   */
  static CarpHosts create(
      CarpProperties properties,
      Platform platform,
      ApplicationEventPublisher events,
      ListableBeanFactory beans) {
    Map<String, CarpHost> hosts = new LinkedHashMap<>();
    try {
      properties
          .hosts()
          .forEach(
              (name, host) ->
                  hosts.put(
                      name,
                      CarpHost.builder().platform(platform).config(config(name, host)).build()));
    } catch (RuntimeException e) {
      closeQuietly(platform, e);
      throw e;
    }
    return new CarpHosts(platform, hosts, events, beans);
  }

  /** The builder's configuration of host {@code name}; a rejected value names its property. */
  static CarpHostConfig config(String name, CarpProperties.Host host) {
    String prefix = "failover4j.carp.hosts." + name + ".";
    require(prefix + "interface", host.iface());
    require(prefix + "vhid", host.vhid());
    require(prefix + "passphrase", host.passphrase());
    if (host.passphrase().isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(
          prefix + "passphrase", "", "must not be empty");
    }
    if (host.virtualAddresses().isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(
          prefix + "virtual-addresses", null, "at least one virtual address is required");
    }
    try {
      CarpHostConfig.Builder b =
          CarpHostConfig.builder()
              .iface(host.iface())
              .vhid(host.vhid())
              .passphrase(host.passphrase())
              .preempt(host.preempt())
              .virtualMac(host.virtualMac());
      if (host.advbase() != null) {
        b.advbase(host.advbase());
      }
      if (host.advskew() != null) {
        b.advskew(host.advskew());
      }
      if (host.counterMode() != null) {
        b.counterMode(host.counterMode());
      }
      host.virtualAddresses().forEach(b::virtualAddress);
      for (String peer : host.unicastPeers()) {
        b.unicastPeer(Failover4jPlatforms.SimulatedLan.ip(peer));
      }
      return b.build();
    } catch (InvalidConfigurationException e) {
      String property = prefix + kebab(e.field());
      // Never the passphrase's value: only the builder's reason.
      Object value = property.endsWith("passphrase") ? "******" : null;
      throw new InvalidConfigurationPropertyValueException(property, value, e.problem());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          prefix + "unicast-peers", host.unicastPeers(), e.getMessage());
    }
  }

  private static void require(String property, Object value) {
    if (value == null) {
      throw new InvalidConfigurationPropertyValueException(property, null, "required");
    }
  }

  private static String kebab(String field) {
    return switch (field) {
      case "iface" -> "interface";
      case "virtualAddress", "prefixLength" -> "virtual-addresses";
      case "unicastPeer" -> "unicast-peers";
      default -> field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * The hosts by configured name.
   *
   * @return the hosts, in configuration order
   */
  public Map<String, CarpHost> hosts() {
    return hosts;
  }

  /**
   * The host configured as {@code name}.
   *
   * @param name the name under {@code failover4j.carp.hosts}
   * @return the host
   * @throws IllegalArgumentException when there is none of that name
   */
  public CarpHost host(String name) {
    CarpHost host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no CARP host " + name + "; there are " + hosts.keySet());
    }
    return host;
  }

  @Override
  public void start() {
    MasterOnlyBeans masterOnly = MasterOnlyBeans.find(beans, hosts.keySet());
    hosts.forEach(
        (name, host) -> {
          host.addListener(
              new RoleListener() {
                @Override
                public void roleChanged(RoleChangeEvent change) {
                  if (change.epoch() > 0) {
                    // Switched first: an event listener finds the bean already running or not.
                    masterOnly.switchFor(name, change.to());
                    events.publishEvent(
                        new RoleChangedEvent(
                            CarpHosts.this, RoleChangedEvent.Kind.CARP_HOST, name, change));
                  }
                }
              });
          try {
            host.start();
          } catch (IOException e) {
            throw new IllegalStateException(
                "failover4j: CARP host " + name + " did not start: " + e, e);
          }
        });
    running = true;
  }

  /** Leaves gracefully; each host's close waits, bounded, for its listeners. */
  @Override
  public void stop() {
    hosts.values().forEach(CarpHost::close);
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The last phase, as the VRRP router's. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  /** Closes the hosts, then the platform; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try {
      platform.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(Platform platform, RuntimeException cause) {
    try {
      platform.close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
