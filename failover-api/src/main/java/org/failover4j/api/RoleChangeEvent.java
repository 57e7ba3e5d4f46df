package org.failover4j.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One role transition of a failover instance or group.
 *
 * @param source the instance or sync-group name the event is about
 * @param from the role before the transition
 * @param to the role after it
 * @param reason why, such as {@link TransitionReason#MASTER_DOWN}; its {@link
 *     TransitionReason#token() token} is what logs and JSON print
 * @param epoch counts the transitions of this source, from 0 for its initial role; strictly
 *     increasing, so a listener can tell stale events from new ones
 * @param time when the transition happened, on the clock of the instance's event loop
 */
public record RoleChangeEvent(
    String source, Role from, Role to, TransitionReason reason, long epoch, Instant time) {

  /**
   * Checks that no component is missing.
   *
   * @param source the instance or sync-group name
   * @param from the role before
   * @param to the role after
   * @param reason why
   * @param epoch the transition's number for this source
   * @param time when, on the event loop's clock
   */
  public RoleChangeEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
  }

  /**
   * {@return the event every source starts with: epoch 0, {@link Role#INITIALIZE} on both sides}
   *
   * @param source the instance or sync-group name
   * @param time when, on the event loop's clock
   */
  public static RoleChangeEvent initial(String source, Instant time) {
    return new RoleChangeEvent(
        source, Role.INITIALIZE, Role.INITIALIZE, TransitionReason.CREATED, 0, time);
  }

  /**
   * {@return the event that follows this one, with the next epoch}
   *
   * @param newRole the role after the transition
   * @param why why
   * @param when when, on the event loop's clock
   */
  public RoleChangeEvent next(Role newRole, TransitionReason why, Instant when) {
    return new RoleChangeEvent(source, to, newRole, why, epoch + 1, when);
  }
}
