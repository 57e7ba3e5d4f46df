package org.failover4j.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.failover4j.xfrm.SaStateSync;
import org.failover4j.xfrm.XfrmDropReason;

/**
 * The meters of an XFRM {@link SaStateSync}:
 *
 * <ul>
 *   <li>{@code failover4j.xfrm.sync.messages.sent} (as master) and {@code
 *       failover4j.xfrm.sync.messages.accepted} (as backup, authenticated and not replayed);
 *   <li>{@code failover4j.xfrm.sync.events.lost}: times the kernel dropped aevents and the master
 *       resynchronised with GETAE;
 *   <li>{@code failover4j.xfrm.sync.sas}: the SAs whose state is held;
 *   <li>{@code failover4j.xfrm.sync.drops}, one counter per {@link XfrmDropReason} in the tag
 *       {@code reason} (forged, replayed or malformed messages).
 * </ul>
 */
public final class SaSyncMetrics implements MeterBinder, AutoCloseable {

  private static final String PREFIX = "failover4j.xfrm.sync";

  private final SaStateSync sync;
  private final Tags tags;
  private final BoundMeters bound = new BoundMeters();

  /**
   * Describes the meters of {@code sync}; nothing is registered before {@link #bindTo}.
   *
   * @param sync the SA state sync of this node
   * @param tags tags every meter carries (say, the gateway pair's name); may be empty
   */
  public SaSyncMetrics(SaStateSync sync, Tags tags) {
    this.sync = Objects.requireNonNull(sync, "sync");
    this.tags = Objects.requireNonNull(tags, "tags");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(
        registry,
        "messages.sent",
        "Sync messages sent as master",
        s -> s.statistics().messagesSent());
    counter(
        registry,
        "messages.accepted",
        "Sync messages authenticated and accepted as backup",
        s -> s.statistics().messagesAccepted());
    counter(
        registry,
        "events.lost",
        "Times the kernel dropped aevents and the state was read again",
        s -> s.statistics().eventsLost());
    bound.add(
        registry,
        io.micrometer.core.instrument.Gauge.builder(PREFIX + ".sas", sync, s -> s.states().size())
            .tags(tags)
            .description("SAs whose state is held")
            .register(registry));
    bound.perReason(
        registry,
        PREFIX + ".drops",
        XfrmDropReason.values(),
        sync,
        (s, reason) -> s.statistics().dropped(reason),
        tags,
        "Sync messages dropped, by reason");
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToLongFunction<SaStateSync> read) {
    bound.counter(registry, PREFIX + "." + name, sync, read::applyAsLong, tags, description);
  }

  /** Removes the meters from the registries they were bound to. */
  @Override
  public void close() {
    bound.removeAll();
  }
}
