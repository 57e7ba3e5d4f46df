package org.failover4j.netlink;

import java.io.IOException;

/**
 * Called on the loop thread when a registered descriptor is readable or has an error pending.
 * Polling is level-triggered: read until the socket reports nothing waiting, or the loop calls
 * again. What it throws is logged and the loop carries on.
 */
@FunctionalInterface
public interface ReadHandler {

  /**
   * The descriptor is readable, or a receive would return its pending error.
   *
   * @throws IOException when reading fails; the loop logs it
   */
  void onReadable() throws IOException;
}
