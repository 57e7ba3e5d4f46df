package org.failover4j.netlink;

/**
 * Receives the replies to one netlink request, one message at a time, on the requesting thread. The
 * message view is reused: copy what you need before returning.
 */
@FunctionalInterface
public interface NetlinkReplyHandler {

  /**
   * Handles one reply (never an error, done or no-op message: the socket consumes those).
   *
   * @param message the reply, valid during the call
   */
  void onReply(NetlinkMessage message);
}
