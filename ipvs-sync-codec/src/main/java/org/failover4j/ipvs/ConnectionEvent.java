package org.failover4j.ipvs;

import java.time.Instant;

/**
 * A change in a backup's {@link ConnectionTable}: an entry was added, updated by a sync message, or
 * expired. Each carries the entry as it is after the change (as it was, for {@link Expired}).
 */
public sealed interface ConnectionEvent {

  /** {@return the entry} */
  SyncConnection connection();

  /**
   * When it happened, on the table's event-loop clock.
   *
   * @return the time
   */
  Instant time();

  /**
   * A sync message created the entry.
   *
   * @param connection the new entry
   * @param time when
   */
  record Added(SyncConnection connection, Instant time) implements ConnectionEvent {}

  /**
   * A sync message refreshed the entry: its state, timeout, sequence data or updatable flags.
   *
   * @param connection the entry after the update
   * @param time when
   */
  record Updated(SyncConnection connection, Instant time) implements ConnectionEvent {}

  /**
   * The entry's timeout ran out, or the master replaced it with one to another real server.
   *
   * @param connection the entry as it was
   * @param time when
   */
  record Expired(SyncConnection connection, Instant time) implements ConnectionEvent {}
}
