package org.failover4j.vrrp.election;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The election's RFC 6527 style counters for one instance. Written by the state machine on its
 * driver's thread, readable from any thread.
 */
public final class ElectionCounters {

  final AtomicLong becameMaster = new AtomicLong();
  final AtomicLong releasedMaster = new AtomicLong();
  final AtomicLong advertsReceived = new AtomicLong();
  final AtomicLong priorityZeroReceived = new AtomicLong();
  final AtomicLong advertsRequested = new AtomicLong();
  final AtomicLong priorityZeroRequested = new AtomicLong();
  final AtomicLong lowerPriorityDiscarded = new AtomicLong();

  /**
   * Transitions into MASTER.
   *
   * @return the count
   */
  public long becameMaster() {
    return becameMaster.get();
  }

  /**
   * Transitions out of MASTER.
   *
   * @return the count
   */
  public long releasedMaster() {
    return releasedMaster.get();
  }

  /**
   * Valid adverts the state machine processed (drops before it are counted by the runtime).
   *
   * @return the count
   */
  public long advertsReceived() {
    return advertsReceived.get();
  }

  /**
   * Of those, adverts with priority 0.
   *
   * @return the count
   */
  public long priorityZeroReceived() {
    return priorityZeroReceived.get();
  }

  /** {@return adverts the state machine asked to send} */
  public long advertsRequested() {
    return advertsRequested.get();
  }

  /**
   * Of those, adverts with priority 0.
   *
   * @return the count
   */
  public long priorityZeroRequested() {
    return priorityZeroRequested.get();
  }

  /**
   * Lower-priority adverts a preempting backup ignored.
   *
   * @return the count
   */
  public long lowerPriorityDiscarded() {
    return lowerPriorityDiscarded.get();
  }
}
