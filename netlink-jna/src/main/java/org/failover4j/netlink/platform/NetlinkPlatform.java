package org.failover4j.netlink.platform;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.RateLimitedLog;
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
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.netlink.ArpOperation;
import org.failover4j.netlink.Capabilities;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.MacAddress;
import org.failover4j.netlink.PacketSocket;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.RawSocketOption;
import org.failover4j.netlink.rtnl.AddressFlag;
import org.failover4j.netlink.rtnl.AddressInfo;
import org.failover4j.netlink.rtnl.AddressMonitor;
import org.failover4j.netlink.rtnl.AddressSpec;
import org.failover4j.netlink.rtnl.LinkEvent;
import org.failover4j.netlink.rtnl.LinkInfo;
import org.failover4j.netlink.rtnl.LinkMonitor;
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
 */
public final class NetlinkPlatform implements Platform {

  private static final int RECEIVE_BUFFER = 1500;

  /**
   * Packets read per wake-up at least: a flood must not starve the loop's timers (polling is
   * level). A socket shared by more owners reads one advert per owner, one burst of the masters'
   * aligned timers, per wake-up: fewer ppoll calls for the same packets.
   */
  private static final int MIN_READS_PER_WAKEUP = 64;

  private static final int TTL = 255;

  /**
   * Receive buffer asked per owner of a shared advert socket (the kernel doubles it): room for a
   * few adverts each, as the masters' timers drift into step and their adverts arrive in bursts of
   * one per instance. The default buffer (about 270 small packets) dropped adverts from 2000.
   */
  static final int RECEIVE_BYTES_PER_CLAIM = 2048;

  /** Below this the kernel's default buffer (rmem_default, 208 KiB here) is left alone. */
  static final int MIN_RECEIVE_BUFFER = 256 * 1024;

  static final int MAX_RECEIVE_BUFFER = 64 * 1024 * 1024;

  /** A refused send is logged at most this often per interface, with the count in between. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(NetlinkPlatform.class);
  private static final int NETWORK_CONTROL = 0xc0;

  private final PollEventLoop loop;
  private final boolean ownsLoop;
  private final RtNetlink rtnl;
  private final ExecutorService checks;
  private final Map<Integer, PacketSocket> packetSockets = new HashMap<>();
  private final AdvertChannels channels = new AdvertChannels(this::openSocket);

  private static final long FORWARDING_RECHECK_NANOS = 1_000_000_000L;

  /** The IPv6 forwarding setting of each interface that announced, as last read. */
  private final Map<String, Forwarding> forwarding = new HashMap<>();

  /** The index each interface with advert sockets had when they were opened. */
  private final Map<String, Integer> socketIndex = new HashMap<>();

  private LinkMonitor monitor;
  private AddressMonitor addressMonitor;
  private final List<LinkStateListener> linkListeners = new CopyOnWriteArrayList<>();
  private final List<AddressListener> addressListeners = new CopyOnWriteArrayList<>();

