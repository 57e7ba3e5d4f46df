package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.failover4j.api.MalformedPacketException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Framing and attributes against golden bytes from iproute2 and the kernel. */
class NetlinkCodecTest {

  private final NetlinkMessage message = new NetlinkMessage();
  private final NetlinkAttributes attrs = new NetlinkAttributes();
  private final NetlinkAttributes inner = new NetlinkAttributes();

  @BeforeAll
  static void goldenBytesAreLittleEndian() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are host order");
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void alignRoundsUpToFour() {
    assertEquals(0, Netlink.align(0));
    assertEquals(4, Netlink.align(1));
    assertEquals(4, Netlink.align(4));
    assertEquals(8, Netlink.align(5));
    assertEquals(1, Netlink.groupMask(1));
    assertEquals(0x80000000, Netlink.groupMask(32));
    assertThrows(IllegalArgumentException.class, () -> Netlink.groupMask(33));
    assertEquals(0x3fff, Netlink.NLA_TYPE_MASK);
  }

  @Test
  void writerProducesIproute2sNewaddrByteForByte() {
    ByteBuffer buffer = ByteBuffer.allocate(128);
    NetlinkMessageWriter writer = new NetlinkMessageWriter().wrap(buffer);
    int flags =
        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_EXCL | Netlink.NLM_F_CREATE;
    int length =
        writer
            .begin(20, flags, 0x6b00ddab, 0)
            .putU8(2)
            .putU8(24)
            .putU8(0)
            .putU8(0)
            .putS32(3)
            .attributeBytes(2, hex("c0000264"))
            .attributeString(3, "a0:vip")
            .attributeBytes(1, hex("c0000264"))
            .end();
    byte[] golden = Golden.bytes("ip-newaddr-ipv4-label");
    assertEquals(golden.length, length);
    assertEquals(golden.length, buffer.position());
    assertArrayEquals(golden, java.util.Arrays.copyOf(buffer.array(), length));
  }

  @Test
  void writerPadsAttributesAndFixesNestedLengths() {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    // Garbage in the buffer must not leak into padding.
    for (int i = 0; i < 64; i++) {
      buffer.put(i, (byte) 0xee);
    }
    NetlinkMessageWriter writer = new NetlinkMessageWriter().wrap(buffer);
    writer.begin(0x10, 0).putU8(7);
    int nest = writer.beginNested(5 | Netlink.NLA_F_NESTED);
    writer.attributeU8(1, 0xaa).attributeU16(2, 0x1234).attributeFlag(3);
    writer.endNested(nest);
    int length = writer.end();
    String expected =
        "2c000000 1000 0000 00000000 00000000" // header, length 44
            + "07000000" // family header, padded
            + "18000580" // nested attribute 5 (flagged), 24 bytes
            + "05000100 aa000000" // u8 attribute 1 + padding
            + "06000200 34120000" // u16 attribute 2 + padding
            + "04000300"; // flag attribute 3
    assertEquals(expected.replace(" ", ""), Golden.hex(buffer, 0, length));
  }

  @Test
  void networkOrderFieldsAreBigEndianWhateverTheHost() {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    NetlinkMessageWriter writer = new NetlinkMessageWriter().wrap(buffer);
    int length =
        writer
            .begin(0x10, 0)
            .putS32Network(0x00001000)
            .putU16Network(8848)
            .putZeros(2)
            .attributeU16Network(1, 443)
            .end();
    assertEquals(
        "00001000 2290 0000 0600 0140 01bb 0000", spaced(Golden.hex(buffer, 16, length - 16)));
    message.wrap(buffer, 0, length);
    assertEquals(0x1000, message.s32Network(0));
    assertEquals(8848, message.u16Network(4));
    NetlinkAttributes a = message.attributes(8, attrs);
    assertTrue(a.next());
    assertEquals(1, a.type());
    assertEquals(Netlink.NLA_F_NET_BYTEORDER, a.rawType() & Netlink.NLA_F_NET_BYTEORDER);
    assertEquals(443, a.u16Network());
  }

  private static String spaced(String hex) {
    return hex.substring(0, 8)
        + " "
        + hex.substring(8, 12)
        + " "
        + hex.substring(12, 16)
        + " "
        + hex.substring(16, 20)
        + " "
        + hex.substring(20, 24)
        + " "
        + hex.substring(24, 28)
        + " "
        + hex.substring(28);
  }

  @Test
  void writerReportsMisuse() {
    NetlinkMessageWriter writer = new NetlinkMessageWriter().wrap(ByteBuffer.allocate(20));
    assertThrows(IllegalStateException.class, () -> writer.putU8(1));
    writer.begin(16, 0);
    assertThrows(IllegalStateException.class, () -> writer.begin(16, 0));
    assertThrows(BufferOverflowException.class, () -> writer.attributeS64(1, 1));
  }

  @Test
  void readsTheCappedAcknowledgement() {
    ByteBuffer b = Golden.buffer("ack-capped");
    message.wrap(b, 0, b.limit());
    assertEquals(Netlink.NLMSG_ERROR, message.type());
    assertTrue(message.hasFlags(Netlink.NLM_F_CAPPED));
    assertEquals(0, message.errorCode());
    assertNull(message.extendedAckMessage(attrs));
    assertEquals(36, message.length());
  }

