package org.failover4j.vrrp;

import org.failover4j.api.RoleObservable;

/**
 * One running VRRP instance of a {@link VrrpRouter}: follow its role with listeners or {@link
 * #awaitRole}, read its counters, change its priority. Every method is thread-safe.
 */
public interface VrrpInstance extends RoleObservable {

  /** The instance's name. */
  String name();

  /** Its configuration. */
  VrrpInstanceConfig config();

  /** The priority it advertises now: configured, adjusted by tracking. */
  int effectivePriority();

  /**
   * Changes the configured priority at run time (1..254; the owner's 255 cannot be set or left).
   * Tracking weights still apply on top; the next advert carries the new value.
   */
  void setPriority(int priority);

  /** A snapshot of its counters. */
  VrrpStatistics statistics();
}
