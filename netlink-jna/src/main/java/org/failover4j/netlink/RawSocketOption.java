package org.failover4j.netlink;

import java.util.function.Consumer;

/**
 * A typed option of a {@link RawIpSocket}, set with {@link RawIpSocket#setOption}: one setter for
 * every option, which picks the IPv4 or IPv6 form itself (as jnr-unixsocket and the JDK's {@code
 * SocketOption} do) instead of a setter per option that branches on the family.
 *
 * <pre>{@code
 * socket.setOption(RawSocketOption.MULTICAST_HOPS, 255);
 * socket.setOption(RawSocketOption.MULTICAST_LOOP, false);
 * }</pre>
 *
 * @param <T> the value's type: {@link Integer} or {@link Boolean}
 */
public final class RawSocketOption<T> {

  /** Marks an option one family does not have. */
  private static final int NONE = -1;

  /**
   * IPv6 only: whether the socket also receives multicast for groups it has not joined (the
   * kernel's default, {@code IPV6_MULTICAST_ALL} 1). A socket bound to an address for sending turns
   * it off, or the kernel copies every advert to it only for its filter to drop.
   */
  public static final RawSocketOption<Boolean> RECEIVE_ALL_MULTICAST =
      new RawSocketOption<>(
          "RECEIVE_ALL_MULTICAST", Boolean.class, NONE, LibC.IPV6_MULTICAST_ALL, v -> {});

  /** The TTL / hop limit of multicast packets (1..255; VRRP and CARP require 255). */
  public static final RawSocketOption<Integer> MULTICAST_HOPS =
      new RawSocketOption<>(
          "MULTICAST_HOPS",
          Integer.class,
          LibC.IP_MULTICAST_TTL,
          LibC.IPV6_MULTICAST_HOPS,
          RawSocketOption::checkHops);

  /** The TTL / hop limit of unicast packets (1..255). */
  public static final RawSocketOption<Integer> UNICAST_HOPS =
      new RawSocketOption<>(
          "UNICAST_HOPS",
          Integer.class,
          LibC.IP_TTL,
          LibC.IPV6_UNICAST_HOPS,
          RawSocketOption::checkHops);

  /**
   * The TOS byte (IPv4) or traffic class (IPv6) of packets the kernel builds (0..255); keepalived
   * sends VRRP with 0xc0 (network control).
   */
  public static final RawSocketOption<Integer> TRAFFIC_CLASS =
      new RawSocketOption<>(
          "TRAFFIC_CLASS",
          Integer.class,
          LibC.IP_TOS,
          LibC.IPV6_TCLASS,
          v -> check(v >= 0 && v <= 255, "traffic class must be in 0..255, was " + v));

  /** Whether this host's own multicast comes back to its sockets (off for VRRP and CARP). */
  public static final RawSocketOption<Boolean> MULTICAST_LOOP =
      new RawSocketOption<>(
          "MULTICAST_LOOP",
          Boolean.class,
          LibC.IP_MULTICAST_LOOP,
          LibC.IPV6_MULTICAST_LOOP,
          v -> {});

  /** The interface index multicast leaves through. */
  public static final RawSocketOption<Integer> MULTICAST_INTERFACE =
      new RawSocketOption<>(
          "MULTICAST_INTERFACE",
          Integer.class,
          LibC.IP_MULTICAST_IF,
          LibC.IPV6_MULTICAST_IF,
          v -> check(v >= 0, "interface index must be 0 or more, was " + v));

  /**
   * IPv4 only: sends take whole packets, IP header included ({@code IP_HDRINCL}), as VRRPv2 with
   * IPsec-AH needs. The kernel still fills in a zero checksum, ID and source.
   */
  public static final RawSocketOption<Boolean> HEADER_INCLUDED =
      new RawSocketOption<>("HEADER_INCLUDED", Boolean.class, LibC.IP_HDRINCL, NONE, v -> {});

  /**
   * IPv6 only: the kernel computes the upper-layer checksum (pseudo-header included) at this byte
   * offset of the payload when sending, and drops received packets whose checksum is wrong ({@code
   * IPV6_CHECKSUM}; VRRP and CARP use 6). -1 turns it off.
   */
  public static final RawSocketOption<Integer> CHECKSUM_OFFSET =
      new RawSocketOption<>(
          "CHECKSUM_OFFSET",
          Integer.class,
          NONE,
          LibC.IPV6_CHECKSUM,
          v -> check(v == -1 || (v >= 0 && v % 2 == 0), "must be even or -1, was " + v));

  /**
   * Reports the arrival interface and destination of each packet ({@code IP_PKTINFO} / {@code
   * IPV6_RECVPKTINFO}).
   */
  public static final RawSocketOption<Boolean> RECEIVE_PACKET_INFO =
      new RawSocketOption<>(
          "RECEIVE_PACKET_INFO", Boolean.class, LibC.IP_PKTINFO, LibC.IPV6_RECVPKTINFO, v -> {});

  /**
   * IPv6 only: reports each packet's hop limit ({@code IPV6_RECVHOPLIMIT}). IPv4 needs nothing: the
   * TTL is read from the IP header the kernel delivers.
   */
  public static final RawSocketOption<Boolean> RECEIVE_HOP_LIMIT =
      new RawSocketOption<>(
          "RECEIVE_HOP_LIMIT", Boolean.class, NONE, LibC.IPV6_RECVHOPLIMIT, v -> {});

  private final String name;
  private final Class<T> type;
  private final int ipv4Name;
  private final int ipv6Name;
  private final Consumer<T> check;

  private RawSocketOption(
      String name, Class<T> type, int ipv4Name, int ipv6Name, Consumer<T> check) {
    this.name = name;
    this.type = type;
    this.ipv4Name = ipv4Name;
    this.ipv6Name = ipv6Name;
    this.check = check;
  }

  /** {@return the option's name, such as {@code MULTICAST_HOPS}} */
  public String name() {
    return name;
  }

  /** {@return the type of its value} */
  public Class<T> type() {
    return type;
  }

  /** The level ({@code IPPROTO_IP} or {@code IPPROTO_IPV6}) for a socket of the family. */
  int level(boolean ipv6) {
    return ipv6 ? LibC.IPPROTO_IPV6 : LibC.IPPROTO_IP;
  }

  /**
   * The option number for a socket of the family.
   *
   * @throws UnsupportedOperationException when the family has no such option
   */
  int optionName(boolean ipv6) {
    int n = ipv6 ? ipv6Name : ipv4Name;
    if (n == NONE) {
      throw new UnsupportedOperationException(
          name + " applies to " + (ipv6 ? "IPv4" : "IPv6") + " sockets only");
    }
    return n;
  }

  /** Checks {@code value}; throws {@link IllegalArgumentException} naming the option when bad. */
  void check(T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    check.accept(value);
  }

  /** The value as the kernel's int. */
  int toInt(T value) {
    return value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
  }

  private static void checkHops(int hops) {
    check(hops >= 1 && hops <= 255, "hops must be in 1..255, was " + hops);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
