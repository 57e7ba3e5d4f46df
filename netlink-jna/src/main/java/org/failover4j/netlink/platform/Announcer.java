package org.failover4j.netlink.platform;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.failover4j.netlink.ArpOperation;
import org.failover4j.netlink.MacAddress;
import org.failover4j.netlink.PacketSocket;

/**
 * Tells the LAN where a virtual address now lives: a gratuitous ARP for IPv4, an unsolicited
 * neighbour advertisement for IPv6, through one packet socket per interface index. Use on the event
 * loop.
 */
final class Announcer {

  private static final long FORWARDING_RECHECK_NANOS = 1_000_000_000L;

  private final Map<Integer, PacketSocket> packetSockets = new HashMap<>();

  /** The IPv6 forwarding setting of each interface that announced, as last read. */
  private final Map<String, Forwarding> forwarding = new HashMap<>();

  /** Announces {@code address} at {@code mac} on {@code iface}, whose index is {@code index}. */
  void announce(String iface, int index, InetAddress address, byte[] mac) throws IOException {
    PacketSocket socket = open(index);
    if (address instanceof Inet4Address v4) {
      socket.sendGratuitousArp(MacAddress.of(mac), v4, ArpOperation.REQUEST);
    } else {
      socket.sendUnsolicitedNeighborAdvertisement(
          MacAddress.of(mac), (Inet6Address) address, isForwarding(iface));
    }
  }

  /**
   * Opens the packet socket of link {@code index} if it is not open yet: the advert sockets open it
   * with theirs, so that the first takeover's announcements do not wait for a socket.
   */
  PacketSocket open(int index) throws IOException {
    PacketSocket socket = packetSockets.get(index);
    if (socket == null) {
      socket = PacketSocket.open(index);
      packetSockets.put(index, socket);
    }
    return socket;
  }

  /** Closes the packet socket of link {@code index}, which went away, if one is open. */
  void forget(int index) {
    PacketSocket socket = packetSockets.remove(index);
    if (socket != null) {
      socket.close();
    }
  }

  /** Closes every packet socket. */
  void close() {
    packetSockets.values().forEach(PacketSocket::close);
    packetSockets.clear();
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
}
