package org.failover4j.api;

/**
 * Receives role changes of a failover instance or group.
 *
 * <p>A listener is called in event order, never concurrently with itself, and on the executor it
 * was registered with (by default a library thread, never the event-loop thread). On registration
 * it first receives the current role, so it never has to ask. Override only the callbacks you need,
 * or {@link #roleChanged} to see every event, {@link Role#INITIALIZE} included. A lambda can be a
 * {@link RoleChangeListener} instead.
 */
public interface RoleListener extends RoleChangeListener {

  /** Called for every event; by default dispatches to the callback named after the new role. */
  @Override
  default void roleChanged(RoleChangeEvent event) {
    switch (event.to()) {
      case MASTER -> becameMaster(event);
      case BACKUP -> becameBackup(event);
      case FAULT -> enteredFault(event);
      case STOPPED -> stopped(event);
      case INITIALIZE -> {
        // Nothing to act on: the instance has not joined the election yet.
      }
    }
  }

  /**
   * The instance now owns the virtual addresses.
   *
   * @param event the transition
   */
  default void becameMaster(RoleChangeEvent event) {}

  /**
   * The instance is now a backup: another node serves.
   *
   * @param event the transition
   */
  default void becameBackup(RoleChangeEvent event) {}

  /**
   * The instance cannot serve (a tracked interface or check failed).
   *
   * @param event the transition
   */
  default void enteredFault(RoleChangeEvent event) {}

  /**
   * The instance was closed; this is its last event.
   *
   * @param event the transition
   */
  default void stopped(RoleChangeEvent event) {}
}
