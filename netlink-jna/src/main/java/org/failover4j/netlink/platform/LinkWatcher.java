package org.failover4j.netlink.platform;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.failover4j.api.platform.AddressListener;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.LinkStateListener;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.rtnl.AddressFlag;
import org.failover4j.netlink.rtnl.AddressInfo;
import org.failover4j.netlink.rtnl.AddressMonitor;
import org.failover4j.netlink.rtnl.AddressScope;
import org.failover4j.netlink.rtnl.LinkEvent;
import org.failover4j.netlink.rtnl.LinkInfo;
import org.failover4j.netlink.rtnl.LinkMonitor;
import org.failover4j.netlink.rtnl.RtNetlink;

/**
 * The platform's view of links and addresses: one link monitor and one address monitor shared by
 * every listener (the first watch opens each, the last one closed closes it), and lookups that use
 * the link monitor's table while links are watched (no request per address move or announcement)
 * and ask the kernel otherwise. Use on the event loop.
 */
final class LinkWatcher {

  private final PollEventLoop loop;
  private final RtNetlink rtnl;
  private final Consumer<LinkInfo> changed;
  private final Consumer<LinkInfo> removed;
  private final List<LinkStateListener> linkListeners = new CopyOnWriteArrayList<>();
  private final List<AddressListener> addressListeners = new CopyOnWriteArrayList<>();
  private LinkMonitor monitor;
  private AddressMonitor addressMonitor;

  /**
   * @param changed told of a link that changed (or appeared), before the listeners
   * @param removed told of a link that went away, before the listeners
   */
  LinkWatcher(
      PollEventLoop loop, RtNetlink rtnl, Consumer<LinkInfo> changed, Consumer<LinkInfo> removed) {
    this.loop = loop;
    this.rtnl = rtnl;
    this.changed = changed;
    this.removed = removed;
  }

  /**
   * The link named {@code iface}: from the link monitor's table once links are watched, else, or
   * for a link it has not seen yet, from the kernel.
   */
  LinkInfo link(String iface) throws IOException {
    if (monitor != null) {
      Optional<LinkInfo> known = monitor.link(iface);
      if (known.isPresent()) {
        return known.get();
      }
    }
    return rtnl.link(iface).orElseThrow(() -> new IOException("no interface named " + iface));
  }

  /** The name of link {@code index}, from the monitor's table or the kernel; null if gone. */
  String linkName(int index) {
    if (monitor != null) {
      Optional<LinkInfo> known = monitor.link(index);
      if (known.isPresent()) {
        return known.get().name();
      }
    }
    try {
      return rtnl.link(index).map(LinkInfo::name).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * {@code link} with its primary IPv4 address, first IPv6 link-local one and oldest IPv6 global
   * one, asked now. The kernel lists an interface's IPv6 addresses newest first, so the last global
   * one listed is the host's own address rather than a virtual address added since.
   */
  InterfaceState state(LinkInfo link) throws IOException {
    Inet4Address ipv4 = null;
    Inet6Address linkLocal = null;
    Inet6Address global = null;
    for (AddressInfo a : rtnl.addresses(link.index())) {
      if (a.address() instanceof Inet4Address v4
          && ipv4 == null
          && !a.flags().contains(AddressFlag.SECONDARY)) {
        ipv4 = v4;
      } else if (a.address() instanceof Inet6Address v6) {
        if (v6.isLinkLocalAddress()) {
          linkLocal = linkLocal == null ? v6 : linkLocal;
        } else if (a.scope() == AddressScope.UNIVERSE.value()
            && !a.flags().contains(AddressFlag.DADFAILED)) {
          global = v6;
        }
      }
    }
    return new InterfaceState(
        link.name(), link.index(), link.mac().toBytes(), usable(link), ipv4, linkLocal, global);
  }

  private static boolean usable(LinkInfo link) {
    return link.isUp() && link.hasCarrier();
  }

  /** Tells {@code listener} of every link's changes until the returned handle is closed. */
  Closeable watchLinks(LinkStateListener listener) throws IOException {
    if (monitor == null) {
      monitor =
          LinkMonitor.open(
              loop,
              event -> {
                if (event instanceof LinkEvent.Changed change) {
                  changed.accept(change.current());
                  tellLinks(change.current().name(), usable(change.current()));
                } else if (event instanceof LinkEvent.Removed removal) {
                  removed.accept(removal.last());
                  tellLinks(removal.last().name(), false);
                }
              });
    }
    linkListeners.add(listener);
    return () -> {
      if (linkListeners.remove(listener) && linkListeners.isEmpty() && monitor != null) {
        LinkMonitor closing = monitor;
        monitor = null;
        closing.close();
      }
    };
  }

  private void tellLinks(String name, boolean up) {
    for (LinkStateListener l : linkListeners) {
      l.linkChanged(name, up);
    }
  }

  /** Tells {@code listener} of every address removed until the returned handle is closed. */
  Closeable watchAddresses(AddressListener listener) throws IOException {
    if (addressMonitor == null) {
      addressMonitor =
          AddressMonitor.open(
              loop,
              removal -> {
                String name = linkName(removal.ifindex());
                if (name != null) {
                  for (AddressListener l : addressListeners) {
                    l.addressRemoved(name, removal.address(), removal.prefixLength());
                  }
                }
              });
    }
    addressListeners.add(listener);
    return () -> {
      if (addressListeners.remove(listener)
          && addressListeners.isEmpty()
          && addressMonitor != null) {
        AddressMonitor closing = addressMonitor;
        addressMonitor = null;
        closing.close();
      }
    };
  }
}
