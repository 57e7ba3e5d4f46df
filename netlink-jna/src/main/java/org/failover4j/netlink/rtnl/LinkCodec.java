package org.failover4j.netlink.rtnl;

import java.nio.charset.StandardCharsets;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.MacAddress;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkAttributes;
import org.failover4j.netlink.NetlinkDropReason;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.NetlinkMessageWriter;

/**
 * Encodes link requests and decodes {@code RTM_NEWLINK} / {@code RTM_DELLINK} into {@link
 * LinkInfo}.
 */
final class LinkCodec {

  private static final byte[] MACVLAN_KIND = "macvlan".getBytes(StandardCharsets.US_ASCII);

  private final NetlinkAttributes attributes = new NetlinkAttributes();
  private final NetlinkAttributes linkInfo = new NetlinkAttributes();

  /** Writes {@code RTM_GETLINK} for every link (send as a dump). */
  static void writeDump(NetlinkMessageWriter writer) {
    ifinfomsg(writer.begin(Rtnl.RTM_GETLINK, 0), 0, 0, 0).end();
  }

  /** Writes {@code RTM_GETLINK} for the link with index {@code index}. */
  static void writeGet(NetlinkMessageWriter writer, int index) {
    ifinfomsg(writer.begin(Rtnl.RTM_GETLINK, 0), index, 0, 0).end();
  }

  /** Writes {@code RTM_GETLINK} for the link named {@code name}. */
  static void writeGet(NetlinkMessageWriter writer, String name) {
    ifinfomsg(writer.begin(Rtnl.RTM_GETLINK, 0), 0, 0, 0)
        .attributeString(Rtnl.IFLA_IFNAME, name)
        .end();
  }

  /**
   * Writes {@code RTM_NEWLINK} that creates the macvlan {@code spec} describes, byte for byte as
   * {@code ip link add link <parent> name <name> address <mac> type macvlan mode <mode>} does (the
   * kind without a terminating NUL, nests without {@code NLA_F_NESTED}).
   */
  static void writeNewMacvlan(NetlinkMessageWriter writer, MacvlanSpec spec) {
    // With a link-local address of its own, it comes up only once the kernel was told not to
    // derive one from its MAC (RtNetlink.createMacvlan).
    int up = spec.up() && spec.linkLocal() == null ? LinkInfo.IFF_UP : 0;
    ifinfomsg(writer.begin(Rtnl.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL), 0, up, up);
    writer
        .attributeBytes(Rtnl.IFLA_ADDRESS, spec.mac().toBytes())
        .attributeS32(Rtnl.IFLA_LINK, spec.parentIndex())
        .attributeString(Rtnl.IFLA_IFNAME, spec.name());
    int info = writer.beginNested(Rtnl.IFLA_LINKINFO);
    writer.attributeBytes(Rtnl.IFLA_INFO_KIND, MACVLAN_KIND);
    int data = writer.beginNested(Rtnl.IFLA_INFO_DATA);
    writer.attributeS32(Rtnl.IFLA_MACVLAN_MODE, spec.mode().value());
    writer.endNested(data).endNested(info).end();
  }

  /**
   * Writes {@code RTM_NEWLINK} that stops the kernel from giving the link IPv6 addresses of its own
   * ({@code IN6_ADDR_GEN_MODE_NONE}); the kernel reads this only for an existing link, not at
   * creation.
   */
  static void writeNoIpv6AddressGeneration(NetlinkMessageWriter writer, int index) {
    ifinfomsg(writer.begin(Rtnl.RTM_NEWLINK, 0), index, 0, 0);
    int spec = writer.beginNested(Rtnl.IFLA_AF_SPEC);
    int inet6 = writer.beginNested(Rtnl.AF_INET6);
    writer.attributeU8(Rtnl.IFLA_INET6_ADDR_GEN_MODE, Rtnl.IN6_ADDR_GEN_MODE_NONE);
    writer.endNested(inet6).endNested(spec).end();
  }

  /** Writes {@code RTM_DELLINK} for the link with index {@code index}. */
  static void writeDelete(NetlinkMessageWriter writer, int index) {
    ifinfomsg(writer.begin(Rtnl.RTM_DELLINK, 0), index, 0, 0).end();
  }

  /** Writes {@code RTM_NEWLINK} that sets the link administratively up or down. */
  static void writeSetUp(NetlinkMessageWriter writer, int index, boolean up) {
    ifinfomsg(writer.begin(Rtnl.RTM_NEWLINK, 0), index, up ? LinkInfo.IFF_UP : 0, LinkInfo.IFF_UP)
        .end();
  }

  private static NetlinkMessageWriter ifinfomsg(
      NetlinkMessageWriter writer, int index, int flags, int change) {
    return writer
        .putU8(Rtnl.AF_UNSPEC)
        .putU8(0)
        .putU16(0)
        .putS32(index)
        .putS32(flags)
        .putS32(change);
  }

  /**
   * Decodes a link message.
   *
   * @throws MalformedPacketException when the message is cut short, an attribute is malformed, or
   *     the name is missing
   */
  LinkInfo decode(NetlinkMessage message) {
    int index = message.s32(Rtnl.IFINFOMSG_INDEX);
    int flags = message.s32(Rtnl.IFINFOMSG_FLAGS);
    String name = null;
    MacAddress mac = null;
    int mtu = 0;
    int operState = 0;
    String kind = null;
    int parent = 0;
    NetlinkAttributes attrs = message.attributes(Rtnl.IFINFOMSG_LENGTH, attributes);
    while (attrs.next()) {
      switch (attrs.type()) {
        case Rtnl.IFLA_IFNAME -> name = attrs.string();
        case Rtnl.IFLA_ADDRESS -> {
          if (attrs.valueLength() == MacAddress.LENGTH) {
            mac = MacAddress.of(attrs.bytes());
          }
        }
        case Rtnl.IFLA_MTU -> mtu = attrs.s32();
        case Rtnl.IFLA_OPERSTATE -> operState = attrs.u8();
        case Rtnl.IFLA_LINK -> parent = attrs.s32();
        case Rtnl.IFLA_LINKINFO -> {
          NetlinkAttributes info = attrs.nested(linkInfo);
          if (info.find(Rtnl.IFLA_INFO_KIND)) {
            kind = info.string();
          }
        }
        default -> {
          // Statistics, queues, XDP and the rest: not part of LinkInfo.
        }
      }
    }
    if (name == null) {
      throw new MalformedPacketException(
          NetlinkDropReason.MISSING_ATTRIBUTE, "link " + index + " without IFLA_IFNAME");
    }
    return new LinkInfo(index, name, mac, mtu, flags, OperState.of(operState), kind, parent);
  }
}
