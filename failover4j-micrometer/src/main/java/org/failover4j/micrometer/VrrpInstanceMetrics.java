package org.failover4j.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpStatistics;
import org.failover4j.vrrp.codec.VrrpDropReason;

/**
 * The meters of one VRRP instance, each tagged {@code instance}, {@code vrid} and {@code
 * interface}:
 *
 * <ul>
 *   <li>{@code failover4j.vrrp.role} and {@code failover4j.vrrp.transitions}, as {@link
 *       RoleMetrics} describes;
 *   <li>the RFC 6527 statistics as counters read from {@link VrrpInstance#statistics()}: {@code
 *       failover4j.vrrp.master.transitions} (became master), {@code
 *       failover4j.vrrp.master.releases}, {@code failover4j.vrrp.adverts.received}, {@code
 *       failover4j.vrrp.adverts.sent}, {@code failover4j.vrrp.priority.zero.received}, {@code
 *       failover4j.vrrp.priority.zero.sent}, and {@code failover4j.vrrp.drops} with one counter per
 *       {@link VrrpDropReason} in the tag {@code reason} (such as {@code auth-failure});
 *   <li>{@code failover4j.vrrp.priority}: the priority the instance advertises now, tracking
 *       included;
 *   <li>{@code failover4j.vrrp.takeover}: a timer per takeover step, tagged {@code phase} ({@code
 *       advert}, {@code addresses}, {@code announcements}), measured from the expiry of the timer
 *       that made the instance master;
 *   <li>{@code failover4j.vrrp.answers.suppressed}, {@code failover4j.vrrp.address.failures} and
 *       {@code failover4j.vrrp.addresses.restored}: the fault counters.
 * </ul>
 */
public final class VrrpInstanceMetrics implements MeterBinder, AutoCloseable {

  private static final String PREFIX = "failover4j.vrrp";

  private final VrrpInstance instance;
  private final Tags tags;
  private final RoleMetrics roles;
  private final BoundMeters bound = new BoundMeters();
  private volatile boolean closed;

  /**
   * Describes the meters of {@code instance}; nothing is registered before {@link #bindTo}.
   *
   * @param instance a running or not yet started instance of a router
   */
  public VrrpInstanceMetrics(VrrpInstance instance) {
    this.instance = Objects.requireNonNull(instance, "instance");
    VrrpInstanceConfig config = instance.config();
    this.tags =
        Tags.of(
            "instance", instance.name(),
            "vrid", Integer.toString(config.vrid()),
            "interface", config.iface());
    this.roles = new RoleMetrics(PREFIX, instance, tags);
  }

  /**
   * The tags every meter of this instance carries.
   *
   * @return {@code instance}, {@code vrid} and {@code interface}
   */
  public Tags tags() {
    return tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    roles.bindTo(registry);
    counter(
        registry, "master.transitions", "Transitions into MASTER", VrrpStatistics::becameMaster);
    counter(
        registry, "master.releases", "Transitions out of MASTER", VrrpStatistics::releasedMaster);
    counter(
        registry,
        "adverts.received",
        "Adverts that passed every check",
        VrrpStatistics::advertsReceived);
    counter(registry, "adverts.sent", "Adverts sent", VrrpStatistics::advertsSent);
    counter(
        registry,
        "priority.zero.received",
        "Accepted adverts with priority 0",
        VrrpStatistics::priorityZeroReceived);
    counter(
        registry,
        "priority.zero.sent",
        "Adverts sent with priority 0",
        VrrpStatistics::priorityZeroSent);
    bound.perReason(
        registry,
        PREFIX + ".drops",
        VrrpDropReason.values(),
        instance,
        (i, reason) -> i.statistics().dropped(reason),
        tags,
        "Packets for this VRID dropped, by reason");
    bound.add(
        registry,
        Gauge.builder(PREFIX + ".priority", instance, VrrpInstance::effectivePriority)
            .tags(tags)
            .description("The priority advertised now, tracking included")
            .register(registry));
    counter(
        registry,
        "answers.suppressed",
        "Answers to a lower-priority master held back by the rate limit",
        VrrpStatistics::answersSuppressed);
    counter(
        registry,
        "address.failures",
        "Times the virtual addresses could not be added",
        VrrpStatistics::addressFailures);
    counter(
        registry,
        "addresses.restored",
        "Virtual addresses removed by someone else while master and added again",
        VrrpStatistics::addressesRestored);
    Timer advert = takeoverTimer(registry, "advert");
    Timer addresses = takeoverTimer(registry, "addresses");
    Timer announcements = takeoverTimer(registry, "announcements");
    instance.addTakeoverListener(
        t -> {
          if (!closed) {
            advert.record(t.advertSent());
            addresses.record(t.addressesAdded());
            announcements.record(t.announced());
          }
        });
  }

  /** From the decision to become master (the timer's expiry) to one step of the takeover. */
  private Timer takeoverTimer(MeterRegistry registry, String phase) {
    return bound.add(
        registry,
        Timer.builder(PREFIX + ".takeover")
            .tags(tags)
            .tag("phase", phase)
            .description(
                "From the Master_Down (or preemption) timer's expiry to the first advert, the"
                    + " virtual addresses added, or the first announcements")
            .register(registry));
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToLongFunction<VrrpStatistics> read) {
    bound.counter(
        registry,
        PREFIX + "." + name,
        instance,
        i -> read.applyAsLong(i.statistics()),
        tags,
        description);
  }

  /** Stops counting transitions and removes the meters from their registries. */
  @Override
  public void close() {
    closed = true;
    roles.close();
    bound.removeAll();
  }
}