  @Test
  void readsTheExtendedAckMessageAfterAnEchoedRequest() {
    ByteBuffer b = Golden.buffer("error-extack");
    message.wrap(b, 0, b.limit());
    assertEquals(-Errno.EINVAL.number(), message.errorCode());
    assertEquals("mtu greater than device maximum", message.extendedAckMessage(attrs));
    NetlinkAttributes tlvs = message.extendedAck(attrs);
    assertTrue(tlvs.find(Netlink.NLMSGERR_ATTR_MSG));
    assertFalse(tlvs.find(Netlink.NLMSGERR_ATTR_OFFS));
  }

  @Test
  void readsAnErrorThatEchoesTheWholeRequest() {
    ByteBuffer b = Golden.buffer("error-echoed");
    message.wrap(b, 0, b.limit());
    assertEquals(-Errno.EADDRNOTAVAIL.number(), message.errorCode());
    assertNull(message.extendedAckMessage(attrs));
    // The echoed request is a message too: iproute2's macvlan RTM_NEWLINK.
    NetlinkMessage echoed = new NetlinkMessage().wrap(b, 20, b.limit() - 20);
    assertEquals(16, echoed.type());
    assertEquals(92, echoed.length());
    NetlinkAttributes a = echoed.attributes(16, attrs);
    assertTrue(a.find(3));
    assertEquals("vrrp.7", a.string());
    assertTrue(a.find(18));
    NetlinkAttributes info = a.nested(inner);
    assertTrue(info.find(1));
    assertEquals("macvlan", info.string());
    assertTrue(info.find(2));
    NetlinkAttributes data = info.nested(new NetlinkAttributes());
    assertTrue(data.next());
    assertEquals(1, data.type());
    assertEquals(1, data.s32());
  }

  @Test
  void walksTheMessagesOfADumpDatagram() {
    ByteBuffer b = Golden.buffer("rtm-newaddr-dump");
    NetlinkMessageCursor cursor = new NetlinkMessageCursor().wrap(b, 0, b.limit());
    assertTrue(cursor.next());
    assertEquals(20, cursor.message().type());
    assertTrue(cursor.message().hasFlags(Netlink.NLM_F_MULTI));
    assertEquals(80, cursor.message().length());
    assertTrue(cursor.next());
    assertEquals(72, cursor.message().length());
    assertEquals(10, cursor.message().u8(0));
    assertFalse(cursor.next());

    ByteBuffer done = Golden.buffer("nlmsg-done");
    message.wrap(done, 0, done.limit());
    assertEquals(Netlink.NLMSG_DONE, message.type());
    assertEquals(0, message.errorCode());
  }

  @Test
  void attributeAccessorsCheckValueSizes() {
    ByteBuffer b = Golden.buffer("rtm-newaddr-dump");
    message.wrap(b, 0, 80);
    NetlinkAttributes a = message.attributes(8, attrs);
    assertTrue(a.find(1));
    assertArrayEquals(hex("c0000264"), a.bytes());
    MalformedPacketException e = assertThrows(MalformedPacketException.class, a::s64);
    assertEquals(NetlinkDropReason.BAD_ATTRIBUTE_VALUE, e.reason());
    assertEquals("attribute type 1: value of 4 bytes, need 8", e.detail());
    assertThrows(MalformedPacketException.class, a::u16);
    assertTrue(a.find(8));
    assertEquals(0x80, a.s32());
  }

  @Test
  void rejectsImpossibleLengthsWithTypedReasons() {
    ByteBuffer b = ByteBuffer.wrap(new byte[32]).order(ByteOrder.LITTLE_ENDIAN);
    assertReason(NetlinkDropReason.TRUNCATED_HEADER, () -> message.wrap(b, 0, 15));
    b.putInt(0, 15);
    assertReason(NetlinkDropReason.BAD_MESSAGE_LENGTH, () -> message.wrap(b, 0, 32));
    b.putInt(0, 33);
    assertReason(NetlinkDropReason.BAD_MESSAGE_LENGTH, () -> message.wrap(b, 0, 32));
    b.putInt(0, -1);
    assertReason(NetlinkDropReason.BAD_MESSAGE_LENGTH, () -> message.wrap(b, 0, 32));

    b.putInt(0, 32).putShort(4, (short) Netlink.NLMSG_ERROR);
    message.wrap(b, 0, 32);
    assertReason(NetlinkDropReason.TRUNCATED_PAYLOAD, () -> message.s32(14));
    b.putInt(20, 100); // an echoed request longer than the message
    assertReason(NetlinkDropReason.TRUNCATED_ERROR, () -> message.extendedAck(attrs));

    b.putShort(16, (short) 3); // attribute shorter than its header
    attrs.wrap(b, 16, 16);
    assertReason(NetlinkDropReason.BAD_ATTRIBUTE_LENGTH, attrs::next);
    b.putShort(16, (short) 20); // attribute longer than what contains it
    assertReason(NetlinkDropReason.TRUNCATED_ATTRIBUTE, attrs::next);
  }

  @Test
  void toleratesMissingPaddingAfterTheLastAttributeAndMessage() {
    ByteBuffer b = ByteBuffer.wrap(hex("15000000 1000 0000 00000000 00000000 05000100 07"));
    NetlinkMessageCursor cursor = new NetlinkMessageCursor().wrap(b, 0, b.limit());
    assertTrue(cursor.next());
    NetlinkAttributes a = cursor.message().attributes(0, attrs);
    assertTrue(a.next());
    assertEquals(7, a.u8());
    assertFalse(a.next());
    assertFalse(cursor.next());
  }

  private static void assertReason(NetlinkDropReason reason, Runnable action) {
    MalformedPacketException e = assertThrows(MalformedPacketException.class, action::run);
    assertEquals(reason, e.reason(), e.getMessage());
  }
}
