package org.failover4j.vrrp;

import java.util.List;
import org.failover4j.api.DeferredTakeover;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ForwardingRoleObservable;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.TransitionReason;
import org.failover4j.api.platform.Platform;
import org.failover4j.vrrp.election.SyncGroup;

/** A running sync group: its members move together and its own role has listeners too. */
final class SyncGroupHandle implements VrrpSyncGroup, ForwardingRoleObservable {

  private final String name;
  private final List<String> members;
  private final RolePublisher publisher;
  private final SyncGroup group;
  private final DeferredTakeover reports;

  SyncGroupHandle(String name, List<String> members, Platform platform) {
    this.name = name;
    this.members = List.copyOf(members);
    EventLoop loop = platform.eventLoop();
    this.publisher = new RolePublisher(name, loop.now());
    // Members that take over report once the turn's adverts have left: so does the group, after
    // them, and each report of the group after its earlier ones.
    this.reports = new DeferredTakeover(platform);
    this.group =
        new SyncGroup(
            name,
            (from, to, reason) ->
                reports.afterAdverts(() -> publisher.publish(to, reason, loop.now())));
  }

  SyncGroup group() {
    return group;
  }

  /** The router stopped without its members' shutdown: the group's listeners hear it too. */
  void abandon(java.time.Instant when) {
    reports.finish();
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
