package org.failover4j.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.vrrp.VrrpSyncGroup;

/**
 * Binds a whole {@link VrrpRouter}: a {@link VrrpInstanceMetrics} for each instance, the role and
 * transitions of each named sync group ({@code failover4j.vrrp.sync.group.role} and {@code
 * failover4j.vrrp.sync.group.transitions}, tagged {@code group}), and {@code
 * failover4j.vrrp.unclaimed.drops}: packets no instance could claim, tagged {@code reason}.
 *
 * <pre>{@code
 * new VrrpRouterMetrics(router, List.of("G1")).bindTo(registry);
 * }</pre>
 */
public final class VrrpRouterMetrics implements MeterBinder, AutoCloseable {

  private final VrrpRouter router;
  private final List<VrrpInstanceMetrics> instances = new ArrayList<>();
  private final List<RoleMetrics> groups = new ArrayList<>();
  private final BoundMeters bound = new BoundMeters();

  /**
   * Describes the meters of {@code router}'s instances.
   *
   * @param router the router
   */
  public VrrpRouterMetrics(VrrpRouter router) {
    this(router, List.of());
  }

  /**
   * Describes the meters of {@code router}'s instances and of the sync groups named.
   *
   * @param router the router
   * @param syncGroups names of the router's sync groups to bind as well
   * @throws IllegalArgumentException when the router has no sync group of one of the names
   */
  public VrrpRouterMetrics(VrrpRouter router, Collection<String> syncGroups) {
    this.router = Objects.requireNonNull(router, "router");
    for (VrrpInstance instance : router.instances()) {
      instances.add(new VrrpInstanceMetrics(instance));
    }
    for (String name : syncGroups) {
      VrrpSyncGroup group = router.syncGroup(name);
      groups.add(new RoleMetrics("failover4j.vrrp.sync.group", group, Tags.of("group", name)));
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    instances.forEach(i -> i.bindTo(registry));
    groups.forEach(g -> g.bindTo(registry));
    bound.perReason(
        registry,
        "failover4j.vrrp.unclaimed.drops",
        AdvertDropReason.values(),
        router,
        (r, reason) -> r.statistics().drops().getOrDefault(reason, 0L),
        Tags.empty(),
        "Datagrams the platform's shared advert sockets dropped before any instance saw them,"
            + " or could not send, by reason");
  }

  /** Stops counting transitions and removes every meter from its registry. */
  @Override
  public void close() {
    instances.forEach(VrrpInstanceMetrics::close);
    groups.forEach(RoleMetrics::close);
    bound.removeAll();
  }
}
