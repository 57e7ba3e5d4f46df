package org.failover4j.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code failover4j} health contributor: each instance's role, VRID, interface and priority,
 * and each sync group's role. An instance in {@link Role#FAULT} makes it {@code DOWN} (this node
 * cannot serve), unless the application itself gave mastership up ({@link VrrpInstance#relinquish},
 * reason {@code relinquished}): that is {@code OUT_OF_SERVICE}, so that a liveness probe does not
 * restart a node that stepped aside on purpose; a stopped router is {@code OUT_OF_SERVICE}; one not
 * started yet {@code UNKNOWN}; masters and backups alike are {@code UP}.
 */
public class Failover4jHealthIndicator implements HealthIndicator {

  private final VrrpRouter router;
  private final List<String> syncGroups;

  /**
   * A contributor for {@code router}.
   *
   * @param router the router
   * @param syncGroups the sync groups to report as well
   */
  public Failover4jHealthIndicator(VrrpRouter router, List<String> syncGroups) {
    this.router = router;
    this.syncGroups = List.copyOf(syncGroups);
  }

  @Override
  public Health health() {
    Map<String, Object> instances = new LinkedHashMap<>();
    Status status = Status.UP;
    for (VrrpInstance instance : router.instances()) {
      RoleChangeEvent last = instance.lastChange();
      Role role = last.to();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("role", role);
      detail.put("reason", last.reason().token());
      detail.put("vrid", instance.config().vrid());
      detail.put("interface", instance.config().iface());
      detail.put("priority", instance.effectivePriority());
      instances.put(instance.name(), detail);
      status = RoleHealth.worse(status, RoleHealth.statusOf(last));
    }
    Health.Builder health = Health.status(status).withDetail("instances", instances);
    if (!syncGroups.isEmpty()) {
      Map<String, Object> groups = new LinkedHashMap<>();
      for (String group : syncGroups) {
        groups.put(group, Map.of("role", router.syncGroup(group).role()));
      }
      health.withDetail("syncGroups", groups);
    }
    return health.build();
  }
}
