package org.failover4j.netlink.rtnl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkEventHandler;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.NetlinkMessageCursor;
import org.failover4j.netlink.NetlinkSocket;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every rtnetlink monitor needs: a socket in its notification groups, read on the loop without
 * allocation, and a request socket to dump the current state again after lost events.
 */
final class RtnlEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RtnlEvents.class);
  private static final int DATAGRAM_BUFFER = 64 * 1024;

  private final NetlinkSocket events;
  private final RtNetlink requests;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(DATAGRAM_BUFFER).order(ByteOrder.nativeOrder());
  private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
  private Registration registration;

  private RtnlEvents(NetlinkSocket events, RtNetlink requests) {
    this.events = events;
    this.requests = requests;
  }

  /** Joins {@code groups} with a receive buffer of {@code receiveBufferBytes}; not read yet. */
  static RtnlEvents open(int groups, int receiveBufferBytes) throws IOException {
    NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_ROUTE, groups);
    RtNetlink requests = null;
    try {
      events.setReceiveBufferSize(receiveBufferBytes);
      requests = RtNetlink.open();
      return new RtnlEvents(events, requests);
    } catch (IOException | RuntimeException e) {
      events.close();
      if (requests != null) {
        requests.close();
      }
      throw e;
    }
  }

  /**
   * Reads the notifications on {@code loop}, after {@code resync} (the monitor's initial dump) has
   * run there: each message to {@code onMessage}, lost events to {@code resync} again (after {@code
   * onLost}), malformed datagrams logged as {@code what} notifications. Call once the monitor is
   * fully built.
   */
  void start(
      PollEventLoop loop,
      String what,
      Consumer<NetlinkMessage> onMessage,
      Runnable onLost,
      Runnable resync) {
    NetlinkEventHandler handler =
        new NetlinkEventHandler() {
          @Override
          public void message(NetlinkMessage message) {
            onMessage.accept(message);
          }

          @Override
          public void eventsLost() {
            onLost.run();
            resync.run();
          }

          @Override
          public void malformed(MalformedPacketException e) {
            log.warn("dropped a malformed {} notification: {}", what, e.getMessage());
          }
        };
    registration = loop.register(events, () -> events.drainEvents(buffer, cursor, handler));
    loop.execute(resync);
  }

  /** The socket for dumps. */
  RtNetlink requests() {
    return requests;
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.cancel();
    }
    events.close();
    requests.close();
  }
}
