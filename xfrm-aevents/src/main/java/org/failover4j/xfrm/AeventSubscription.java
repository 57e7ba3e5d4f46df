package org.failover4j.xfrm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.failover4j.api.DropCounters;
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
 * A membership in {@code XFRMNLGRP_AEVENTS}, {@code XFRMNLGRP_SA} and {@code XFRMNLGRP_EXPIRE} on
 * its own netlink socket, read on a {@link PollEventLoop}: every NEWAE goes to the {@link
 * AeventListener}, and every DELSA and hard EXPIRE as {@link AeventListener#saDeleted} (NEWSA,
 * UPDSA and soft expiries are skipped); a receive queue overflow becomes {@link
 * AeventListener#eventsLost()}; malformed messages are counted by reason and skipped. Created by
 * {@link XfrmAeventClient#subscribe}; close it to leave the groups.
 *
 * <p>One socket for the three groups keeps the kernel's order: an SA's last aevent arrives before
 * its deletion. The kernel only generates aevents while at least one socket is in the group, so
 * subscribing is also what switches the events on.
 */
public final class AeventSubscription implements AutoCloseable {

  /** The receive buffer asked for by default: room for thousands of events in a burst. */
  public static final int DEFAULT_RECEIVE_BUFFER = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(AeventSubscription.class);

  private final NetlinkSocket socket;
  private final AeventListener listener;
  private final Registration registration;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
  private final AeventCodec codec = new AeventCodec();
  private final SaDeletionDecoder deletions = new SaDeletionDecoder();
  private final DropCounters<XfrmDropReason> drops = new DropCounters<>(XfrmDropReason.class);

  private AeventSubscription(PollEventLoop loop, NetlinkSocket socket, AeventListener listener) {
    this.socket = socket;
    this.listener = listener;
    this.registration = loop.register(socket, this::onReadable);
  }

  /**
   * Joins the aevents, SA and expiry groups of the calling thread's network namespace (needs
   * CAP_NET_ADMIN).
   *
   * @param receiveBufferBytes the socket's receive buffer; a small one loses events in bursts
   */
  static AeventSubscription open(
      PollEventLoop loop, AeventListener listener, int receiveBufferBytes) throws IOException {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(listener, "listener");
    NetlinkSocket socket =
        NetlinkSocket.open(
            Netlink.NETLINK_XFRM,
            Netlink.groupMask(Xfrm.XFRMNLGRP_AEVENTS)
                | Netlink.groupMask(Xfrm.XFRMNLGRP_SA)
                | Netlink.groupMask(Xfrm.XFRMNLGRP_EXPIRE));
    try {
      socket.setReceiveBufferSize(receiveBufferBytes);
      return new AeventSubscription(loop, socket, listener);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Malformed messages dropped so far, by reason.
   *
   * @return the counters, live
   */
  public DropCounters<XfrmDropReason> drops() {
    return drops;
  }

  /** Leaves the group and closes the socket. */
  @Override
  public void close() {
    registration.cancel();
    socket.close();
  }

  private void onReadable() throws IOException {
    socket.drainEvents(buffer, cursor, handler);
  }

  /** What the read loop hands over. */
  private final NetlinkEventHandler handler =
      new NetlinkEventHandler() {
        @Override
        public void message(NetlinkMessage message) {
          if (message.type() == Xfrm.XFRM_MSG_NEWAE) {
            deliver(codec.decode(message));
          } else if (SaDeletionDecoder.isDeletionType(message.type())) {
            deletions.decode(message).ifPresent(AeventSubscription.this::deliverDeletion);
          }
        }

        @Override
        public void eventsLost() {
          deliverLost();
        }

        @Override
        public void malformed(MalformedPacketException e) {
          drops.increment(e);
          log.warn("dropped a malformed XFRM event: {}", e.getMessage());
        }
      };

  private void deliver(Aevent event) {
    try {
      listener.onAevent(event);
    } catch (RuntimeException e) {
      log.warn("aevent listener failed on {}", event.sa(), e);
    }
  }

  private void deliverDeletion(SaDeletion deletion) {
    try {
      listener.saDeleted(deletion);
    } catch (RuntimeException e) {
      log.warn("aevent listener failed on the deletion of {}", deletion.sa(), e);
    }
  }

  private void deliverLost() {
    try {
      listener.eventsLost();
    } catch (RuntimeException e) {
      log.warn("aevent listener failed on lost events", e);
    }
  }
}
