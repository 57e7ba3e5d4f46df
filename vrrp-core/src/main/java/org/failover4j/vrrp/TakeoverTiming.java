package org.failover4j.vrrp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.failover4j.api.TransitionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times each takeover of one VRRP instance and tells the takeover listeners (see {@link Takeover}):
 * from the deadline of the election timer that made it master (or its first advert, for an owner or
 * a sync-group member that moved without a timer of its own) to its first advert, its addresses
 * added and its first announcement round. Times are the loop's monotonic nanoseconds; use on the
 * event loop.
 */
final class TakeoverTiming {

  private static final Logger log = LoggerFactory.getLogger(TakeoverTiming.class);

  private final String instance;
  private final List<Consumer<Takeover>> listeners = new CopyOnWriteArrayList<>();

  /** When the timer that may make this instance master fired, and when its first advert left. */
  private long decidedAt;

  private long armedDeadline;
  private long firstAdvertAt;

  TakeoverTiming(String instance) {
    this.instance = instance;
  }

  /** The election timer was set to fire at {@code deadline}. */
  void armed(long deadline) {
    armedDeadline = deadline;
  }

  /**
   * The election timer fired at {@code now}: a takeover it causes is timed from the deadline that
   * expired, so the timer's own wake-up counts. Until {@link #timerHandled()}.
   */
  void timerFired(long now) {
    decidedAt = armedDeadline <= now ? armedDeadline : now;
  }

  /** What the timer caused is done: a later takeover has no timer of its own. */
  void timerHandled() {
    decidedAt = 0;
  }

  /** The first advert as master went out at {@code now}. */
  void firstAdvertSent(long now) {
    firstAdvertAt = now;
  }

  /** Adds a listener, called after each takeover on the loop. */
  void addListener(Consumer<Takeover> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * {@return when the takeover under way is timed from: the deadline of the timer that caused it,
   * or, for an owner or a sync-group member that moved without a timer of its own, its first
   * advert} Read it at the transition: the rest of the takeover may run after the timer is done.
   */
  long start() {
    return decidedAt != 0 ? decidedAt : firstAdvertAt;
  }

  /** Tells the listeners how long each step of the takeover timed from {@code start} took. */
  void report(TransitionReason reason, long start, long addedAt, long announcedAt) {
    if (listeners.isEmpty()) {
      return;
    }
    Takeover takeover =
        new Takeover(
            reason,
            Duration.ofNanos(firstAdvertAt - start),
            Duration.ofNanos(addedAt - start),
            Duration.ofNanos(announcedAt - start));
    for (Consumer<Takeover> l : listeners) {
      try {
        l.accept(takeover);
      } catch (RuntimeException e) {
        log.warn("({}) takeover listener failed", instance, e);
      }
    }
  }
}
