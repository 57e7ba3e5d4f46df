package org.failover4j.netlink.rtnl;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.PollEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an {@link AddressListener} when an IPv4 or IPv6 address disappears from an interface of the
 * namespace, whoever removed it: subscribes to the kernel's address notifications ({@code
 * RTMGRP_IPV4_IFADDR}, {@code RTMGRP_IPV6_IFADDR}) and keeps the set of addresses present. If the
 * kernel drops notifications (ENOBUFS), it dumps the addresses again and reports every one that
 * vanished meanwhile, so no removal is missed.
 *
 * <p>The monitor watches the namespace of the thread that opens it; events arrive on the loop.
 */
public final class AddressMonitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AddressMonitor.class);

  private final AddressListener listener;
  private final RtnlEvents subscription;
  private final RtNetlink requests;
  private final Map<String, AddressInfo> present = new HashMap<>();
  private final AddressCodec codec = new AddressCodec();

  private AddressMonitor(AddressListener listener, RtnlEvents subscription) {
    this.listener = listener;
    this.subscription = subscription;
    this.requests = subscription.requests();
  }

  /**
   * Starts monitoring; its socket asks for {@link LinkMonitor#DEFAULT_RECEIVE_BUFFER} bytes.
   *
   * @param loop the loop that reads the notifications
   * @param listener told of each removed address, on the loop
   * @return the running monitor; closing it stops it
   * @throws IOException when the notification socket cannot be opened
   */
  public static AddressMonitor open(PollEventLoop loop, AddressListener listener)
      throws IOException {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(listener, "listener");
    RtnlEvents subscription =
        RtnlEvents.open(
            Rtnl.RTMGRP_IPV4_IFADDR | Rtnl.RTMGRP_IPV6_IFADDR, LinkMonitor.DEFAULT_RECEIVE_BUFFER);
    AddressMonitor monitor = new AddressMonitor(listener, subscription);
    subscription.start(
        loop,
        "address",
        monitor::handle,
        () -> log.warn("address notifications were lost; comparing with a fresh dump"),
        monitor::resync);
    return monitor;
  }

  /** Stops monitoring and closes the sockets. */
  @Override
  public void close() {
    subscription.close();
  }

  private void handle(NetlinkMessage message) {
    int type = message.type();
    if (type != Rtnl.RTM_NEWADDR && type != Rtnl.RTM_DELADDR) {
      return;
    }
    AddressInfo info = codec.decode(message);
    if (type == Rtnl.RTM_NEWADDR) {
      present.put(key(info), info);
    } else {
      present.remove(key(info));
      deliver(info);
    }
  }

  private void resync() {
    List<AddressInfo> now;
    try {
      now = requests.addresses();
    } catch (IOException | MalformedPacketException e) {
      log.warn("could not dump the addresses: {}", String.valueOf(e));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (AddressInfo info : now) {
      seen.add(key(info));
      present.put(key(info), info);
    }
    for (String key : List.copyOf(present.keySet())) {
      if (!seen.contains(key)) {
        deliver(present.remove(key));
      }
    }
  }

  private static String key(AddressInfo info) {
    return info.ifindex() + " " + info.cidr();
  }

  private void deliver(AddressInfo removed) {
    try {
      listener.addressRemoved(removed);
    } catch (RuntimeException e) {
      log.warn("address listener failed on {}", removed.cidr(), e);
    }
  }
}
