package org.failover4j.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.RoleObservable;

/**
 * The role meters of anything that has a role: a VRRP instance, a sync group, and later a CARP
 * host. Under a prefix such as {@code failover4j.vrrp} it registers
 *
 * <ul>
 *   <li>{@code <prefix>.role}: one gauge per {@link Role}, tagged {@code role=master} and so on,
 *       that reads 1 for the current role and 0 for the others (a state set: dashboards filter on
 *       the tag, alerts on {@code role="fault"} being 1);
 *   <li>{@code <prefix>.transitions}: a counter per new role and reason, tagged {@code to} and
 *       {@code reason} (the event's kebab-case token, such as {@code master-down} or {@code
 *       priority-zero}), counting the transitions seen since binding.
 * </ul>
 *
 * Transitions are counted on the source's event-loop thread as they are published, so they are
 * never missed or reordered.
 */
public final class RoleMetrics implements MeterBinder, AutoCloseable {

  private final String prefix;
  private final RoleObservable source;
  private final Tags tags;
  private final BoundMeters bound = new BoundMeters();
  private RoleListener listener;
  private volatile boolean closed;

  /**
   * Describes the meters of {@code source}; nothing is registered before {@link #bindTo}.
   *
   * @param prefix the dot-separated name prefix, such as {@code failover4j.vrrp}
   * @param source what has the role
   * @param tags the tags every meter carries, naming the source
   */
  public RoleMetrics(String prefix, RoleObservable source, Iterable<Tag> tags) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.source = Objects.requireNonNull(source, "source");
    this.tags = Tags.of(tags);
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    bound.stateSet(
        registry,
        prefix + ".role",
        "role",
        Role.values(),
        source,
        RoleObservable::role,
        tags,
        "1 for the current role, 0 for the others");
    RoleListener counting =
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent event) {
            // An event already on its way when the binder closed must not register a meter again.
            if (event.epoch() > 0 && !closed) {
              transitions(registry, event).increment();
            }
          }
        };
    listener = counting;
    // Runnable::run: counted on the loop, in order; a counter increment never blocks.
    source.addListener(counting, Runnable::run);
  }

  private Counter transitions(MeterRegistry registry, RoleChangeEvent event) {
    return bound.add(
        registry,
        Counter.builder(prefix + ".transitions")
            .tags(tags)
            .tag("to", BoundMeters.tagValue(event.to()))
            .tag("reason", event.reason().token())
            .description("Role transitions by new role and reason")
            .register(registry));
  }

  /** Stops counting and removes the meters from the registries they were bound to. */
  @Override
  public synchronized void close() {
    closed = true;
    if (listener != null) {
      source.removeListener(listener);
      listener = null;
    }
    bound.removeAll();
  }
}
