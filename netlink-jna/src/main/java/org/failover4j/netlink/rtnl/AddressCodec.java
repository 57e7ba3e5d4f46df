package org.failover4j.netlink.rtnl;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkAttributes;
import org.failover4j.netlink.NetlinkDropReason;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.NetlinkMessageWriter;

/**
 * Encodes address requests and decodes {@code RTM_NEWADDR} / {@code RTM_DELADDR} into {@link
 * AddressInfo}.
 */
final class AddressCodec {

  private final NetlinkAttributes attributes = new NetlinkAttributes();

  /** Writes {@code RTM_GETADDR} for every address of every family (send as a dump). */
  static void writeDump(NetlinkMessageWriter writer) {
    writer.begin(Rtnl.RTM_GETADDR, 0).putU8(Rtnl.AF_UNSPEC).putZeros(3).putS32(0).end();
  }

  /**
   * Writes {@code RTM_NEWADDR} (create, fail if present) or {@code RTM_DELADDR} for {@code spec},
   * byte for byte as {@code ip addr add/del} does: the address as both {@code IFA_LOCAL} and {@code
   * IFA_ADDRESS}, the label between them, flags above 8 bits in {@code IFA_FLAGS}.
   */
  static void writeChange(NetlinkMessageWriter writer, AddressSpec spec, boolean add) {
    byte[] address = spec.address().getAddress();
    int flags = add ? AddressFlag.toBits(spec.flags()) : 0;
    writer
        .begin(
            add ? Rtnl.RTM_NEWADDR : Rtnl.RTM_DELADDR,
            add ? Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL : 0)
        .putU8(spec.isIpv6() ? Rtnl.AF_INET6 : Rtnl.AF_INET)
        .putU8(spec.prefixLength())
        .putU8(flags & 0xff)
        .putU8(spec.scope().value())
        .putS32(spec.ifindex())
        .attributeBytes(Rtnl.IFA_LOCAL, address);
    if (add && spec.label() != null) {
      writer.attributeString(Rtnl.IFA_LABEL, spec.label());
    }
    writer.attributeBytes(Rtnl.IFA_ADDRESS, address);
    if (flags > 0xff) {
      writer.attributeS32(Rtnl.IFA_FLAGS, flags);
    }
    writer.end();
  }

  /**
   * Decodes an address message; null for a family other than IPv4 and IPv6.
   *
   * @throws MalformedPacketException when the message is cut short, an attribute is malformed, or
   *     the address is missing
   */
  AddressInfo decode(NetlinkMessage message) {
    int family = message.u8(Rtnl.IFADDRMSG_FAMILY);
    int prefixLength = message.u8(Rtnl.IFADDRMSG_PREFIXLEN);
    int flags = message.u8(Rtnl.IFADDRMSG_FLAGS);
    int scope = message.u8(Rtnl.IFADDRMSG_SCOPE);
    int index = message.s32(Rtnl.IFADDRMSG_INDEX);
    int addressLength;
    if (family == Rtnl.AF_INET) {
      addressLength = 4;
    } else if (family == Rtnl.AF_INET6) {
      addressLength = 16;
    } else {
      return null;
    }
    byte[] local = null;
    byte[] address = null;
    String label = null;
    NetlinkAttributes attrs = message.attributes(Rtnl.IFADDRMSG_LENGTH, attributes);
    while (attrs.next()) {
      switch (attrs.type()) {
        case Rtnl.IFA_LOCAL -> local = value(attrs, addressLength);
        case Rtnl.IFA_ADDRESS -> address = value(attrs, addressLength);
        case Rtnl.IFA_LABEL -> label = attrs.string();
        case Rtnl.IFA_FLAGS -> flags = attrs.s32();
        default -> {
          // Cache info, broadcast, protocol: not part of AddressInfo.
        }
      }
    }
    // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
    byte[] own = local != null ? local : address;
    if (own == null) {
      throw new MalformedPacketException(
          NetlinkDropReason.MISSING_ATTRIBUTE,
          "address on ifindex " + index + " without IFA_ADDRESS");
    }
    if (prefixLength > addressLength * 8) {
      throw new MalformedPacketException(
          NetlinkDropReason.BAD_ATTRIBUTE_VALUE,
          "prefix length " + prefixLength + " for a " + addressLength + "-byte address");
    }
    return new AddressInfo(
        index, inet(own), prefixLength, AddressFlag.fromBits(flags), scope, label);
  }

  private static byte[] value(NetlinkAttributes attrs, int length) {
    byte[] bytes = new byte[length];
    attrs.copyValue(bytes, 0, length);
    return bytes;
  }

  private static InetAddress inet(byte[] bytes) {
    try {
      // Inet6Address keeps an IPv4-mapped IPv6 address (::ffff:a.b.c.d) an IPv6 address.
      return bytes.length == 16
          ? Inet6Address.getByAddress(null, bytes, -1)
          : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // impossible: 4 or 16 bytes
    }
  }
}
