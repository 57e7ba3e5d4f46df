package org.failover4j.vrrp;

import java.util.List;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ForwardingRoleObservable;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.TransitionReason;
import org.failover4j.vrrp.election.SyncGroup;

/** A running sync group: its members move together and its own role has listeners too. */
final class SyncGroupHandle implements VrrpSyncGroup, ForwardingRoleObservable {

  private final String name;
  private final List<String> members;
  private final RolePublisher publisher;
  private final SyncGroup group;

  SyncGroupHandle(String name, List<String> members, EventLoop loop) {
    this.name = name;
    this.members = List.copyOf(members);
    this.publisher = new RolePublisher(name, loop.now());
    this.group =
        new SyncGroup(name, (from, to, reason) -> publisher.publish(to, reason, loop.now()));
  }

  SyncGroup group() {
    return group;
  }

  /** The router stopped without its members' shutdown: the group's listeners hear it too. */
  void abandon(java.time.Instant when) {
    publisher.publish(org.failover4j.api.Role.STOPPED, TransitionReason.ABANDONED, when);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> members() {
    return members;
  }

  @Override
  public RoleObservable roles() {
    return publisher;
  }

  RolePublisher publisher() {
    return publisher;
  }
}
