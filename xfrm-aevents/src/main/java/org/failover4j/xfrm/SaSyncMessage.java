package org.failover4j.xfrm;

import java.util.List;
import java.util.Objects;

/**
 * One SA-sync message from the master to the backup: the latest state of some SAs.
 *
 * @param senderId the sending node's id (each node keeps a replay window per sender)
 * @param counter the sender's message counter, strictly increasing; the receiver rejects repeats
 *     and counters too far behind the highest it has seen
 * @param states the SAs' states, as {@link Aevent}s (mark included)
 */
public record SaSyncMessage(int senderId, long counter, List<Aevent> states) {

  /**
   * Copies the list.
   *
   * @param senderId the sending node's id (each node keeps a replay window per sender)
   * @param counter the sender's message counter, strictly increasing; the receiver rejects repeats
   *     and counters too far behind the highest it has seen
   * @param states the SAs' states, as {@link Aevent}s (mark included)
   */
  public SaSyncMessage {
    states = List.copyOf(Objects.requireNonNull(states, "states"));
  }
}
