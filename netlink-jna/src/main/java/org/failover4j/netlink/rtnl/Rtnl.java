package org.failover4j.netlink.rtnl;

/**
 * rtnetlink numbers ({@code include/uapi/linux/rtnetlink.h}, {@code if_link.h}, {@code if_addr.h})
 * and the two family headers this package reads and writes.
 *
 * <pre>
 * struct ifinfomsg (16 bytes)                    struct ifaddrmsg (8 bytes)
 * +--------+--------+----------------+           +--------+--------+--------+--------+
 * | family |  pad   |  type (u16)    |           | family | prefix | flags  | scope  |
 * +--------+--------+----------------+           +--------+--------+--------+--------+
 * |          index (s32)             |           |          index (u32)              |
 * +----------------------------------+           +-----------------------------------+
 * |          flags (u32, IFF_*)      |
 * +----------------------------------+
 * |          change (u32)            |
 * +----------------------------------+
 * </pre>
 */
final class Rtnl {

  private Rtnl() {}

  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;

  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_NEWADDR = 20;
  static final int RTM_DELADDR = 21;
  static final int RTM_GETADDR = 22;

  /** Bind mask of the link notification group. */
  static final int RTMGRP_LINK = 0x1;

  static final int RTMGRP_IPV4_IFADDR = 0x10;
  static final int RTMGRP_IPV6_IFADDR = 0x100;

  static final int IFINFOMSG_LENGTH = 16;
  static final int IFINFOMSG_FAMILY = 0;
  static final int IFINFOMSG_TYPE = 2;
  static final int IFINFOMSG_INDEX = 4;
  static final int IFINFOMSG_FLAGS = 8;
  static final int IFINFOMSG_CHANGE = 12;

  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_LINK = 5;
  static final int IFLA_OPERSTATE = 16;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_AF_SPEC = 26;
  static final int IFLA_INET6_ADDR_GEN_MODE = 8;
  static final int IN6_ADDR_GEN_MODE_NONE = 1;

  static final int IFLA_INFO_KIND = 1;
  static final int IFLA_INFO_DATA = 2;
  static final int IFLA_MACVLAN_MODE = 1;

  static final int IFADDRMSG_LENGTH = 8;
  static final int IFADDRMSG_FAMILY = 0;
  static final int IFADDRMSG_PREFIXLEN = 1;
  static final int IFADDRMSG_FLAGS = 2;
  static final int IFADDRMSG_SCOPE = 3;
  static final int IFADDRMSG_INDEX = 4;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_LABEL = 3;
  static final int IFA_FLAGS = 8;

  /** {@code IFNAMSIZ} less the terminating NUL. */
  static final int MAX_NAME_LENGTH = 15;
}
