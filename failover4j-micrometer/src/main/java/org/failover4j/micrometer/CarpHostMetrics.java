package org.failover4j.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.codec.CarpDropReason;

/**
 * The meters of a {@link CarpHost}, each tagged {@code vhid} and {@code interface}:
 *
 * <ul>
 *   <li>{@code failover4j.carp.role} and {@code failover4j.carp.transitions}, as {@link
 *       RoleMetrics} describes;
 *   <li>{@code failover4j.carp.adverts.sent}, {@code failover4j.carp.adverts.accepted}, {@code
 *       failover4j.carp.send.failures};
 *   <li>{@code failover4j.carp.drops}, one counter per {@link CarpDropReason} in the tag {@code
 *       reason} (such as {@code replayed} or {@code bad-hmac}).
 * </ul>
 */
public final class CarpHostMetrics implements MeterBinder, AutoCloseable {

  private static final String PREFIX = "failover4j.carp";

  private final CarpHost host;
  private final Tags tags;
  private final RoleMetrics roles;
  private final BoundMeters bound = new BoundMeters();

  /**
   * Describes the meters of {@code host}; nothing is registered before {@link #bindTo}.
   *
   * @param host a running or not yet started CARP host
   */
  public CarpHostMetrics(CarpHost host) {
    this.host = Objects.requireNonNull(host, "host");
    this.tags =
        Tags.of("vhid", Integer.toString(host.config().vhid()), "interface", host.config().iface());
    this.roles = new RoleMetrics(PREFIX, host, tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    roles.bindTo(registry);
    counter(registry, "adverts.sent", "Adverts sent", h -> h.statistics().advertsSent());
    counter(
        registry,
        "adverts.accepted",
        "Adverts that passed every check, the HMAC and the replay window included",
        h -> h.statistics().advertsReceived());
    counter(
        registry,
        "send.failures",
        "Adverts the kernel did not send",
        h -> h.statistics().sendFailures());
    bound.perReason(
        registry,
        PREFIX + ".drops",
        CarpDropReason.values(),
        host,
        (h, reason) -> h.statistics().drops().getOrDefault(reason, 0L),
        tags,
        "Adverts for this VHID dropped, by reason");
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToLongFunction<CarpHost> read) {
    bound.counter(registry, PREFIX + "." + name, host, read::applyAsLong, tags, description);
  }

  /** Stops counting transitions and removes the meters from their registries. */
  @Override
  public void close() {
    roles.close();
    bound.removeAll();
  }
}
