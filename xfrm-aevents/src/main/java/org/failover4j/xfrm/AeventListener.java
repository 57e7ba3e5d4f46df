package org.failover4j.xfrm;

/**
 * Receives the kernel's XFRM async events, and its SA deletions, from an {@link
 * AeventSubscription}, on the event loop's thread, one at a time.
 */
public interface AeventListener {

  /**
   * An SA's replay and lifetime state changed (or someone multicast a NEWAE to the group).
   *
   * @param event the SA's state
   */
  void onAevent(Aevent event);

  /**
   * The kernel dropped events for this subscriber (ENOBUFS: the receive queue overflowed). What was
   * lost is unknown; a listener that tracks SAs should ask for their state again with {@link
   * XfrmAeventClient#getAe}.
   */
  default void eventsLost() {}

  /**
   * The kernel deleted an SA (a {@code XFRM_MSG_DELSA} or a hard {@code XFRM_MSG_EXPIRE}): its
   * state will not change again. A listener that tracks SAs should forget it.
   *
   * @param deletion the SA and its mark
   */
  default void saDeleted(SaDeletion deletion) {}
}
