package org.failover4j.netlink.rtnl;

/** Receives a {@link LinkMonitor}'s events, in order, on its event loop's thread. */
@FunctionalInterface
public interface LinkListener {

  /**
   * One event; must not block the loop.
   *
   * @param event the event, valid during the call
   */
  void onLinkEvent(LinkEvent event);
}
