package org.failover4j.netlink.rtnl;

import java.util.Objects;

/**
 * What a {@link LinkMonitor} reports: a link appeared or changed, went away, or events were lost.
 */
public sealed interface LinkEvent {

  /**
   * A link is new ({@code previous} is null: it appeared, or the monitor just started) or one of
   * its {@link LinkInfo} fields changed.
   *
   * @param previous the state before, or null
   * @param current the state now
   */
  record Changed(LinkInfo previous, LinkInfo current) implements LinkEvent {

    /**
     * Requires the current state.
     *
     * @param previous the state before, or null
     * @param current the state now
     */
    public Changed {
      Objects.requireNonNull(current, "current");
    }

    /** {@return true when the link is now administratively up and was not before} */
    public boolean wentUp() {
      return current.isUp() && (previous == null || !previous.isUp());
    }

    /** {@return true when the link was administratively up and no longer is} */
    public boolean wentDown() {
      return !current.isUp() && previous != null && previous.isUp();
    }

    /** {@return true when carrier ({@code LOWER_UP}) appeared or went away} */
    public boolean carrierChanged() {
      return previous != null && previous.hasCarrier() != current.hasCarrier();
    }
  }

  /**
   * A link was deleted.
   *
   * @param last its last known state
   */
  record Removed(LinkInfo last) implements LinkEvent {

    /**
     * Requires the last state.
     *
     * @param last its last known state
     */
    public Removed {
      Objects.requireNonNull(last, "last");
    }
  }

  /**
   * The kernel dropped events for the monitor (its receive queue overflowed: ENOBUFS). The monitor
   * dumps every link again at once and reports the differences as {@link Changed} and {@link
   * Removed} events right after this one.
   */
  record EventsLost() implements LinkEvent {}
}
