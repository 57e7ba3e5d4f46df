package org.failover4j.api.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.DropCounters;

/**
 * The sharing every {@link Platform} does the same way: one {@link AdvertSocket} per interface and
 * family, opened on the first claim and closed with the last, and a demultiplexer that hands each
 * datagram to the one VRRP instance or CARP host that owns it. Send failures and unclaimed
 * datagrams are counted here, per platform. Use on the event loop.
 */
public final class AdvertChannels {

  private final AdvertSocket.Opener opener;
  private final Map<String, Shared> sockets = new HashMap<>();
  private final DropCounters<AdvertDropReason> drops = new DropCounters<>(AdvertDropReason.class);

  /**
   * Sharing over the sockets {@code opener} opens.
   *
   * @param opener opens the socket of an interface and family
   */
  public AdvertChannels(AdvertSocket.Opener opener) {
    this.opener = opener;
  }

  /**
   * Claims {@code owner}'s adverts on {@code iface} for {@code family}, opening the socket if this
   * is the first claim there.
   *
   * @param iface the interface name
   * @param family IPv4 or IPv6
   * @param owner the VRRP instance or CARP host whose adverts these are
   * @param sink where the owner's datagrams go, on the event loop
   * @return the owner's channel; closing it releases the claim (and the socket with the last one)
   * @throws IllegalStateException when {@code owner} is already claimed there
   * @throws IOException when a socket cannot be opened
   */
  public AdvertChannel open(String iface, IpFamily family, AdvertOwner owner, AdvertSink sink)
      throws IOException {
    String key = key(iface, family);
    Shared shared = sockets.get(key);
    if (shared == null) {
      AdvertDemux demux = new AdvertDemux(drops);
      shared = new Shared(key, iface, family, demux, opener.open(iface, family, demux));
      sockets.put(key, shared);
    }
    shared.demux.claim(owner, sink);
    shared.socket.claimed(++shared.claims);
    return new Claim(shared, owner);
  }

  /**
   * Opens the sockets of {@code iface} again, keeping every claim and destination: the interface
   * was deleted and created again under the same name (a new index, a new MAC), and sockets bound
   * to the old one would fail every send. Does nothing for an interface without sockets.
   *
   * @param iface the interface name
   * @throws IOException when a socket cannot be opened
   */
  public void reopen(String iface) throws IOException {
    for (Shared shared : sockets.values()) {
      if (shared.iface.equals(iface)) {
        AdvertSocket fresh = opener.open(iface, shared.family, shared.demux);
        try {
          for (Route route : shared.destinations.keySet()) {
            fresh.addDestination(route.destination(), route.source());
          }
        } catch (IOException | RuntimeException e) {
          fresh.close();
          throw e;
        }
        shared.socket.close();
        shared.socket = fresh;
        fresh.claimed(shared.claims);
      }
    }
  }

  /** {@return the interfaces and families that have a socket open now, as {@code iface/family}} */
  public List<String> openSockets() {
    return new ArrayList<>(sockets.keySet());
  }

  /**
   * Counters of what the shared sockets dropped, or could not send, per reason.
   *
   * @return the counters, live
   */
  public DropCounters<AdvertDropReason> drops() {
    return drops;
  }

  /** Closes every socket, claimed or not (the platform is closing). */
  public void closeAll() {
    sockets.values().forEach(s -> s.socket.close());
    sockets.clear();
  }

  private static String key(String iface, IpFamily family) {
    return iface + "/" + family;
  }

  /** A destination and the source its adverts go from (null: the interface's link-local). */
  private record Route(InetAddress destination, InetAddress source) {}

  /** One interface and family's socket, its demultiplexer and the destinations registered. */
  private static final class Shared {
    final String key;
    final String iface;
    final IpFamily family;
    final AdvertDemux demux;

    /** Each distinct route once, in registration order (its index on the socket). */
    final Map<Route, Integer> destinations = new LinkedHashMap<>();

    AdvertSocket socket;

    /** Claims made on it (never decremented: buffers only grow). */
    int claims;

    Shared(String key, String iface, IpFamily family, AdvertDemux demux, AdvertSocket socket) {
      this.key = key;
      this.iface = iface;
      this.family = family;
      this.demux = demux;
      this.socket = socket;
    }
  }

  /** One owner's claim. */
  private final class Claim implements AdvertChannel {
    private final Shared shared;
    private final AdvertOwner owner;
    private boolean closed;

    Claim(Shared shared, AdvertOwner owner) {
      this.shared = shared;
      this.owner = owner;
    }

    @Override
    public AdvertOwner owner() {
      return owner;
    }

    @Override
    public int addDestination(InetAddress destination, InetAddress source) throws IOException {
      // Every instance sends to the same group: register it once, whatever comes and goes.
      Route route = new Route(destination, source);
      Integer known = shared.destinations.get(route);
      if (known != null) {
        return known;
      }
      int index = shared.socket.addDestination(destination, source);
      shared.destinations.put(route, index);
      return index;
    }

    @Override
    public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
      if (closed) {
        return SendOutcome.REFUSED;
      }
      SendOutcome outcome = shared.socket.send(packet, offset, length, destination);
      if (outcome == SendOutcome.BUFFER_FULL) {
        drops.increment(AdvertDropReason.SEND_BUFFER_FULL);
      } else if (outcome == SendOutcome.REFUSED) {
        drops.increment(AdvertDropReason.SEND_REFUSED);
      } else if (outcome == SendOutcome.SOURCE_UNAVAILABLE) {
        drops.increment(AdvertDropReason.SOURCE_UNAVAILABLE);
      }
      return outcome;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (shared.demux.release(owner) && sockets.get(shared.key) == shared) {
        sockets.remove(shared.key);
        shared.socket.close();
      }
    }

    @Override
    public String toString() {
      return owner + " on " + shared.key;
    }
  }
}
