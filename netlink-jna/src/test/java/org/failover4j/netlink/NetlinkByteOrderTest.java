package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Netlink is host order and the packet headers inside it network order, whatever order the {@link
 * ByteBuffer} is set to: a message written into a big-endian, little-endian or native buffer (heap
 * or direct) is the same bytes, those bytes are what a native-order buffer's own accessors lay out,
 * and every field reads back the same from each.
 */
class NetlinkByteOrderTest {

  private static final ByteOrder[] ORDERS = {
    ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder()
  };

  @Test
  void everyBufferOrderWritesAndReadsTheSameMessage() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      int type = 16 + random.nextInt(100);
      int flags = random.nextInt(0x10000);
      int sequence = random.nextInt();
      int port = random.nextInt();
      int u16 = random.nextInt(0x10000);
      int s32 = random.nextInt();
      int u16Network = random.nextInt(0x10000);
      int s32Network = random.nextInt();
      long s64 = random.nextLong();
      String where = "seed " + seed + ", message " + i;
      String expected =
          hex(reference(type, flags, sequence, port, u16, s32, u16Network, s32Network, s64));
      for (boolean direct : new boolean[] {false, true}) {
        for (ByteOrder order : ORDERS) {
          ByteBuffer b = direct ? ByteBuffer.allocateDirect(256) : ByteBuffer.allocate(256);
          b.order(order);
          int length =
              new NetlinkMessageWriter()
                  .wrap(b)
                  .begin(type, flags, sequence, port)
                  .putU16(u16)
                  .putU16Network(u16Network)
                  .putS32(s32)
                  .putS32Network(s32Network)
                  .attributeU16(1, u16)
                  .attributeU16Network(2, u16Network)
                  .attributeS32(3, s32)
                  .attributeS64(4, s64)
                  .end();
          String what = where + ", " + order + (direct ? " direct" : " heap");
          byte[] bytes = new byte[length];
          b.get(0, bytes);
          assertEquals(expected, hex(bytes), what);

          NetlinkMessage m = new NetlinkMessage().wrap(b, 0, length);
          assertEquals(length, m.length(), what);
          assertEquals(type, m.type(), what);
          assertEquals(flags, m.flags(), what);
          assertEquals(sequence, m.sequence(), what);
          assertEquals(port, m.portId(), what);
          assertEquals(u16, m.u16(0), what);
          assertEquals(u16Network, m.u16Network(2), what);
          assertEquals(s32, m.s32(4), what);
          assertEquals(s32Network, m.s32Network(8), what);
          NetlinkAttributes a = m.attributes(12, new NetlinkAttributes());
          assertTrue(a.find(1), what);
          assertEquals(u16, a.u16(), what);
          assertTrue(a.find(2), what);
          assertEquals(u16Network, a.u16Network(), what);
          assertTrue(a.find(3), what);
          assertEquals(s32, a.s32(), what);
          assertTrue(a.find(4), what);
          assertEquals(s64, a.s64(), what);
        }
      }
    }
  }

  /** The same message laid out with a native-order buffer's own relative accessors. */
  private static byte[] reference(
      int type,
      int flags,
      int sequence,
      int port,
      int u16,
      int s32,
      int u16Network,
      int s32Network,
      long s64) {
    ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    int length = 16 + 12 + 8 + 8 + 8 + 12; // header, payload, four attributes
    b.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(port);
    b.putShort((short) u16);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) u16Network).order(ByteOrder.nativeOrder());
    b.putInt(s32);
    b.order(ByteOrder.BIG_ENDIAN).putInt(s32Network).order(ByteOrder.nativeOrder());
    b.putShort((short) 6).putShort((short) 1).putShort((short) u16).putShort((short) 0);
    b.putShort((short) 6).putShort((short) (2 | Netlink.NLA_F_NET_BYTEORDER));
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) u16Network).order(ByteOrder.nativeOrder());
    b.putShort((short) 0);
    b.putShort((short) 8).putShort((short) 3).putInt(s32);
    b.putShort((short) 12).putShort((short) 4).putLong(s64);
    assertEquals(length, b.position());
    byte[] bytes = new byte[length];
    b.get(0, bytes);
    return bytes;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
