package org.failover4j.api;

import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters of one {@link RoleSource}, as one immutable record. Counter names follow one scheme,
 * what then what happened to it ({@code messagesSent}, {@code advertsReceived}, {@code
 * sendFailures}); {@link #drops()} holds one counter per reason, zeros included, in the reason
 * enum's order.
 */
public interface SourceStatistics {

  /** {@return the drops per reason, every reason of the source's enum, in its order} */
  Map<? extends DropReason, Long> drops();

  /**
   * {@return the drops counted for {@code reason}}
   *
   * @param reason one of the source's drop reasons
   */
  default long dropped(DropReason reason) {
    return drops().getOrDefault(reason, 0L);
  }

  /** {@return all drops together} */
  default long totalDropped() {
    long sum = 0;
    for (long n : drops().values()) {
      sum += n;
    }
    return sum;
  }

  /**
   * {@return an unmodifiable copy of {@code drops} in the enum's order, so that it prints the same
   * way every run}
   *
   * @param <R> the reason enum
   * @param drops the drops per reason
   */
  static <R extends Enum<R>> Map<R, Long> ordered(Map<R, Long> drops) {
    Map<R, Long> copy = new LinkedHashMap<>();
    drops.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(Enum::ordinal)))
        .forEach(e -> copy.put(e.getKey(), e.getValue()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * The text every statistics record prints: its counters in declaration order, and of its drops
   * only those that happened, in the reason enum's order ({@code VrrpStatistics[advertsSent=12,
   * ..., drops={BAD_TTL=2}]}).
   *
   * @param statistics the record
   * @return its text
   */
  static String text(Record statistics) {
    StringBuilder sb = new StringBuilder(statistics.getClass().getSimpleName()).append('[');
    String separator = "";
    for (RecordComponent c : statistics.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(statistics);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (value instanceof Map<?, ?> map) {
        value = nonZero(map);
      }
      sb.append(separator).append(c.getName()).append('=').append(value);
      separator = ", ";
    }
    return sb.append(']').toString();
  }

  private static Map<Object, Object> nonZero(Map<?, ?> map) {
    Map<Object, Object> shown = new LinkedHashMap<>();
    map.entrySet().stream()
        .filter(e -> !(e.getValue() instanceof Long n && n == 0))
        .sorted(
            Comparator.comparingInt(
                e -> e.getKey() instanceof Enum<?> k ? k.ordinal() : Integer.MAX_VALUE))
        .forEach(e -> shown.put(e.getKey(), e.getValue()));
    return shown;
  }
}
