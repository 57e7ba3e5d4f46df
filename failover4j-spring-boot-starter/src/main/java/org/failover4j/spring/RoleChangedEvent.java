package org.failover4j.spring;

import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.springframework.context.ApplicationEvent;

/**
 * A role change of a VRRP instance or sync group, published to the application context. Listen with
 * {@code @EventListener}:
 *
 * <pre>{@code
 * @EventListener
 * void onRole(RoleChangedEvent e) {
 *   if (e.isMaster()) { ... }
 * }
 * }</pre>
 *
 * Events of one source arrive in order, on a failover4j listener thread, after the beans marked
 * {@link MasterOnly} for that source were started or stopped.
 */
public class RoleChangedEvent extends ApplicationEvent {

  private static final long serialVersionUID = 1L;

  /** What the event is about. */
  public enum Kind {
    /** A VRRP instance. */
    INSTANCE,
    /** A sync group. */
    SYNC_GROUP
  }

  private final transient RoleChangeEvent change;

  /** Whether the source is an instance or a sync group. */
  private final Kind kind;

  /**
   * An event about {@code change}.
   *
   * @param router the router the source belongs to
   * @param kind whether the source is an instance or a sync group
   * @param change the transition
   */
  public RoleChangedEvent(Object router, Kind kind, RoleChangeEvent change) {
    super(router);
    this.kind = kind;
    this.change = change;
  }

  /**
   * The transition: source name, roles, reason, epoch and time.
   *
   * @return the library's event
   */
  public RoleChangeEvent change() {
    return change;
  }

  /**
   * Whether the source is an instance or a sync group.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The instance or sync-group name.
   *
   * @return the name
   */
  public String name() {
    return change.source();
  }

  /**
   * The new role.
   *
   * @return the role after the transition
   */
  public Role role() {
    return change.to();
  }

  /**
   * Whether the source became master.
   *
   * @return true when the new role is {@link Role#MASTER}
   */
  public boolean isMaster() {
    return change.to() == Role.MASTER;
  }

  @Override
  public String toString() {
    return "RoleChangedEvent[" + kind + " " + change + "]";
  }
}
