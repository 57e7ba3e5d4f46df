package org.failover4j.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.failover4j.ipvs.IpvsDropReason;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;

/**
 * The meters of an {@link IpvsSyncChannel}, each tagged {@code sync.id} and {@code interface}:
 *
 * <ul>
 *   <li>{@code failover4j.ipvs.sync.mode}: one gauge per {@link IpvsSyncChannel.Mode}, tagged
 *       {@code mode}, reading 1 for the current mode;
 *   <li>on the master: {@code failover4j.ipvs.sync.messages.sent}, {@code
 *       failover4j.ipvs.sync.entries.sent}, {@code failover4j.ipvs.sync.send.errors} and {@code
 *       failover4j.ipvs.sync.not.synced} (connections given but not sent);
 *   <li>on the backup: {@code failover4j.ipvs.sync.messages.received}, {@code
 *       failover4j.ipvs.sync.entries.applied}, and {@code failover4j.ipvs.sync.drops} per {@link
 *       IpvsDropReason} in the tag {@code reason}.
 * </ul>
 */
public final class IpvsSyncMetrics implements MeterBinder, AutoCloseable {

  private static final String PREFIX = "failover4j.ipvs.sync";

  private final IpvsSyncChannel channel;
  private final Tags tags;
  private final BoundMeters bound = new BoundMeters();

  /**
   * Describes the meters of {@code channel}; nothing is registered before {@link #bindTo}.
   *
   * @param channel an open channel
   */
  public IpvsSyncMetrics(IpvsSyncChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    SyncConfig config = channel.config();
    this.tags =
        Tags.of(
            "sync.id",
            Integer.toString(config.syncId()),
            "interface",
            config.networkInterface().getName());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    bound.stateSet(
        registry,
        PREFIX + ".mode",
        "mode",
        IpvsSyncChannel.Mode.values(),
        channel,
        IpvsSyncChannel::mode,
        tags,
        "1 for what the channel does now, 0 otherwise");
    counter(
        registry, "messages.sent", "Messages sent as master", c -> c.statistics().messagesSent());
    counter(registry, "entries.sent", "Entries sent as master", c -> c.statistics().entriesSent());
    counter(
        registry,
        "send.errors",
        "Messages that could not be sent",
        c -> c.statistics().sendFailures());
    counter(
        registry,
        "not.synced",
        "Connections given to sync that were not sent",
        c -> c.statistics().entriesNotSynced());
    counter(
        registry,
        "messages.received",
        "Messages received as backup",
        c -> c.statistics().messagesReceived());
    counter(
        registry,
        "entries.applied",
        "Entries applied to the backup's table",
        c -> c.statistics().entriesApplied());
    bound.perReason(
        registry,
        PREFIX + ".drops",
        IpvsDropReason.values(),
        channel,
        (c, reason) -> c.statistics().dropped(reason),
        tags,
        "Dropped messages and skipped entries, by reason");
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToLongFunction<IpvsSyncChannel> read) {
    bound.counter(
        registry, PREFIX + "." + name, channel, c -> read.applyAsLong(c), tags, description);
  }

  /** Removes the meters from the registries they were bound to. */
  @Override
  public void close() {
    bound.removeAll();
  }
}
