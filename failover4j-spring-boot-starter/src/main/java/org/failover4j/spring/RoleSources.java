package org.failover4j.spring;

import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.RoleObservable;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;

/**
 * Finds a role source by its configured name among the VRRP router's instances and sync groups and
 * the CARP hosts, whichever the context has: what sync channels and {@link FollowRole} beans
 * follow.
 */
final class RoleSources {

  private final VrrpRouter router;
  private final List<String> syncGroups;
  private final CarpHosts carpHosts;

  /**
   * @param router the VRRP router, or null
   * @param syncGroups the router's sync groups
   * @param carpHosts the CARP hosts, or null
   */
  RoleSources(VrrpRouter router, List<String> syncGroups, CarpHosts carpHosts) {
    this.router = router;
    this.syncGroups = List.copyOf(syncGroups);
    this.carpHosts = carpHosts;
  }

  /**
   * The source named {@code name}.
   *
   * @param what who asks, for the message
   * @throws IllegalStateException naming the sources there are, when none has that name
   */
  RoleObservable find(String name, String what) {
    if (router != null) {
      for (VrrpInstance instance : router.instances()) {
        if (instance.name().equals(name)) {
          return instance;
        }
      }
      if (syncGroups.contains(name)) {
        return router.syncGroup(name);
      }
    }
    if (carpHosts != null && carpHosts.hosts().containsKey(name)) {
      return carpHosts.hosts().get(name);
    }
    throw new IllegalStateException(
        what
            + " follows '"
            + name
            + "', which is no VRRP instance, sync group or CARP host; there are "
            + names());
  }

  /** {@return the names of every source: VRRP instances, sync groups, CARP hosts} */
  List<String> names() {
    List<String> names = new ArrayList<>();
    if (router != null) {
      router.instances().forEach(i -> names.add(i.name()));
      names.addAll(syncGroups);
    }
    if (carpHosts != null) {
      names.addAll(carpHosts.hosts().keySet());
    }
    return names;
  }
}
