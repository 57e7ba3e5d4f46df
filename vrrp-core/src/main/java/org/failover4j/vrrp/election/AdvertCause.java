package org.failover4j.vrrp.election;

/** Why the state machine asks for an advertisement; the runtime counts and logs by cause. */
public enum AdvertCause {
  /** The Adver_Timer fired. */
  PERIODIC,
  /** First advert of a new master, sent before the addresses move. */
  BECOME_MASTER,
  /** A master heard priority 0 and answers at once so backups need not time out. */
  ANSWER_PRIORITY_ZERO,
  /**
   * A master heard a lower priority (a backup that took over during a partition) and answers at
   * once; with IPsec-AH the runtime also moves its counter past the sender's.
   */
  ANSWER_LOWER_PRIORITY,
  /** Priority 0 on leaving MASTER for FAULT. */
  FAULT,
  /** Priority 0 on shutdown. */
  SHUTDOWN;

  /** {@return true for the causes that advertise priority 0} */
  public boolean isPriorityZero() {
    return this == FAULT || this == SHUTDOWN;
  }
}
