package org.failover4j.carp.replay;

/** How a CARP virtual host fills and checks the advert's 64-bit counter. */
public enum CounterMode {
  /**
   * ucarp 1.5.2 and FreeBSD: a random start, +1 per advert, and any authenticated received counter
   * replaces the own one. Nothing is rejected for its counter, so a recorded advert can be replayed
   * at will. Needed to interoperate with ucarp.
   */
  UCARP_COMPATIBLE,

  /**
   * The default between failover4j hosts: a sender's counter only grows, also across restarts
   * without stored state (wall-clock milliseconds in the high bits); a receiver keeps the highest
   * counters per sender and drops anything it has accepted before or that falls below its reorder
   * window. Lost adverts never cause drops. See {@link SendCounter} and {@link ReplayWindow}.
   */
  REPLAY_PROTECTED
}
