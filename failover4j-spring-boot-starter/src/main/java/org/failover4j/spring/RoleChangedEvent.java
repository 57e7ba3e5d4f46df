package org.failover4j.spring;

import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.springframework.context.ApplicationEvent;

/**
 * A role change of a VRRP instance, sync group or CARP host, published to the application context.
 * Listen with {@code @EventListener}:
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
    SYNC_GROUP,
    /** A CARP virtual host. */
    CARP_HOST
  }

  private final transient RoleChangeEvent change;

  /** Whether the source is an instance, a sync group or a CARP host. */
  private final Kind kind;

  /** The configured name of the source. */
  private final String name;

  /**
   * An event about {@code change}.
   *
   * @param router the router the source belongs to
   * @param kind whether the source is an instance or a sync group
   * @param change the transition
   */
  public RoleChangedEvent(Object router, Kind kind, RoleChangeEvent change) {
    this(router, kind, change.source(), change);
  }

  /**
   * An event about {@code change} of the source configured as {@code name} (a CARP host's events
   * name its VHID, its properties a name).
   *
   * @param owner what the source belongs to
   * @param kind what the source is
   * @param name the source's configured name
   * @param change the transition
   */
  public RoleChangedEvent(Object owner, Kind kind, String name, RoleChangeEvent change) {
    super(owner);
    this.kind = kind;
    this.name = name;
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
   * The instance, sync-group or CARP host name.
   *
   * @return the name
   */
  public String name() {
    return name;
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
