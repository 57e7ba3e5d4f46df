package org.failover4j.api;

/**
 * Why a failover instance or group changed role. Each reason has a short kebab-case {@link
 * #token()}, the word logs and the command line's JSON print.
 */
public enum TransitionReason {
  /** The initial event of every source (epoch 0). */
  CREATED("created"),
  /** The instance joined the election at start. */
  STARTUP("startup"),
  /** An address owner (priority 255) took mastership at once. */
  ADDRESS_OWNER("address-owner"),
  /** No advert from a master within Master_Down_Interval. */
  MASTER_DOWN("master-down"),
  /** The master announced priority 0 (it is leaving). */
  PRIORITY_ZERO("priority-zero"),
  /** A backup with a higher priority took over from a lower-priority master. */
  PREEMPT("preempt"),
  /** CARP: a master heard a faster (or equally fast, less demoted) advert and stepped down. */
  PREFERRED_MASTER("preferred-master"),
  /** CARP: the master advertises a higher demotion, so this host takes over. */
  DEMOTED_MASTER("demoted-master"),
  /** CARP: the master is leaving (advbase and advskew 255). */
  MASTER_LEAVING("master-leaving"),
  /** A master heard a higher priority (or an equal one from a higher address) and stepped down. */
  HIGHER_PRIORITY("higher-priority"),
  /** A tracked interface (or the instance's own) went down or away. */
  INTERFACE_DOWN("interface-down"),
  /** A tracked health check failed. */
  CHECK_FAILED("check-failed"),
  /** The virtual addresses could not be added, so the instance cannot serve. */
  ADDRESS_FAILED("address-failed"),
  /** The application gave up mastership on its own initiative. */
  RELINQUISHED("relinquished"),
  /** Every fault cleared; the instance rejoins the election. */
  RECOVERED("recovered"),
  /** A fault was already present at start. */
  FAULT_AT_START("fault-at-start"),
  /** A sync group moved with its members. */
  SYNC_GROUP("sync-group"),
  /** Every member of a sync group wants master, so the group became master. */
  ALL_MEMBERS_MASTER("all-members-master"),
  /** A sync group member fell to backup, so the group did. */
  MEMBER_BACKUP("member-backup"),
  /** A sync group member entered FAULT, so the group did. */
  MEMBER_FAULT("member-fault"),
  /** A sync group's faults cleared. */
  FAULT_CLEARED("fault-cleared"),
  /** Closed gracefully (priority 0 sent by a master). */
  SHUTDOWN("shutdown"),
  /** Closed abruptly: nothing sent, addresses left in place. */
  ABANDONED("abandoned"),
  /** Closed before it ever started. */
  NOT_STARTED("not-started");

  private final String token;

  TransitionReason(String token) {
    this.token = token;
  }

  /** {@return the kebab-case word for logs and JSON, such as {@code master-down}} */
  public String token() {
    return token;
  }

  @Override
  public String toString() {
    return token;
  }
}
