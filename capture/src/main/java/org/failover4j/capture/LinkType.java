package org.failover4j.capture;

import java.util.Optional;

/**
 * The link-layer header types (tcpdump.org LINKTYPE values) whose frames {@link IpPacket} can look
 * into. Other link types are read and returned as frames but carry no IP packet as far as this
 * package is concerned.
 */
public enum LinkType {
  /** IEEE 802.3 Ethernet, with any number of 802.1Q / 802.1ad VLAN tags. */
  ETHERNET(1),
  /** Raw IPv4 or IPv6, told apart by the version nibble. */
  RAW(101),
  /** Linux "cooked" capture v1 (the {@code any} device of older libpcap). */
  LINUX_SLL(113),
  /** Linux "cooked" capture v2. */
  LINUX_SLL2(276),
  /** Raw IPv4 only. */
  IPV4(228),
  /** Raw IPv6 only. */
  IPV6(229);

  /**
   * DLT_RAW as written by some tools instead of LINKTYPE_RAW (12 on most systems, 14 on OpenBSD).
   */
  private static final int DLT_RAW_12 = 12;

  private static final int DLT_RAW_14 = 14;

  private static final LinkType[] VALUES = values();

  private final int code;

  LinkType(int code) {
    this.code = code;
  }

  /** {@return the LINKTYPE value as it appears in capture files} */
  public int code() {
    return code;
  }

  /**
   * The link type with a LINKTYPE value.
   *
   * @param code a LINKTYPE value, as in a capture file
   * @return the link type, if it is one of these
   */
  public static Optional<LinkType> of(int code) {
    return Optional.ofNullable(find(code));
  }

  /** As {@link #of}, without allocating: null for an unknown code (per-frame use). */
  static LinkType find(int code) {
    if (code == DLT_RAW_12 || code == DLT_RAW_14) {
      return RAW;
    }
    for (LinkType type : VALUES) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }
}
