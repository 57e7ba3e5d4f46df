package org.failover4j.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;

/** Builds native {@code sockaddr_in} / {@code sockaddr_in6} structs. */
final class SocketAddresses {

  private SocketAddresses() {}

  /** A new native {@code sockaddr_in(6)} for {@code address} and port 0. */
  static ByteBuffer ip(InetAddress address, int scopeIfindex) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      ByteBuffer sa = LibC.allocate(LibC.SOCKADDR_IN6_SIZE);
      ByteAccess.putHost16(sa, 0, LibC.AF_INET6);
      sa.put(LibC.SOCKADDR_IN6_ADDR, bytes);
      ByteAccess.putHost32(sa, LibC.SOCKADDR_IN6_SCOPE_ID, scopeIfindex);
      return sa;
    }
    ByteBuffer sa = LibC.allocate(LibC.SOCKADDR_IN_SIZE);
    ByteAccess.putHost16(sa, 0, LibC.AF_INET);
    sa.put(LibC.SOCKADDR_IN_ADDR, bytes);
    return sa;
  }
}
