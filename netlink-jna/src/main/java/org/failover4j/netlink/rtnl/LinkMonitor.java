package org.failover4j.netlink.rtnl;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.PollEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the links of a network namespace for interface tracking: subscribes to the kernel's link
 * notifications ({@code RTMGRP_LINK}), keeps the current {@link LinkInfo} of every link, and tells
 * a {@link LinkListener} on the {@link PollEventLoop}'s thread when a link appears, changes (up,
 * down, carrier, MTU, name, ...) or goes away.
 *
 * <p>On start the listener first receives a {@link LinkEvent.Changed} without previous state for
 * every existing link. If the kernel drops notifications (ENOBUFS), the listener gets {@link
 * LinkEvent.EventsLost} followed by the differences found by dumping every link again, so its view
 * never silently diverges.
 *
 * <p>The monitor watches the namespace of the thread that opens it.
 */
public final class LinkMonitor implements AutoCloseable {

  /** The receive buffer asked for by default: room for thousands of notifications. */
  public static final int DEFAULT_RECEIVE_BUFFER = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(LinkMonitor.class);

  private final LinkListener listener;
  private final RtnlEvents subscription;
  private final RtNetlink requests;
  private final Map<Integer, LinkInfo> links = new ConcurrentHashMap<>();
  private final LinkCodec codec = new LinkCodec();

  private LinkMonitor(LinkListener listener, RtnlEvents subscription) {
    this.listener = listener;
    this.subscription = subscription;
    this.requests = subscription.requests();
  }

  /**
   * Starts monitoring with a receive buffer of {@link #DEFAULT_RECEIVE_BUFFER} bytes.
   *
   * @param loop the loop that reads the notifications
   * @param listener told of each link event, on the loop
   * @return the running monitor; closing it stops it
   * @throws IOException when the notification socket cannot be opened or the first dump fails
   */
  public static LinkMonitor open(PollEventLoop loop, LinkListener listener) throws IOException {
    return open(loop, listener, DEFAULT_RECEIVE_BUFFER);
  }

  /**
   * Starts monitoring; the notification socket asks for {@code receiveBufferBytes} of buffer (a
   * small one loses events in bursts, which the monitor reports and repairs).
   *
   * @param loop the loop that reads the notifications
   * @param listener told of each link event, on the loop
   * @param receiveBufferBytes the receive buffer to ask for
   * @return the running monitor; closing it stops it
   * @throws IOException when the notification socket cannot be opened or the first dump fails
   */
  public static LinkMonitor open(PollEventLoop loop, LinkListener listener, int receiveBufferBytes)
      throws IOException {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(listener, "listener");
    RtnlEvents subscription = RtnlEvents.open(Rtnl.RTMGRP_LINK, receiveBufferBytes);
    LinkMonitor monitor = new LinkMonitor(listener, subscription);
    subscription.start(
        loop,
        "link",
        monitor::handle,
        () -> monitor.deliver(new LinkEvent.EventsLost()),
        monitor::resync);
    return monitor;
  }

  /**
   * {@return the last known state of link {@code index}}
   *
   * @param index the interface index
   */
  public Optional<LinkInfo> link(int index) {
    return Optional.ofNullable(links.get(index));
  }

  /**
   * {@return the last known state of the link named {@code name}}
   *
   * @param name the interface name
   */
  public Optional<LinkInfo> link(String name) {
    // A plain loop: every address add and announcement asks this, a takeover's first among them,
    // and a stream would build its pipeline (and link its lambda, the first time) for a lookup.
    for (LinkInfo l : links.values()) {
      if (l.name().equals(name)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** {@return the last known state of every link} */
  public List<LinkInfo> links() {
    return List.copyOf(links.values());
  }

  /** Stops monitoring and closes the sockets. */
  @Override
  public void close() {
    subscription.close();
  }

  private void handle(NetlinkMessage message) {
    int type = message.type();
    if (type != Rtnl.RTM_NEWLINK && type != Rtnl.RTM_DELLINK) {
      return;
    }
    if (message.u8(Rtnl.IFINFOMSG_FAMILY) != Rtnl.AF_UNSPEC) {
      return; // AF_BRIDGE port notifications describe bridge ports, not links
    }
    LinkInfo info = codec.decode(message);
    if (type == Rtnl.RTM_NEWLINK) {
      update(info);
    } else {
      LinkInfo last = links.remove(info.index());
      deliver(new LinkEvent.Removed(last != null ? last : info));
    }
  }

  private void update(LinkInfo info) {
    LinkInfo previous = links.put(info.index(), info);
    if (!info.equals(previous)) {
      deliver(new LinkEvent.Changed(previous, info));
    }
  }

  private void resync() {
    List<LinkInfo> now;
    try {
      now = requests.links();
    } catch (IOException | MalformedPacketException e) {
      log.warn("could not dump the links: {}", String.valueOf(e));
      return;
    }
    Set<Integer> present = new HashSet<>();
    for (LinkInfo info : now) {
      present.add(info.index());
      update(info);
    }
    for (Integer index : List.copyOf(links.keySet())) {
      if (!present.contains(index)) {
        LinkInfo last = links.remove(index);
        if (last != null) {
          deliver(new LinkEvent.Removed(last));
        }
      }
    }
  }

  private void deliver(LinkEvent event) {
    try {
      listener.onLinkEvent(event);
    } catch (RuntimeException e) {
      log.warn("link listener failed on {}", event, e);
    }
  }
}
