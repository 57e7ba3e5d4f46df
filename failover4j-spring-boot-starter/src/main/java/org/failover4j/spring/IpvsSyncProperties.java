package org.failover4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.ipvs.SyncVersion;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The {@code failover4j.ipvs.*} properties: IPVS connection-sync channels keyed by name, each
 * following the role of a VRRP instance, sync group or CARP host.
 *
 * <pre>
 * failover4j.ipvs.sync.lb.follow=web
 * failover4j.ipvs.sync.lb.interface=eth1
 * failover4j.ipvs.sync.lb.sync-id=3
 * </pre>
 *
 * @param sync the channels by name
 */
@ConfigurationProperties("failover4j.ipvs")
public record IpvsSyncProperties(Map<String, Channel> sync) {

  /**
   * Keeps the configuration order and replaces a missing map by an empty one.
   *
   * @param sync the channels by name
   */
  public IpvsSyncProperties {
    sync = sync == null ? Map.of() : new LinkedHashMap<>(sync);
  }

  /**
   * One channel: the settings of {@code SyncConfig.Builder} an operator sets; unset values keep the
   * kernel's defaults.
   *
   * @param follow the VRRP instance, sync group or CARP host whose role it follows (required)
   * @param iface the interface to send and receive on ({@code interface}, required)
   * @param syncId the sync id, 0..255 (default 0: every id)
   * @param group the multicast group (default 224.0.0.81)
   * @param port the UDP port (default 8848)
   * @param version the message format (default v1)
   */
  public record Channel(
      String follow,
      @Name("interface") String iface,
      Integer syncId,
      String group,
      Integer port,
      SyncVersion version) {}
}
