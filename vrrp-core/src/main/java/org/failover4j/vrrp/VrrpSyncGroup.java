package org.failover4j.vrrp;

import java.util.List;
import org.failover4j.api.RoleObservable;

/**
 * A running keepalived-style sync group: instances (usually one per LAN) that are master, backup or
 * in fault together. Its listeners get the group's own transitions.
 */
public interface VrrpSyncGroup extends RoleObservable {

  /** {@return the group's name} */
  String name();

  /** {@return the names of its member instances} */
  List<String> members();
}
