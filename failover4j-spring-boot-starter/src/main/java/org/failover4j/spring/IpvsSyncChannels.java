package org.failover4j.spring;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleObservable;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The IPVS sync channels of {@code failover4j.ipvs.sync.*}, each opened on its interface and
 * following its source's role (MASTER sends the connection table, BACKUP receives it). This class
 * is the one place the starter turns IPVS properties into {@link IpvsSyncChannel}s.
 */
public class IpvsSyncChannels implements AutoCloseable {

  private final Map<String, IpvsSyncChannel> channels;
  private final Map<String, RoleObservable> sources;

  private IpvsSyncChannels(
      Map<String, IpvsSyncChannel> channels, Map<String, RoleObservable> sources) {
    this.channels = Collections.unmodifiableMap(channels);
    this.sources = sources;
  }

  /**
   * Opens the channels {@code properties} describe and makes each follow its source.
   *
   * @param properties the bound properties
   * @param followers where each channel is registered as a follower of its source
   * @return the channels, idle until their sources' roles say otherwise
   * @throws InvalidConfigurationPropertyValueException naming the property that is wrong
   */
  static IpvsSyncChannels open(IpvsSyncProperties properties, RoleFollowers followers) {
    Map<String, IpvsSyncChannel> channels = new LinkedHashMap<>();
    Map<String, RoleObservable> sources = new LinkedHashMap<>();
    IpvsSyncChannels opened = new IpvsSyncChannels(channels, sources);
    try {
      properties
          .sync()
          .forEach(
              (name, channel) -> {
                String prefix = "failover4j.ipvs.sync." + name + ".";
                if (channel.follow() == null) {
                  throw new InvalidConfigurationPropertyValueException(
                      prefix + "follow",
                      null,
                      "required: a VRRP instance, sync group or CARP host");
                }
                IpvsSyncChannel opening = open(prefix, channel);
                channels.put(name, opening);
                sources.put(
                    name,
                    followers.follow(
                        "ipvs-sync " + name, channel.follow(), opening, () -> role(opening)));
              });
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  private static IpvsSyncChannel open(String prefix, IpvsSyncProperties.Channel channel) {
    if (channel.iface() == null) {
      throw new InvalidConfigurationPropertyValueException(prefix + "interface", null, "required");
    }
    NetworkInterface nif;
    try {
      nif = NetworkInterface.getByName(channel.iface());
    } catch (SocketException e) {
      nif = null;
    }
    if (nif == null) {
      throw new InvalidConfigurationPropertyValueException(
          prefix + "interface", channel.iface(), "no such interface");
    }
    SyncConfig config;
    try {
      SyncConfig.Builder b = SyncConfig.builder().networkInterface(nif);
      if (channel.syncId() != null) {
        b.syncId(channel.syncId());
      }
      if (channel.group() != null) {
        b.group(Failover4jPlatforms.SimulatedLan.ip(channel.group()));
      }
      if (channel.port() != null) {
        b.port(channel.port());
      }
      if (channel.version() != null) {
        b.version(channel.version());
      }
      config = b.build();
    } catch (InvalidConfigurationException e) {
      throw new InvalidConfigurationPropertyValueException(
          prefix
              + e.field().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT),
          null,
          e.problem());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          prefix + "group", channel.group(), e.getMessage());
    }
    IpvsSyncChannel built = IpvsSyncChannel.builder().config(config).build();
    try {
      built.start();
      return built;
    } catch (IOException e) {
      built.close();
      throw new IllegalStateException(
          "failover4j: IPVS sync channel " + prefix + " did not open: " + e, e);
    }
  }

  /** The role a channel acts on: MASTER while it sends, BACKUP while it receives. */
  static Role role(Object channel) {
    return switch (((IpvsSyncChannel) channel).mode()) {
      case MASTER -> Role.MASTER;
      case BACKUP -> Role.BACKUP;
      case IDLE -> Role.INITIALIZE;
    };
  }

  /**
   * The channels by configured name.
   *
   * @return the channels, in configuration order
   */
  public Map<String, IpvsSyncChannel> channels() {
    return channels;
  }

  /** Stops following and closes every channel. */
  @Override
  public void close() {
    channels.forEach(
        (name, channel) -> {
          RoleObservable source = sources.get(name);
          if (source != null) {
            source.removeListener(channel);
          }
          channel.close();
        });
  }
}
