package org.failover4j.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.Golden;
import org.failover4j.netlink.MacAddress;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkDropReason;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.NetlinkMessageCursor;
import org.failover4j.netlink.NetlinkMessageWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rtnetlink requests byte for byte against iproute2, and decoding of the kernel's replies. */
class RtnlCodecTest {

  /** iproute2 asks for an acknowledgement; {@code NetlinkSocket.request} adds these flags. */
  private static final int REQUEST_ACK = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;

  private final ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
  private final NetlinkMessageWriter writer = new NetlinkMessageWriter().wrap(buffer);

  @BeforeAll
  static void goldenBytesAreLittleEndian() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are host order");
  }

  /** The written message as iproute2 would send it: its flags added, its sequence number. */
  private byte[] asIproute2Sent(int sequence) {
    byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(NetlinkMessage.FLAGS_OFFSET, (short) (b.getShort(6) | REQUEST_ACK));
    b.putInt(NetlinkMessage.SEQUENCE_OFFSET, sequence);
    return bytes;
  }

  @Test
  void addIpv4WithLabelMatchesIproute2() throws Exception {
    AddressSpec spec =
        AddressSpec.builder(InetAddress.getByName("192.0.2.100"), 3)
            .prefixLength(24)
            .label("a0:vip")
            .build();
    AddressCodec.writeChange(writer, spec, true);
    assertArrayEquals(Golden.bytes("ip-newaddr-ipv4-label"), asIproute2Sent(0x6b00ddab));
  }

  @Test
  void addIpv6NodadMatchesIproute2() throws Exception {
    AddressSpec spec =
        AddressSpec.builder(InetAddress.getByName("2001:db8::100"), 3)
            .prefixLength(64)
            .flag(AddressFlag.NODAD)
            .build();
    AddressCodec.writeChange(writer, spec, true);
    assertArrayEquals(Golden.bytes("ip-newaddr-ipv6-nodad"), asIproute2Sent(0x6b00ddab));
  }

  @Test
  void deleteMatchesIproute2() throws Exception {
    AddressSpec spec =
        AddressSpec.builder(InetAddress.getByName("192.0.2.100"), 3)
            .prefixLength(24)
            .label("a0:vip")
            .build();
    AddressCodec.writeChange(writer, spec, false);
    assertArrayEquals(Golden.bytes("ip-deladdr-ipv4"), asIproute2Sent(0x6b00ddab));
  }

  @Test
  void flagsAboveEightBitsGoInIfaFlags() throws Exception {
    AddressSpec spec =
        AddressSpec.builder(InetAddress.getByName("2001:db8::1"), 3)
            .flag(AddressFlag.NODAD)
            .flag(AddressFlag.NOPREFIXROUTE)
            .build();
    AddressCodec.writeChange(writer, spec, true);
    NetlinkMessage m = new NetlinkMessage().wrap(buffer, 0, buffer.position());
    assertEquals(AddressFlag.NODAD.bit(), m.u8(Rtnl.IFADDRMSG_FLAGS));
    assertEquals(128, m.u8(Rtnl.IFADDRMSG_PREFIXLEN));
    var attrs = m.attributes(Rtnl.IFADDRMSG_LENGTH, new org.failover4j.netlink.NetlinkAttributes());
    assertTrue(attrs.find(Rtnl.IFA_FLAGS));
    assertEquals(0x202, attrs.s32());
  }

  @Test
  void macvlanMatchesIproute2() {
    // The request iproute2 sent (echoed back by the kernel in error-echoed): ip link add link a0
    // name vrrp.7 address 01:00:5e:00:01:07 type macvlan mode private. The builder refuses that
    // multicast MAC, the record does not.
    MacvlanSpec spec =
        new MacvlanSpec(
            "vrrp.7", 3, MacAddress.parse("01:00:5e:00:01:07"), MacvlanMode.PRIVATE, false, null);
    LinkCodec.writeNewMacvlan(writer, spec);
    byte[] echoed = Arrays.copyOfRange(Golden.bytes("error-echoed"), 20, 112);
    assertArrayEquals(echoed, asIproute2Sent(0x6b00ddaf));
  }

  @Test
  void decodesTheKernelsMacvlanLink() {
    ByteBuffer b = Golden.buffer("rtm-newlink-macvlan");
    NetlinkMessage m = new NetlinkMessage().wrap(b, 0, b.limit());
    LinkInfo link = new LinkCodec().decode(m);
    assertEquals(4, link.index());
    assertEquals("vrrp.7", link.name());
    assertEquals(MacAddress.vrrpIpv4(7), link.mac());
    assertEquals(1500, link.mtu());
    assertEquals("macvlan", link.kind());
    assertEquals(3, link.parentIndex());
    assertEquals(OperState.DOWN, link.operState());
    assertFalse(link.isUp());
    assertTrue(link.hasFlags(LinkInfo.IFF_BROADCAST | LinkInfo.IFF_MULTICAST));
  }

  @Test
  void decodesTheKernelsAddressDump() throws Exception {
    ByteBuffer b = Golden.buffer("rtm-newaddr-dump");
    NetlinkMessageCursor cursor = new NetlinkMessageCursor().wrap(b, 0, b.limit());
    AddressCodec codec = new AddressCodec();
    assertTrue(cursor.next());
    AddressInfo v4 = codec.decode(cursor.message());
    assertEquals("192.0.2.100/24", v4.cidr());
    assertEquals(3, v4.ifindex());
    assertEquals("a0:vip", v4.label());
    assertEquals(Set.of(AddressFlag.PERMANENT), v4.flags());
    assertEquals(AddressScope.UNIVERSE.value(), v4.scope());
    assertTrue(cursor.next());
    AddressInfo v6 = codec.decode(cursor.message());
    assertEquals(
        InetAddress.getByName("2001:db8::100").getHostAddress(), v6.address().getHostAddress());
    assertEquals(64, v6.prefixLength());
    assertEquals(Set.of(AddressFlag.NODAD, AddressFlag.PERMANENT), v6.flags());
    assertNull(v6.label());
  }

  @Test
  void aLinkWithoutANameIsMalformed() {
    writer
        .begin(Rtnl.RTM_NEWLINK, 0)
        .putZeros(Rtnl.IFINFOMSG_LENGTH)
        .attributeS32(Rtnl.IFLA_MTU, 1500)
        .end();
    NetlinkMessage m = new NetlinkMessage().wrap(buffer, 0, buffer.position());
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> new LinkCodec().decode(m));
    assertEquals(NetlinkDropReason.MISSING_ATTRIBUTE, e.reason());
  }

  @Test
  void anAddressOfTheWrongSizeIsMalformed() {
    writer
        .begin(Rtnl.RTM_NEWADDR, 0)
        .putU8(Rtnl.AF_INET6)
        .putU8(64)
        .putU8(0)
        .putU8(0)
        .putS32(1)
        .attributeBytes(Rtnl.IFA_ADDRESS, new byte[4])
        .end();
    NetlinkMessage m = new NetlinkMessage().wrap(buffer, 0, buffer.position());
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> new AddressCodec().decode(m));
    assertEquals(NetlinkDropReason.BAD_ATTRIBUTE_VALUE, e.reason());
  }
}
