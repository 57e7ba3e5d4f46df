package org.failover4j.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The meters one binder registered, so that closing the binder takes them away again. */
final class BoundMeters {

  private final Set<Registered> meters = new LinkedHashSet<>();

  private record Registered(MeterRegistry registry, Meter meter) {}

  /** Remembers {@code meter}, registered in {@code registry} (once), and returns it. */
  synchronized <M extends Meter> M add(MeterRegistry registry, M meter) {
    meters.add(new Registered(registry, meter));
    return meter;
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
