package org.failover4j.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One counter per drop reason. Incremented on the event loop, read from any thread.
 *
 * @param <R> the protocol's reason enum
 */
public final class DropCounters<R extends Enum<R> & DropReason> {

  private final Class<R> type;
  private final R[] reasons;
  private final AtomicLongArray counts;

  /**
   * Zeroed counters for every constant of {@code type}.
   *
   * @param type the enum of reasons
   */
  public DropCounters(Class<R> type) {
    this.type = type;
    this.reasons = type.getEnumConstants();
    this.counts = new AtomicLongArray(reasons.length);
  }

  /**
   * Counts one drop for {@code reason}.
   *
   * @param reason the reason
   */
  public void increment(R reason) {
    counts.incrementAndGet(reason.ordinal());
  }

  /**
   * Counts {@code drops} drops for {@code reason} at once, such as a kernel's report of what it
   * lost.
   *
   * @param reason the reason
   * @param drops how many, 0 or more
   */
  public void add(R reason, long drops) {
    if (drops > 0) {
      counts.addAndGet(reason.ordinal(), drops);
    }
  }

  /**
   * Counts one drop for the reason {@code e} carries, if it is one of this counter's reasons.
   *
   * @param e the exception from a decoder
   */
  public void increment(MalformedPacketException e) {
    if (type.isInstance(e.reason())) {
      increment(type.cast(e.reason()));
    }
  }

  /**
   * {@return the drops counted for {@code reason}}
   *
   * @param reason the reason
   */
  public long get(R reason) {
    return counts.get(reason.ordinal());
  }

  /** {@return the drops counted for all reasons together} */
  public long total() {
    long sum = 0;
    for (int i = 0; i < reasons.length; i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  /** {@return an immutable copy of every counter, zeros included, in enum order} */
  public Map<R, Long> snapshot() {
    Map<R, Long> copy = new EnumMap<>(type);
    for (R reason : reasons) {
      copy.put(reason, counts.get(reason.ordinal()));
    }
    return Collections.unmodifiableMap(copy);
  }
}
