package org.failover4j.carp.interop;

import java.net.StandardProtocolFamily;
import org.failover4j.api.IpProtocol;
import org.failover4j.lab.Host;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.RawSocketOption;

/** Raw sockets for the interop tests' own senders. */
final class RawSockets {

  private RawSockets() {}

  /**
   * A protocol-112 socket opened inside {@code host}'s namespace that sends whole IPv4 datagrams
   * (header included, so any source address goes out as written) to multicast groups on its
   * interface on {@code lan}.
   */
  static RawIpSocket headerIncluded(Host host, Lan lan) throws Exception {
    int ifindex = host.ifindex(host.iface(lan));
    return host.call(
        () -> {
          RawIpSocket s = RawIpSocket.open(StandardProtocolFamily.INET, IpProtocol.VRRP);
          s.setOption(RawSocketOption.HEADER_INCLUDED, true);
          s.setOption(RawSocketOption.MULTICAST_INTERFACE, ifindex);
          return s;
        });
  }
}
