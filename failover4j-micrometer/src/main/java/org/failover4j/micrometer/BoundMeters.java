package org.failover4j.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * The meters one binder registered, so that closing the binder takes them away again, and the
 * shapes every binder uses: counters read from the source, state sets and per-reason counters.
 */
final class BoundMeters {

  private final Set<Registered> meters = new LinkedHashSet<>();

  private record Registered(MeterRegistry registry, Meter meter) {}

  /** Remembers {@code meter}, registered in {@code registry} (once), and returns it. */
  synchronized <M extends Meter> M add(MeterRegistry registry, M meter) {
    meters.add(new Registered(registry, meter));
    return meter;
  }

  /** A counter that reads {@code read} of {@code source} at each scrape. */
  <T> void counter(
      MeterRegistry registry,
      String name,
      T source,
      ToDoubleFunction<T> read,
      Tags tags,
      String description) {
    add(
        registry,
        FunctionCounter.builder(name, source, read)
            .tags(tags)
            .description(description)
            .register(registry));
  }

  /** One counter per reason, tagged {@code reason}, reading {@code read} for that reason. */
  <T, E extends Enum<E>> void perReason(
      MeterRegistry registry,
      String name,
      E[] reasons,
      T source,
      ToDoubleBiFunction<T, E> read,
      Tags tags,
      String description) {
    for (E reason : reasons) {
      counter(
          registry,
          name,
          source,
          s -> read.applyAsDouble(s, reason),
          tags.and("reason", tagValue(reason)),
          description);
    }
  }

  /** A state set: one gauge per value, tagged {@code key}, reading 1 for the current value. */
  <T, E extends Enum<E>> void stateSet(
      MeterRegistry registry,
      String name,
      String key,
      E[] values,
      T source,
      Function<T, E> current,
      Tags tags,
      String description) {
    for (E value : values) {
      add(
          registry,
          Gauge.builder(name, source, s -> current.apply(s) == value ? 1 : 0)
              .tags(tags)
              .tag(key, tagValue(value))
              .description(description)
              .register(registry));
    }
  }

  /** Removes every remembered meter from its registry. */
  synchronized void removeAll() {
    for (Registered r : meters) {
      r.registry().remove(r.meter());
    }
    meters.clear();
  }

  /** A tag value for an enum constant: {@code BAD_CHECKSUM} becomes {@code bad-checksum}. */
  static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
