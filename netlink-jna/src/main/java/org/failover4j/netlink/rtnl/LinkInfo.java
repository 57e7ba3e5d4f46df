package org.failover4j.netlink.rtnl;

import java.util.Objects;
import org.failover4j.netlink.MacAddress;

/**
 * A network interface as rtnetlink reports it.
 *
 * @param index the interface index
 * @param name the interface name, such as {@code eth0}
 * @param mac the hardware address, or null when the link has none of 6 bytes (tunnels)
 * @param mtu the MTU in bytes
 * @param flags the {@code IFF_*} flags (see the constants)
 * @param operState the operational state
 * @param kind the link type from {@code IFLA_INFO_KIND} ({@code macvlan}, {@code veth}, ...), or
 *     null for links without one (physical and loopback)
 * @param parentIndex {@code IFLA_LINK}: the lower device (a macvlan's parent, a veth's peer, which
 *     may live in another namespace), or 0
 */
public record LinkInfo(
    int index,
    String name,
    MacAddress mac,
    int mtu,
    int flags,
    OperState operState,
    String kind,
    int parentIndex) {

  /** {@code IFF_UP}: administratively up. */
  public static final int IFF_UP = 0x1;

  /** {@code IFF_BROADCAST}. */
  public static final int IFF_BROADCAST = 0x2;

  /** {@code IFF_LOOPBACK}. */
  public static final int IFF_LOOPBACK = 0x8;

  /** {@code IFF_POINTOPOINT}. */
  public static final int IFF_POINTOPOINT = 0x10;

  /** {@code IFF_RUNNING}: operationally up (RFC 2863 UP). */
  public static final int IFF_RUNNING = 0x40;

  /** {@code IFF_NOARP}: the link does not use ARP. */
  public static final int IFF_NOARP = 0x80;

  /** {@code IFF_PROMISC}. */
  public static final int IFF_PROMISC = 0x100;

  /** {@code IFF_MULTICAST}. */
  public static final int IFF_MULTICAST = 0x1000;

  /** {@code IFF_LOWER_UP}: the driver signals carrier. */
  public static final int IFF_LOWER_UP = 0x10000;

  /** {@code IFF_DORMANT}. */
  public static final int IFF_DORMANT = 0x20000;

  /**
   * Checks the name and the state.
   *
   * @param index the interface index
   * @param name the interface name, such as {@code eth0}
   * @param mac the hardware address, or null when the link has none of 6 bytes (tunnels)
   * @param mtu the MTU in bytes
   * @param flags the {@code IFF_*} flags (see the constants)
   * @param operState the operational state
   * @param kind the link type from {@code IFLA_INFO_KIND} ({@code macvlan}, {@code veth}, ...), or
   *     null for links without one (physical and loopback)
   * @param parentIndex {@code IFLA_LINK}: the lower device (a macvlan's parent, a veth's peer,
   *     which may live in another namespace), or 0
   */
  public LinkInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(operState, "operState");
  }

  /**
   * Administratively up ({@code ip link set up}).
   *
   * @return true when up
   */
  public boolean isUp() {
    return (flags & IFF_UP) != 0;
  }

  /**
   * Has carrier ({@code LOWER_UP}).
   *
   * @return true with carrier
   */
  public boolean hasCarrier() {
    return (flags & IFF_LOWER_UP) != 0;
  }

  /**
   * Operationally up: able to pass packets ({@code RUNNING}).
   *
   * @return true when running
   */
  public boolean isRunning() {
    return (flags & IFF_RUNNING) != 0;
  }

  /** {@return the loopback interface} */
  public boolean isLoopback() {
    return (flags & IFF_LOOPBACK) != 0;
  }

  /**
   * {@return true when every bit of {@code flag} is set}
   *
   * @param flag the IFF_* bits
   */
  public boolean hasFlags(int flag) {
    return (flags & flag) == flag;
  }
}
