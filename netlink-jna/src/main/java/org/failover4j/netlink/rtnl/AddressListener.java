package org.failover4j.netlink.rtnl;

/** Hears addresses go away, on the event loop that runs an {@link AddressMonitor}. */
@FunctionalInterface
public interface AddressListener {

  /**
   * {@code removed} is gone from its interface (deleted, or its link went away).
   *
   * @param removed the address removed
   */
  void addressRemoved(AddressInfo removed);
}
