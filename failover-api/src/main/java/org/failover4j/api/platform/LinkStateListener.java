package org.failover4j.api.platform;

/** Hears interfaces go up and down, on the event loop. */
@FunctionalInterface
public interface LinkStateListener {

  /** {@code iface} is now usable ({@code up}: up with a carrier) or not. */
  void linkChanged(String iface, boolean up);
}
