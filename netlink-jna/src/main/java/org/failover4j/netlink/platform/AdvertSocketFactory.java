package org.failover4j.netlink.platform;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.failover4j.api.DropCounters;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.AdvertSocket;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.netlink.AddressNotAvailableException;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.RawSocketOption;
import org.failover4j.netlink.rtnl.LinkInfo;

/**
 * Opens the raw advert sockets of an interface and family, configured as keepalived configures
 * them: protocol 112 (and 51 for AH over IPv4) bound to the interface, joined to the advert group,
 * TTL / hop limit 255, marked network control, registered with the event loop; over IPv6 also a
 * send-only socket bound to the link-local address, and one bound to each fixed source of unicast
 * adverts when first sent from. Remembers the index each interface had when its sockets were
 * opened, so that a link created again can be noticed. Use on the event loop.
 */
final class AdvertSocketFactory {

  private static final int TTL = 255;
  private static final int NETWORK_CONTROL = 0xc0;

  private final PollEventLoop loop;
  private final LinkWatcher links;
  private final Announcer announcer;
  private final TurnBatch batch;

  /** The index each interface with advert sockets had when they were opened. */
  private final Map<String, Integer> socketIndex = new HashMap<>();

  AdvertSocketFactory(PollEventLoop loop, LinkWatcher links, Announcer announcer, TurnBatch batch) {
    this.loop = loop;
    this.links = links;
    this.announcer = announcer;
    this.batch = batch;
  }

  /**
   * Opens the sockets of {@code iface} for {@code family}, delivering to {@code sink} and counting
   * in {@code drops}.
   */
  AdvertSocket open(
      String iface, IpFamily family, AdvertSink sink, DropCounters<AdvertDropReason> drops)
      throws IOException {
    LinkInfo link = links.link(iface);
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
        Inet6Address linkLocal = links.state(link).ipv6LinkLocal();
        if (linkLocal != null) {
          boundSender = linkLocalSender(iface, index, linkLocal);
        }
      }
      RawSockets channel =
          new RawSockets(
              iface,
              advertSocket,
              boundSender,
              index,
              sockets,
              drops,
              batch,
              source -> boundSender(iface, index, source));
      // Opened now, not at the first takeover: the gratuitous ARPs must not wait for a socket.
      announcer.open(index);
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
   * The index {@code link}'s name had when its advert sockets were opened, when that differs from
   * its index now: it was deleted and created again, and the sockets are bound to the old one.
   * Empty when they are bound to this link, or when it has no advert sockets.
   */
  OptionalInt staleIndex(LinkInfo link) {
    Integer opened = socketIndex.get(link.name());
    return opened == null || opened == link.index() ? OptionalInt.empty() : OptionalInt.of(opened);
  }

  /**
   * A send-only IPv6 socket bound to {@code source}: the interface's link-local address, the source
   * RFC 5798 wants for multicast adverts, or a unicast advert's fixed source. Unbound, the kernel
   * chooses the source for every send by walking all the interface's addresses, a master's virtual
   * addresses included: with 250 of them that walk was half of a master's CPU, and the newest
   * address of the peer's prefix (a virtual one) won, under the VRRPv3 checksum computed over
   * another. (keepalived names its source in every send, IPV6_PKTINFO, to the same end.)
   */
  private static RawIpSocket boundSender(String iface, int index, InetAddress source)
      throws IOException {
    RawIpSocket socket = open(IpFamily.IPV6, IpProtocol.VRRP);
    try {
      sendsOn(socket, iface, index);
      socket.setOption(RawSocketOption.TRAFFIC_CLASS, NETWORK_CONTROL);
      // The codecs write their own checksums (see the shared socket above).
      socket.setOption(RawSocketOption.CHECKSUM_OFFSET, -1);
      socket.bind(source, index);
      socket.setOption(RawSocketOption.RECEIVE_ALL_MULTICAST, false);
      socket.dropEverythingReceived();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * {@link #boundSender} for the link-local source, or null while that address is tentative: the
   * kernel adds a new interface's link-local address (a macvlan's, just created for a virtual MAC)
   * as tentative and clears the flag from a work queue, even without duplicate address detection,
   * so under load the bind comes first. The plain sender then sends, the kernel choosing the
   * link-local source, as it does for a datagram the bound sender refuses; a macvlan has too few
   * addresses for that choice to cost much.
   */
  private static RawIpSocket linkLocalSender(String iface, int index, Inet6Address linkLocal)
      throws IOException {
    try {
      return boundSender(iface, index, linkLocal);
    } catch (AddressNotAvailableException e) {
      return null;
    }
  }

  private static RawIpSocket open(IpFamily family, int protocol) throws IOException {
    return RawIpSocket.open(
        family == IpFamily.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6,
        protocol);
  }

  /**
   * Binds {@code socket} to the interface and sends its multicast there, not looped back, with TTL
   * / hop limit 255 (RFC 5798 drops anything less).
   */
  private static void sendsOn(RawIpSocket socket, String iface, int index) throws IOException {
    socket.bindToDevice(iface);
    socket.setOption(RawSocketOption.MULTICAST_INTERFACE, index);
    socket.setOption(RawSocketOption.MULTICAST_LOOP, false);
    socket.setOption(RawSocketOption.MULTICAST_HOPS, TTL);
    socket.setOption(RawSocketOption.UNICAST_HOPS, TTL);
  }

  private static RawIpSocket configured(RawIpSocket socket, String iface, int index)
      throws IOException {
    boolean ipv6 = socket.isIpv6();
    sendsOn(socket, iface, index);
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
}
