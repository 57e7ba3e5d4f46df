package org.failover4j.api;

/**
 * A role source that runs {@link BeforeTakeover} work between winning the election and adding the
 * virtual addresses: a VRRP instance or a CARP host.
 *
 * <pre>{@code
 * vrrpInstance.addBeforeTakeover(saSync);   // SA counters in place before the address moves
 * vrrpInstance.addListener(saSync);         // and it follows the role as before
 * }</pre>
 */
public interface BeforeTakeoverHooks {

  /**
   * Registers {@code hook}; hooks run in the order registered, on the event loop.
   *
   * @param hook the work
   */
  void addBeforeTakeover(BeforeTakeover hook);

  /**
   * Unregisters {@code hook}.
   *
   * @param hook the work
   * @return true if it was registered
   */
  boolean removeBeforeTakeover(BeforeTakeover hook);
}
