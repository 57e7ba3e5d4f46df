package org.failover4j.ipvs;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.Collections;
import org.failover4j.api.InvalidConfigurationException;

/**
 * Opens the UDP sockets of the sync protocol the way the kernel's {@code make_send_sock()} and
 * {@code make_receive_sock()} do. Sockets belong to the network namespace of the thread that opens
 * them.
 */
public final class SyncSockets {

  private SyncSockets() {}

  /**
   * {@return a blocking socket that sends to the group: multicast out of the configured interface,
   * with the configured TTL and loopback off, bound to the interface's IPv4 address when it has one
   * (IPv4 groups) and connected to the group and port}
   *
   * @param config the sync settings
   * @throws IOException when the socket cannot be opened, bound or joined
   */
  public static DatagramChannel openSender(SyncConfig config) throws IOException {
    NetworkInterface nif = requireInterface(config);
    DatagramChannel channel = DatagramChannel.open(family(config));
    try {
      channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
      channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, config.ttl());
      channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
      InetAddress source = config.ipv6() ? null : firstIpv4(nif);
      if (source != null) {
        channel.bind(new InetSocketAddress(source, 0));
      }
      channel.connect(new InetSocketAddress(scoped(config.group(), nif), config.port()));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * {@return a blocking socket bound to the group and port (so that it sees no other group's
   * traffic), with address reuse and the configured receive buffer, not yet joined: see {@link
   * #join}}
   *
   * @param config the sync settings
   * @throws IOException when the socket cannot be opened, bound or joined
   */
  public static DatagramChannel openReceiver(SyncConfig config) throws IOException {
    NetworkInterface nif = requireInterface(config);
    DatagramChannel channel = DatagramChannel.open(family(config));
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (config.receiveBufferSize() > 0) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferSize());
      }
      channel.bind(new InetSocketAddress(scoped(config.group(), nif), config.port()));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Joins the configured group on the configured interface.
   *
   * @param channel a receiver from {@link #openReceiver}
   * @param config the sync settings
   * @return the membership, to drop it
   * @throws IOException when the socket cannot be opened, bound or joined
   */
  public static MembershipKey join(DatagramChannel channel, SyncConfig config) throws IOException {
    return channel.join(config.group(), requireInterface(config));
  }

  private static ProtocolFamily family(SyncConfig config) {
    return config.ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
  }

  private static NetworkInterface requireInterface(SyncConfig config) {
    return InvalidConfigurationException.requirePresent(
        "networkInterface", config.networkInterface());
  }

  /** A link-scoped IPv6 group needs the interface as its scope to be bound or connected. */
  private static InetAddress scoped(InetAddress group, NetworkInterface nif) throws IOException {
    if (group instanceof Inet6Address) {
      return Inet6Address.getByAddress(null, group.getAddress(), nif.getIndex());
    }
    return group;
  }

  /** The address the kernel's bind_mcastif_addr() picks, or null: then it binds to none. */
  private static InetAddress firstIpv4(NetworkInterface nif) {
    for (InetAddress address : Collections.list(nif.getInetAddresses())) {
      if (address instanceof Inet4Address) {
        return address;
      }
    }
    return null;
  }
}
