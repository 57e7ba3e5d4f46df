package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every accessor reads and writes its own order whatever the buffer's, at unaligned indexes, in
 * heap and direct buffers, and allocates nothing.
 */
class ByteAccessTest {

  private static final ByteOrder[] ORDERS = {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN};

  private static ByteBuffer[] buffers() {
    return new ByteBuffer[] {
      ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN),
      ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN),
      ByteBuffer.allocateDirect(32).order(ByteOrder.BIG_ENDIAN),
      ByteBuffer.allocateDirect(32).order(ByteOrder.LITTLE_ENDIAN),
    };
  }

  private static String hex(ByteBuffer b, int from, int length) {
    byte[] bytes = new byte[length];
    b.get(from, bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void networkOrderIsBigEndianWhateverTheBufferSays() {
    for (ByteBuffer b : buffers()) {
      String what = b.order() + (b.isDirect() ? " direct" : " heap");
      ByteAccess.put8(b, 1, 0x1ab);
      ByteAccess.put16(b, 3, 0x12345);
      ByteAccess.put32(b, 5, 0x89abcdef);
      ByteAccess.put64(b, 9, 0x0102030405060708L);
      assertEquals("ab" + "00" + "2345" + "89abcdef" + "0102030405060708", hex(b, 1, 16), what);
      assertEquals(0xab, ByteAccess.getU8(b, 1), what);
      assertEquals(0x2345, ByteAccess.getU16(b, 3), what);
      assertEquals(0x89abcdef, ByteAccess.getInt(b, 5), what);
      assertEquals(0x89abcdefL, ByteAccess.getU32(b, 5), what);
      assertEquals(0x0102030405060708L, ByteAccess.getLong(b, 9), what);
      ByteAccess.zero(b, 3, 6);
      assertEquals("ab00" + "000000000000" + "0102", hex(b, 1, 10), what);
    }
  }

  @Test
  void hostOrderIsTheNativeOrderWhateverTheBufferSays() {
    for (ByteBuffer b : buffers()) {
      String what = b.order() + (b.isDirect() ? " direct" : " heap");
      ByteBuffer reference = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
      reference.putShort(1, (short) 0xfedc).putInt(3, 0x11223344).putLong(7, -2L);
      ByteAccess.putHost16(b, 1, 0xfedc);
      ByteAccess.putHost32(b, 3, 0x11223344);
      ByteAccess.putHost64(b, 7, -2L);
      assertEquals(hex(reference, 1, 14), hex(b, 1, 14), what);
      assertEquals(0xfedc, ByteAccess.getHostU16(b, 1), what);
      assertEquals(0x11223344, ByteAccess.getHostInt(b, 3), what);
      assertEquals(-2L, ByteAccess.getHostLong(b, 7), what);
    }
  }

  @Test
  void aGivenOrderIsThatOrderWhateverTheBufferSays() {
    Random random = new Random(3);
    for (ByteBuffer b : buffers()) {
      for (ByteOrder order : ORDERS) {
        String what = b.order() + (b.isDirect() ? " direct" : " heap") + ", " + order;
        int v16 = random.nextInt(0x10000);
        int v32 = random.nextInt();
        long v64 = random.nextLong();
        ByteBuffer reference = ByteBuffer.allocate(32).order(order);
        reference.putShort(1, (short) v16).putInt(3, v32).putLong(7, v64);
        ByteAccess.put16(b, 1, v16, order);
        ByteAccess.put32(b, 3, v32, order);
        b.put(7, reference.array(), 7, 8);
        assertEquals(hex(reference, 1, 14), hex(b, 1, 14), what);
        assertEquals(v16, ByteAccess.getU16(b, 1, order), what);
        assertEquals(v32, ByteAccess.getInt(b, 3, order), what);
        assertEquals(Integer.toUnsignedLong(v32), ByteAccess.getU32(b, 3, order), what);
        assertEquals(v64, ByteAccess.getLong(b, 7, order), what);
      }
    }
  }

  @Test
  void anIndexOutOfRangeThrowsAsTheBuffersOwnAccessors() {
    ByteBuffer b = ByteBuffer.allocate(8);
    assertThrows(IndexOutOfBoundsException.class, () -> ByteAccess.getInt(b, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> ByteAccess.put16(b, -1, 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> ByteAccess.getLong(b, 1, ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void noAccessorAllocates() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ByteBuffer heap = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer direct = ByteBuffer.allocateDirect(64);
    ByteBuffer[] both = {heap, direct};
    long[] sink = new long[1];
    Runnable all =
        () -> {
          for (ByteBuffer b : both) {
            for (int i = 0; i < 16; i++) {
              ByteOrder order = (i & 1) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
              ByteAccess.put16(b, i, i);
              ByteAccess.put32(b, i + 2, i);
              ByteAccess.put64(b, i + 6, i);
              ByteAccess.putHost16(b, i + 14, i);
              ByteAccess.putHost32(b, i + 16, i);
              ByteAccess.putHost64(b, i + 20, i);
              ByteAccess.put16(b, i + 28, i, order);
              ByteAccess.put32(b, i + 30, i, order);
              sink[0] +=
                  ByteAccess.getU8(b, i)
                      + ByteAccess.getU16(b, i)
                      + ByteAccess.getInt(b, i)
                      + ByteAccess.getU32(b, i)
                      + ByteAccess.getLong(b, i)
                      + ByteAccess.getHostU16(b, i)
                      + ByteAccess.getHostInt(b, i)
                      + ByteAccess.getHostLong(b, i)
                      + ByteAccess.getU16(b, i, order)
                      + ByteAccess.getInt(b, i, order)
                      + ByteAccess.getU32(b, i, order)
                      + ByteAccess.getLong(b, i, order);
            }
          }
        };
    for (int i = 0; i < 20_000; i++) {
      all.run();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      all.run();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    // The counter itself may cost a few bytes; a boxed value per access would be megabytes.
    assertEquals(0, allocated / 10_000, allocated + " bytes for 10,000 rounds " + sink[0]);
  }
}
