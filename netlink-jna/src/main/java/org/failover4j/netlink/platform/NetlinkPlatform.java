package org.failover4j.netlink.platform;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.failover4j.api.EventLoop;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.platform.AddressListener;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertChannels;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.AdvertSocket;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.LinkStateListener;
import org.failover4j.api.platform.Platform;
import org.failover4j.netlink.Capabilities;
import org.failover4j.netlink.MacAddress;
import org.failover4j.netlink.NoSuchDeviceException;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.rtnl.AddressFlag;
import org.failover4j.netlink.rtnl.AddressScope;
import org.failover4j.netlink.rtnl.AddressSpec;
import org.failover4j.netlink.rtnl.LinkInfo;
import org.failover4j.netlink.rtnl.MacvlanMode;
import org.failover4j.netlink.rtnl.MacvlanSpec;
import org.failover4j.netlink.rtnl.RtNetlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux kernel as a {@link Platform}, through netlink-jna: raw sockets for protocols 112 and 51
 * joined to the VRRP / CARP group and shared by every instance of an interface, rtnetlink for
 * addresses, macvlans and link events, a packet socket for gratuitous ARP and unsolicited NA, and a
 * {@link PollEventLoop}. Needs CAP_NET_ADMIN and CAP_NET_RAW; everything it opens belongs to the
 * network namespace of the thread that calls {@link #open()}, and the loop thread it starts
 * inherits that namespace.
 *
 * <p>A facade over the parts that do the work: {@link AdvertSocketFactory} opens the advert
 * sockets, {@link RawSockets} sends and receives through them, {@link AdvertChannels} shares them
 * between owners, {@link Announcer} sends the gratuitous ARPs and NAs, and {@link LinkWatcher}
 * follows links and addresses.
 */
public final class NetlinkPlatform implements Platform {

  private static final Logger log = LoggerFactory.getLogger(NetlinkPlatform.class);

  /** An interface index the kernel never hands out in practice (it counts up from 1). */
  private static final int NO_INTERFACE = Integer.MAX_VALUE;

  private final PollEventLoop loop;
  private final boolean ownsLoop;
  private final RtNetlink rtnl;
  private final ExecutorService checks;
  private final Announcer announcer = new Announcer();
  private final LinkWatcher links;
  private final AdvertSocketFactory sockets;
  private final TurnBatch batch;
  private final AdvertChannels channels = new AdvertChannels(this::openSocket);

  /** On the loop: the takeover was rehearsed (once per platform, whoever asks). */
  private boolean takeoverRehearsed;

  private NetlinkPlatform(PollEventLoop loop, boolean ownsLoop, RtNetlink rtnl) {
    this.loop = loop;
    this.ownsLoop = ownsLoop;
    this.rtnl = rtnl;
    this.links =
        new LinkWatcher(loop, rtnl, this::followRecreated, gone -> announcer.forget(gone.index()));
    this.batch = new TurnBatch(loop, rtnl, this::announceNow);
    this.sockets = new AdvertSocketFactory(loop, links, announcer, batch);
    this.checks =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "failover4j-vrrp-check");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A platform with its own event-loop thread, closed with the platform.
   *
   * @throws org.failover4j.netlink.PermissionDeniedException when the calling thread lacks
   *     CAP_NET_ADMIN or CAP_NET_RAW (the message names which)
   */
  public static NetlinkPlatform open() throws IOException {
    Capabilities.requireNetworkAdmin("NetlinkPlatform.open()");
    PollEventLoop loop = PollEventLoop.start("failover4j-vrrp");
    try {
      return new NetlinkPlatform(loop, true, RtNetlink.open());
    } catch (IOException | RuntimeException e) {
      loop.close();
      throw e;
    }
  }

  /** A platform on an existing loop, which the caller keeps and closes. */
  public static NetlinkPlatform open(PollEventLoop loop) throws IOException {
    Capabilities.requireNetworkAdmin("NetlinkPlatform.open()");
    return new NetlinkPlatform(loop, false, RtNetlink.open());
  }

  /**
   * Adds an address of each family, as a takeover does, on an interface index that no interface
   * has, which the kernel refuses (ENODEV) without changing anything. Without this a cold process's
   * first takeover ran the whole add path for the first time between its first advert and the
   * address (classes loaded, constant pools resolved, all interpreted: about 1.2 ms, see
   * docs/BENCHMARKS.md: most of it loading the class behind the scope's switch); the VRRP router's
   * own rehearsal plays its takeover on a simulated platform and never reaches this code. It goes
   * through {@link #addition}, as {@link #addAddress} does, on the loop, as the adds of a takeover
   * do. Never fails: only the first takeover's speed is at stake.
   */
  @Override
  public void rehearseTakeover() {
    try {
      loop.execute(
          () -> {
            if (!takeoverRehearsed) {
              takeoverRehearsed = true;
              rehearseAddressAdds();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Closed meanwhile: nothing left to take over.
    }
  }

  private void rehearseAddressAdds() {
    byte[][] addresses = {
      {(byte) 192, 0, 2, 1}, {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
    };
    for (byte[] bytes : addresses) {
      try {
        AddressSpec spec =
            addition(
                NO_INTERFACE,
                new VirtualAddress(InetAddress.getByAddress(bytes), bytes.length == 4 ? 24 : 64));
        if (rtnl.addAddress(spec)) {
          rtnl.deleteAddress(spec); // an interface with that index after all: leave no trace
        }
      } catch (NoSuchDeviceException expected) {
        // The kernel's answer: no such interface, nothing added.
      } catch (IOException | RuntimeException e) {
        log.debug("rehearsal of an address add: {}", e.toString());
      }
    }
  }

  @Override
  public EventLoop eventLoop() {
    return loop;
  }

  @Override
  public InterfaceState interfaceState(String iface) throws IOException {
    return links.state(links.link(iface));
  }

  @Override
  public AdvertChannel openAdvertChannel(
      String iface, IpFamily family, AdvertOwner owner, AdvertSink sink) throws IOException {
    return channels.open(iface, family, owner, sink);
  }

  @Override
  public Map<AdvertDropReason, Long> advertDrops() {
    return channels.drops().snapshot();
  }

  private AdvertSocket openSocket(String iface, IpFamily family, AdvertSink sink)
      throws IOException {
    return sockets.open(iface, family, sink, channels.drops());
  }

  @Override
  public void addAddress(String iface, InetAddress address, int prefixLength) throws IOException {
    addAddress(iface, new VirtualAddress(address, prefixLength));
  }

  /** Adds the address with its scope and IPv4 label, as keepalived's netlink_ipaddress() does. */
  @Override
  public void addAddress(String iface, VirtualAddress address) throws IOException {
    rtnl.addAddress(addition(links.link(iface).index(), address));
  }

  /**
   * When several takeovers fall due in one turn of the loop's timers, queues the add for the end of
   * the turn, after the turn's adverts, in a netlink batch with the others ({@link TurnBatch});
   * otherwise (a single takeover, or outside the timers) adds at once.
   */
  @Override
  public void addAddressSoon(String iface, VirtualAddress address, Consumer<IOException> refused)
      throws IOException {
    if (!batch.deferAddressWork()) {
      addAddress(iface, address);
      return;
    }
    batch.addAddress(
        spec(iface, address.address(), address.prefixLength())
            .scope(scopeOf(address.scope()))
            .label(address.label())
            .build(),
        refused);
  }

  @Override
  public void afterQueuedAdverts(Runnable work) {
    if (batch.deferAddressWork()) {
      batch.afterAdverts(work);
    } else {
      work.run();
    }
  }

  @Override
  public void removeAddress(String iface, InetAddress address, int prefixLength)
      throws IOException {
    // The address may still wait in the batch (a master that stepped down before its turn's
    // addresses went out): add it first, then remove it, never the other way round.
    batch.flush();
    rtnl.deleteAddress(spec(iface, address, prefixLength).build());
  }

  private AddressSpec.Builder spec(String iface, InetAddress address, int prefixLength)
      throws IOException {
    return spec(links.link(iface).index(), address, prefixLength);
  }

  /** What adding {@code address} asks the kernel for, as keepalived's netlink_ipaddress() does. */
  private static AddressSpec addition(int ifindex, VirtualAddress address) {
    return spec(ifindex, address.address(), address.prefixLength())
        .scope(scopeOf(address.scope()))
        .label(address.label())
        .build();
  }

  private static AddressSpec.Builder spec(int ifindex, InetAddress address, int prefixLength) {
    AddressSpec.Builder spec = AddressSpec.builder(address, ifindex).prefixLength(prefixLength);
    if (address instanceof Inet6Address) {
      // A virtual address must work at once: duplicate detection would hold it tentative.
      spec.flag(AddressFlag.NODAD);
    }
    return spec;
  }

  private static AddressScope scopeOf(VirtualAddress.Scope scope) {
    return switch (scope) {
      case GLOBAL -> AddressScope.UNIVERSE;
      case SITE -> AddressScope.SITE;
      case LINK -> AddressScope.LINK;
      case HOST -> AddressScope.HOST;
    };
  }

  /**
   * Announces at once, or, while the loop runs its timers, after the turn's adverts and addresses
   * ({@link TurnBatch}); a deferred announcement the kernel refuses is logged there.
   */
  @Override
  public void announce(String iface, InetAddress address, byte[] mac) throws IOException {
    if (batch.deferAddressWork()) {
      links.link(iface); // an unknown interface still fails here, at once
      batch.announce(iface, address, mac);
      return;
    }
    announceNow(iface, address, mac);
  }

  private void announceNow(String iface, InetAddress address, byte[] mac) throws IOException {
    announcer.announce(iface, links.link(iface).index(), address, mac);
  }

  @Override
  public InterfaceState createVirtualMac(String name, String parent, byte[] mac)
      throws IOException {
    batch.flush(); // what was queued goes before the link changes
    deleteVirtualMac(name);
    LinkInfo parentLink = links.link(parent);
    // The kernel's answer, not the monitor's table: a macvlan left by a crash just went away.
    return links.state(
        rtnl.createMacvlan(
            MacvlanSpec.builder(name, parentLink.index(), MacAddress.of(mac))
                .mode(MacvlanMode.PRIVATE)
                .linkLocal(linkLocalOf(parentLink))
                .up(true)
                .build()));
  }

  /**
   * The link-local address a virtual MAC on {@code parent} advertises from: the parent's own, as
   * keepalived gives it, so that each router keeps its own source (the one derived from the virtual
   * MAC would be the same on all of them, and fail duplicate address detection on all but one).
   * While the parent has none yet, the one it will derive from its MAC.
   */
  private Inet6Address linkLocalOf(LinkInfo parent) throws IOException {
    Inet6Address own = links.state(parent).ipv6LinkLocal();
    if (own != null || parent.mac() == null) {
      return own;
    }
    return parent.mac().linkLocal();
  }

  @Override
  public void deleteVirtualMac(String name) throws IOException {
    Optional<LinkInfo> existing = rtnl.link(name);
    if (existing.isPresent()) {
      announcer.forget(existing.get().index());
      rtnl.deleteLink(existing.get().index());
    }
  }

  /**
   * Every caller shares one link monitor (one netlink socket and one table of links): the first
   * watch opens it, the last one closed closes it, and each event reaches every listener.
   */
  @Override
  public Closeable watchLinks(LinkStateListener listener) throws IOException {
    return links.watchLinks(listener);
  }

  /** As {@link #watchLinks}: one address monitor, shared by every listener. */
  @Override
  public Closeable watchAddresses(AddressListener listener) throws IOException {
    return links.watchAddresses(listener);
  }

  /**
   * An interface deleted and created again keeps its name but gets a new index and MAC: sockets
   * bound to the old one would fail every send with ENODEV, so they are opened again on the new
   * one, keeping every claim (keepalived rebinds the same way).
   */
  private void followRecreated(LinkInfo link) {
    OptionalInt opened = sockets.staleIndex(link);
    if (opened.isEmpty()) {
      return;
    }
    try {
      channels.reopen(link.name());
      log.info(
          "{} was created again (index {} -> {}); advert sockets rebound",
          link.name(),
          opened.getAsInt(),
          link.index());
    } catch (IOException | RuntimeException e) {
      log.warn("could not rebind the advert sockets of {}: {}", link.name(), e.getMessage());
    }
  }

  @Override
  public Executor checkExecutor() {
    return checks;
  }

  @Override
  public void close() {
    channels.closeAll();
    announcer.close();
    rtnl.close();
    checks.shutdownNow();
    if (ownsLoop) {
      loop.close();
    }
  }
}
