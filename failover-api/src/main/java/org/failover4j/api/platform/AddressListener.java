package org.failover4j.api.platform;

import java.net.InetAddress;

/**
 * Hears addresses disappear from interfaces, on the event loop: how a runtime notices that someone
 * (an operator's {@code ip addr del}, another daemon, an interface reset) took a virtual address it
 * holds.
 */
@FunctionalInterface
public interface AddressListener {

  /**
   * {@code address/prefixLength} was removed from {@code iface}.
   *
   * @param iface the interface it was removed from
   * @param address the address removed
   * @param prefixLength its prefix length
   */
  void addressRemoved(String iface, InetAddress address, int prefixLength);
}
