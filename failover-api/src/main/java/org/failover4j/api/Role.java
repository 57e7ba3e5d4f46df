package org.failover4j.api;

/** The role of a failover instance (a VRRP router, a CARP host, a sync group) at one moment. */
public enum Role {
  /** Created or restarting: not yet taking part in the election. */
  INITIALIZE,
  /** Watching the master and ready to take over. */
  BACKUP,
  /** Owning the virtual addresses and announcing them. */
  MASTER,
  /** Unable to serve (a tracked interface or check failed): neither master nor a candidate. */
  FAULT,
  /** Closed for good; no further transitions follow. */
  STOPPED
}
