package org.failover4j.api.platform;

/** Hears interfaces go up and down, on the event loop. */
@FunctionalInterface
public interface LinkStateListener {

  /**
   * {@code iface} is now usable ({@code up}: up with a carrier) or not.
   *
   * @param iface the interface name
   * @param up true when it is up with a carrier
   */
  void linkChanged(String iface, boolean up);
}
