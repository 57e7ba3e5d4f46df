package org.failover4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.carp.CarpHost;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code failover4jCarp} health contributor: each CARP host's role, VHID, interface and
 * counters, with the statuses of the VRRP contributor (FAULT is {@code DOWN}, STOPPED {@code
 * OUT_OF_SERVICE}, not started {@code UNKNOWN}, MASTER and BACKUP {@code UP}).
 */
public class CarpHealthIndicator implements HealthIndicator {

  private final CarpHosts hosts;

  /**
   * A contributor for {@code hosts}.
   *
   * @param hosts the CARP hosts
   */
  public CarpHealthIndicator(CarpHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    Status status = Status.UP;
    for (Map.Entry<String, CarpHost> entry : hosts.hosts().entrySet()) {
      CarpHost host = entry.getValue();
      RoleChangeEvent last = host.lastChange();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("role", last.to());
      detail.put("reason", last.reason().token());
      detail.put("vhid", host.config().vhid());
      detail.put("interface", host.config().iface());
      detail.put("advertsSent", host.statistics().advertsSent());
      detail.put("advertsAccepted", host.statistics().advertsReceived());
      details.put(entry.getKey(), detail);
      status = RoleHealth.worse(status, RoleHealth.statusOf(last));
    }
    return Health.status(status).withDetail("hosts", details).build();
  }
}
