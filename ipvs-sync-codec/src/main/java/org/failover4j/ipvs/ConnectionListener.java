package org.failover4j.ipvs;

/**
 * Follows a backup's {@link ConnectionTable}. Called in event order, never concurrently with
 * itself, on the executor it was registered with.
 */
@FunctionalInterface
public interface ConnectionListener {

  /**
   * One entry was added, updated or expired.
   *
   * @param event the change
   */
  void connectionChanged(ConnectionEvent event);
}
