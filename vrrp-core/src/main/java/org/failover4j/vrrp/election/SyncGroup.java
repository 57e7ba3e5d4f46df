package org.failover4j.vrrp.election;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/**
 * keepalived's sync group: VRRP instances (typically one per LAN of a router) that move together,
 * so traffic never enters through one router and leaves through another.
 *
 * <ul>
 *   <li>Any member entering FAULT (or stopping) puts every member in FAULT; the group leaves FAULT
 *       only when no member is faulty any more.
 *   <li>Any master falling to BACKUP takes every member to BACKUP at once.
 *   <li>The group becomes MASTER only when every member wants to (its own Master_Down timer ran
 *       out); the member completing the set drives the rest without waiting for their timers.
 * </ul>
 */
public final class SyncGroup {

  /** Receives the group's own role changes. */
  public interface Listener {
    /**
     * The group as a whole moved from {@code from} to {@code to}.
     *
     * @param from the group's role before
     * @param to the group's role after
     * @param reason why
     */
    void groupTransition(Role from, Role to, TransitionReason reason);
  }

  private final String name;
  private final Listener listener;
  private final List<VrrpStateMachine> members = new ArrayList<>();
  private Role role = Role.INITIALIZE;
  private boolean stopping;

  /**
   * An empty group named {@code name}.
   *
   * @param name the group's name
   * @param listener told of the group's own transitions
   */
  public SyncGroup(String name, Listener listener) {
    this.name = name;
    this.listener = listener;
  }

  /**
   * Adds a member; it must not have started yet.
   *
   * @param member a member's state machine
   * @return this group
   */
  public SyncGroup add(VrrpStateMachine member) {
    member.attach(this);
    members.add(member);
    return this;
  }

  /** {@return the group's name} */
  public String name() {
    return name;
  }

  /**
   * {@return the group's role: MASTER when all members are, FAULT when it holds them there, else
   * BACKUP}
   */
  public Role role() {
    return role;
  }

  /** {@return the members, in the order they were added} */
  public List<VrrpStateMachine> members() {
    return List.copyOf(members);
  }

  boolean anyMemberFaulty() {
    for (VrrpStateMachine m : members) {
      if (m.isFaulty()) {
        return true;
      }
    }
    return false;
  }

  /** True when every other member is master or wants to be (and none is faulty). */
  boolean canGoMaster(VrrpStateMachine candidate) {
    if (role == Role.MASTER) {
      return true;
    }
    for (VrrpStateMachine m : members) {
      if (m != candidate && m.role() != Role.MASTER && !m.wantsMaster()) {
        return false;
      }
    }
    return !anyMemberFaulty();
  }

  void memberJoinedAsBackup(TransitionReason reason) {
    if (role == Role.INITIALIZE) {
      setRole(Role.BACKUP, reason);
    }
  }

  void memberBecameMaster(VrrpStateMachine member, long now) {
    if (role != Role.MASTER) {
      moveGroup(
          Role.MASTER,
          TransitionReason.ALL_MEMBERS_MASTER,
          m -> m.becomeMaster(now, TransitionReason.SYNC_GROUP),
          member);
    }
  }

  void memberFellToBackup(VrrpStateMachine member, long now) {
    if (role != Role.BACKUP) {
      moveGroup(
          Role.BACKUP,
          TransitionReason.MEMBER_BACKUP,
          m -> m.leaveMasterForBackup(now, TransitionReason.SYNC_GROUP),
          member);
    }
  }

  void memberFaulted(VrrpStateMachine member, long now) {
    if (role != Role.FAULT) {
      moveGroup(
          Role.FAULT,
          TransitionReason.MEMBER_FAULT,
          m -> m.enterFault(now, TransitionReason.SYNC_GROUP),
          member);
    }
  }

  /**
   * Stops every member (masters send priority 0) and then the group, without the FAULT that one
   * member stopping alone would cause.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void shutdown(long now) {
    stopping = true;
    for (VrrpStateMachine m : members) {
      m.shutdown(now);
    }
    setRole(Role.STOPPED, TransitionReason.SHUTDOWN);
  }

  void memberStopped(VrrpStateMachine member, long now) {
    if (stopping) {
      return;
    }
    boolean allStopped = true;
    for (VrrpStateMachine m : members) {
      allStopped &= m.role() == Role.STOPPED;
    }
    if (allStopped) {
      setRole(Role.STOPPED, TransitionReason.SHUTDOWN);
    } else {
      // A group with a member gone cannot serve as a whole.
      memberFaulted(member, now);
    }
  }

  /** A member's own fault cleared; when none is left, every member rejoins the election. */
  void memberRecovered(long now) {
    if (!anyMemberFaulty()) {
      moveGroup(
          Role.BACKUP,
          TransitionReason.FAULT_CLEARED,
          m -> {
            if (m.role() == Role.FAULT) {
              m.joinElection(now, TransitionReason.FAULT_CLEARED);
            }
          },
          null);
    }
  }

  /**
   * Takes the group to {@code next}: the role changes first (so the members' own callbacks see it
   * and do not recurse), then every member but {@code trigger} moves, and only then is the group's
   * transition reported, so a listener never sees the group ahead of its members.
   */
  private void moveGroup(
      Role next,
      TransitionReason reason,
      Consumer<VrrpStateMachine> move,
      VrrpStateMachine trigger) {
    Role from = role;
    role = next;
    for (VrrpStateMachine m : members) {
      if (m != trigger) {
        move.accept(m);
      }
    }
    if (from != next) {
      listener.groupTransition(from, next, reason);
    }
  }

  private void setRole(Role next, TransitionReason reason) {
    moveGroup(next, reason, m -> {}, null);
  }

  @Override
  public String toString() {
    return "sync group " + name + " " + role + " " + members;
  }
}