  private NetlinkPlatform(PollEventLoop loop, boolean ownsLoop, RtNetlink rtnl) {
    this.loop = loop;
    this.ownsLoop = ownsLoop;
    this.rtnl = rtnl;
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

  @Override
  public EventLoop eventLoop() {
    return loop;
  }

  @Override
  public InterfaceState interfaceState(String iface) throws IOException {
    return state(link(iface));
  }

  private InterfaceState state(LinkInfo link) throws IOException {
    Inet4Address ipv4 = null;
    Inet6Address linkLocal = null;
    for (AddressInfo a : rtnl.addresses(link.index())) {
      if (a.address() instanceof Inet4Address v4
          && ipv4 == null
          && !a.flags().contains(AddressFlag.SECONDARY)) {
        ipv4 = v4;
      } else if (a.address() instanceof Inet6Address v6
          && linkLocal == null
          && v6.isLinkLocalAddress()) {
        linkLocal = v6;
      }
    }
    return new InterfaceState(
        link.name(), link.index(), link.mac().toBytes(), usable(link), ipv4, linkLocal);
  }

  private static boolean usable(LinkInfo link) {
    return link.isUp() && link.hasCarrier();
  }

  /**
   * The link named {@code iface}: from the link monitor's table once links are watched (no request
   * per address move or announcement), else, or for a link it has not seen yet, from the kernel.
   */
  private LinkInfo link(String iface) throws IOException {
    if (monitor != null) {
      Optional<LinkInfo> known = monitor.link(iface);
      if (known.isPresent()) {
        return known.get();
      }
    }
    return rtnl.link(iface).orElseThrow(() -> new IOException("no interface named " + iface));
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
    LinkInfo link = link(iface);
    int index = link.index();
    List<RawIpSocket> sockets = new ArrayList<>();
    RawIpSocket boundSender = null;
    try {
      RawIpSocket advertSocket = configured(open(family, IpProtocol.VRRP), iface, index);
      sockets.add(advertSocket);
      if (family == IpFamily.IPV4) {
        // keepalived builds the IPv4 header itself so that AH can cover it.
        advertSocket.setOption(RawSocketOption.HEADER_INCLUDED, true);
        sockets.add(configured(open(family, IpProtocol.AH), iface, index));
      } else {
        // No IPV6_CHECKSUM: the kernel would rewrite and check a pseudo-header checksum, which is
        // VRRPv3's but not CARP's (a plain sum over its 36 bytes), and silently drop CARP adverts
        // on the shared socket. Each codec writes and verifies its own checksum instead.
        advertSocket.setOption(RawSocketOption.CHECKSUM_OFFSET, -1);
        Inet6Address linkLocal = state(link).ipv6LinkLocal();
        if (linkLocal != null) {
          boundSender = linkLocalSender(iface, index, linkLocal);
        }
      }
      RawSockets channel =
          new RawSockets(iface, advertSocket, boundSender, index, sockets, channels.drops());
      // Opened now, not at the first takeover: the gratuitous ARPs must not wait for a socket.
      announcer(index);
      for (RawIpSocket s : sockets) {
        loop.register(s, () -> channel.drain(s, sink));
      }
      // Only once open: a rebind that failed is tried again at the interface's next event.
      socketIndex.put(iface, index);
      return channel;
    } catch (IOException | RuntimeException e) {
      sockets.forEach(RawIpSocket::close);
      if (boundSender != null) {
        boundSender.close();
      }
      throw e;
    }
  }

  /**
   * A send-only IPv6 socket bound to the interface's link-local address, the source RFC 5798 wants
   * for multicast adverts. Unbound, the kernel chooses the source for every send by walking all the
   * interface's addresses, a master's virtual addresses included: with 250 of them that walk was
   * half of a master's CPU. (keepalived sends from a bound socket too.)
   */
  private static RawIpSocket linkLocalSender(String iface, int index, Inet6Address linkLocal)
      throws IOException {
    RawIpSocket socket = open(IpFamily.IPV6, IpProtocol.VRRP);
    try {
      socket.bindToDevice(iface);
      socket.setOption(RawSocketOption.MULTICAST_INTERFACE, index);
      socket.setOption(RawSocketOption.MULTICAST_LOOP, false);
      socket.setOption(RawSocketOption.MULTICAST_HOPS, TTL);
      socket.setOption(RawSocketOption.UNICAST_HOPS, TTL);
      socket.setOption(RawSocketOption.TRAFFIC_CLASS, NETWORK_CONTROL);
      // The codecs write their own checksums (see the shared socket above).
      socket.setOption(RawSocketOption.CHECKSUM_OFFSET, -1);
      socket.bind(linkLocal, index);
      socket.setOption(RawSocketOption.RECEIVE_ALL_MULTICAST, false);
      socket.dropEverythingReceived();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static RawIpSocket open(IpFamily family, int protocol) throws IOException {
    return RawIpSocket.open(
        family == IpFamily.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6,
        protocol);
  }

  private static RawIpSocket configured(RawIpSocket socket, String iface, int index)
      throws IOException {
    boolean ipv6 = socket.isIpv6();
    socket.bindToDevice(iface);
    socket.setOption(RawSocketOption.MULTICAST_INTERFACE, index);
    socket.setOption(RawSocketOption.MULTICAST_LOOP, false);
    socket.setOption(RawSocketOption.MULTICAST_HOPS, TTL);
    socket.setOption(RawSocketOption.UNICAST_HOPS, TTL);
    socket.setOption(RawSocketOption.RECEIVE_PACKET_INFO, true);
    // A flood that outruns the loop is counted, not lost silently.
    socket.reportReceiveQueueDrops();
    // Network control, as keepalived marks VRRP (over IPv4 the header we build carries it).
    socket.setOption(RawSocketOption.TRAFFIC_CLASS, NETWORK_CONTROL);
    if (ipv6) {
      socket.setOption(RawSocketOption.RECEIVE_HOP_LIMIT, true);
    }
    socket.joinGroup((ipv6 ? IpFamily.IPV6 : IpFamily.IPV4).advertGroup(), index);
    return socket;
  }

  @Override
  public void addAddress(String iface, InetAddress address, int prefixLength) throws IOException {
    rtnl.addAddress(spec(iface, address, prefixLength));
  }

  @Override
  public void removeAddress(String iface, InetAddress address, int prefixLength)
      throws IOException {
    rtnl.deleteAddress(spec(iface, address, prefixLength));
  }

  private AddressSpec spec(String iface, InetAddress address, int prefixLength) throws IOException {
    AddressSpec.Builder spec =
        AddressSpec.builder(address, link(iface).index()).prefixLength(prefixLength);
    if (address instanceof Inet6Address) {
      // A virtual address must work at once: duplicate detection would hold it tentative.
      spec.flag(AddressFlag.NODAD);
    }
    return spec.build();
  }

  @Override
  public void announce(String iface, InetAddress address, byte[] mac) throws IOException {
    PacketSocket socket = announcer(link(iface).index());
    if (address instanceof Inet4Address v4) {
      socket.sendGratuitousArp(MacAddress.of(mac), v4, ArpOperation.REQUEST);
    } else {
      socket.sendUnsolicitedNeighborAdvertisement(
          MacAddress.of(mac), (Inet6Address) address, isForwarding(iface));
    }
  }

  private PacketSocket announcer(int index) throws IOException {
    PacketSocket socket = packetSockets.get(index);
    if (socket == null) {
      socket = PacketSocket.open(index);
      packetSockets.put(index, socket);
    }
    return socket;
  }

  /**
   * keepalived sets the NA router flag when the interface forwards IPv6. Read from /proc at most
   * once a second per interface: a mass takeover sends thousands of NAs at once, and three file
   * system calls each were a noticeable part of it.
   */
  private boolean isForwarding(String iface) {
    long now = System.nanoTime();
    Forwarding known = forwarding.get(iface);
    if (known != null && now - known.readAt() < FORWARDING_RECHECK_NANOS) {
      return known.enabled();
    }
    boolean enabled;
    try {
      enabled =
          Files.readString(Path.of("/proc/sys/net/ipv6/conf", iface, "forwarding"))
              .strip()
              .equals("1");
    } catch (IOException e) {
      enabled = false;
    }
    forwarding.put(iface, new Forwarding(enabled, now));
    return enabled;
  }

  /** An interface's IPv6 forwarding setting and when it was read. */
  private record Forwarding(boolean enabled, long readAt) {}

  @Override
  public InterfaceState createVirtualMac(String name, String parent, byte[] mac)
      throws IOException {
    deleteVirtualMac(name);
    // The kernel's answer, not the monitor's table: a macvlan left by a crash just went away.
    return state(
        rtnl.createMacvlan(
            MacvlanSpec.builder(name, link(parent).index(), MacAddress.of(mac))
                .mode(MacvlanMode.PRIVATE)
                .up(true)
                .build()));
  }

  @Override
  public void deleteVirtualMac(String name) throws IOException {
    Optional<LinkInfo> existing = rtnl.link(name);
    if (existing.isPresent()) {
      PacketSocket announcer = packetSockets.remove(existing.get().index());
      if (announcer != null) {
        announcer.close();
      }
      rtnl.deleteLink(existing.get().index());
    }
  }

  /**
   * Every caller shares one link monitor (one netlink socket and one table of links): the first
   * watch opens it, the last one closed closes it, and each event reaches every listener.
   */
  @Override
  public Closeable watchLinks(LinkStateListener listener) throws IOException {
    if (monitor == null) {
      monitor =
          LinkMonitor.open(
              loop,
              event -> {
                if (event instanceof LinkEvent.Changed changed) {
                  followRecreated(changed.current());
                  tellLinks(changed.current().name(), usable(changed.current()));
                } else if (event instanceof LinkEvent.Removed removed) {
                  PacketSocket announcer = packetSockets.remove(removed.last().index());
                  if (announcer != null) {
                    announcer.close();
                  }
                  tellLinks(removed.last().name(), false);
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

  /** As {@link #watchLinks}: one address monitor, shared by every listener. */
  @Override
  public Closeable watchAddresses(AddressListener listener) throws IOException {
    if (addressMonitor == null) {
      addressMonitor =
          AddressMonitor.open(
              loop,
              removed -> {
                String name = linkName(removed.ifindex());
                if (name != null) {
                  for (AddressListener l : addressListeners) {
                    l.addressRemoved(name, removed.address(), removed.prefixLength());
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

  /** The name of link {@code index}, from the monitor's table or the kernel; null if gone. */
  private String linkName(int index) {
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
   * An interface deleted and created again keeps its name but gets a new index and MAC: sockets
   * bound to the old one would fail every send with ENODEV, so they are opened again on the new
   * one, keeping every claim (keepalived rebinds the same way).
   */
  private void followRecreated(LinkInfo link) {
    Integer opened = socketIndex.get(link.name());
    if (opened == null || opened == link.index()) {
      return;
    }
    try {
      channels.reopen(link.name());
      log.info(
          "{} was created again (index {} -> {}); advert sockets rebound",
          link.name(),
          opened,
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
    packetSockets.values().forEach(PacketSocket::close);
    packetSockets.clear();
    rtnl.close();
    checks.shutdownNow();
    if (ownsLoop) {
      loop.close();
    }
  }

  /** The raw sockets of one interface and family. */
  private static final class RawSockets implements AdvertSocket {
    private final String iface;
    private final RawIpSocket sender;
    private final RawIpSocket boundSender;
    private final int ifindex;
    private final List<RawIpSocket> sockets;
    private final DropCounters<AdvertDropReason> drops;

    /** Per socket, the kernel's running total of queue drops as last counted. */
    private final long[] kernelDropsSeen;

    private final List<IpDestination> destinations = new ArrayList<>();

    /** Per destination: the bound sender for multicast (when there is one), else the plain one. */
    private final List<RawIpSocket> senders = new ArrayList<>();

    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
    private final ReceivedDatagram datagram = new ReceivedDatagram();
    private final RateLimitedLog refusals = new RateLimitedLog(REFUSAL_LOG_INTERVAL_NANOS);
    private int receiveBufferAsked = MIN_RECEIVE_BUFFER;
    private int readsPerWakeup = MIN_READS_PER_WAKEUP;

    RawSockets(
        String iface,
        RawIpSocket sender,
        RawIpSocket boundSender,
        int ifindex,
        List<RawIpSocket> sockets,
        DropCounters<AdvertDropReason> drops) {
      this.iface = iface;
      this.sender = sender;
      this.boundSender = boundSender;
      this.ifindex = ifindex;
      this.sockets = sockets;
      this.drops = drops;
      this.kernelDropsSeen = new long[sockets.size()];
    }

    @Override
    public int addDestination(InetAddress destination) {
      destinations.add(IpDestination.of(destination, ifindex));
      // A unicast peer keeps the kernel's choice of source, as before.
      senders.add(boundSender != null && destination.isMulticastAddress() ? boundSender : sender);
      return destinations.size() - 1;
    }

    @Override
    public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
      packet.limit(offset + length).position(offset);
      IpDestination to = destinations.get(destination);
      try {
        RawIpSocket via = senders.get(destination);
        if (via != sender) {
          try {
            return via.send(packet, to) > 0 ? SendOutcome.SENT : SendOutcome.BUFFER_FULL;
          } catch (IOException e) {
            // The link-local address it is bound to went away: let the kernel choose, as before.
            packet.limit(offset + length).position(offset);
          }
        }
        return sender.send(packet, to) > 0 ? SendOutcome.SENT : SendOutcome.BUFFER_FULL;
      } catch (IOException e) {
        if (refusals.permit(System.nanoTime())) {
          log.warn(
              "advert not sent on {} ({} refused since the last report): {}",
              iface,
              refusals.suppressedAndReset() + 1,
              e.getMessage());
        }
        return SendOutcome.REFUSED;
      } finally {
        packet.clear();
      }
    }

    /**
     * Reads up to one advert per owner per wake-up, and grows every socket's receive buffer,
     * doubling, once the owners need more than it holds: as root with SO_RCVBUFFORCE, past
     * net.core.rmem_max; without CAP_NET_ADMIN the kernel caps it.
     */
    @Override
    public void claimed(int claims) {
      readsPerWakeup = Math.max(MIN_READS_PER_WAKEUP, claims);
      long wanted = Math.min((long) claims * RECEIVE_BYTES_PER_CLAIM, MAX_RECEIVE_BUFFER);
      if (wanted <= receiveBufferAsked) {
        return;
      }
      while (receiveBufferAsked < wanted) {
        receiveBufferAsked *= 2;
      }
      for (RawIpSocket s : sockets) {
        try {
          s.setReceiveBufferSize(receiveBufferAsked);
        } catch (IOException e) {
          log.warn(
              "cannot grow the receive buffer of {} to {} bytes for {} instances: {}",
              iface,
              receiveBufferAsked,
              claims,
              e.getMessage());
        }
      }
    }

    void drain(RawIpSocket socket, AdvertSink sink) throws IOException {
      try {
        for (int reads = 0; reads < readsPerWakeup; reads++) {
          receiveBuffer.clear();
          if (!socket.receive(receiveBuffer, datagram)) {
            return;
          }
          sink.received(datagram);
        }
      } finally {
        countKernelDrops(socket);
      }
    }

    /** Adds what the kernel dropped from this socket's full queue since the last look. */
    private void countKernelDrops(RawIpSocket socket) {
      int i = sockets.indexOf(socket);
      long total = socket.receiveQueueDrops();
      if (i >= 0 && total != kernelDropsSeen[i]) {
        // A running 32-bit total: the difference modulo 2^32 is what was lost since.
        drops.add(
            AdvertDropReason.RECEIVE_QUEUE_OVERFLOW, (total - kernelDropsSeen[i]) & 0xFFFFFFFFL);
        kernelDropsSeen[i] = total;
      }
    }

    @Override
    public void close() {
      sockets.forEach(RawIpSocket::close);
      if (boundSender != null) {
        boundSender.close();
      }
    }
  }
}
