package org.failover4j.ipvs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute reads and writes with an explicit byte order that never touch the buffer's own order,
 * position or limit. Callers check bounds first.
 */
final class Bytes {

  private static final VarHandle BE16 =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BE32 =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LE32 =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BE64 =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  static int u8(ByteBuffer b, int index) {
    return b.get(index) & 0xFF;
  }

  static int u16(ByteBuffer b, int index) {
    return ((short) BE16.get(b, index)) & 0xFFFF;
  }

  static int i32(ByteBuffer b, int index) {
    return (int) BE32.get(b, index);
  }

  static int i32(ByteBuffer b, int index, ByteOrder order) {
    return order == ByteOrder.BIG_ENDIAN ? (int) BE32.get(b, index) : (int) LE32.get(b, index);
  }

  static long u32(ByteBuffer b, int index) {
    return i32(b, index) & 0xFFFFFFFFL;
  }

  static long i64(ByteBuffer b, int index) {
    return (long) BE64.get(b, index);
  }

  static void put8(ByteBuffer b, int index, int value) {
    b.put(index, (byte) value);
  }

  static void put16(ByteBuffer b, int index, int value) {
    BE16.set(b, index, (short) value);
  }

  static void put32(ByteBuffer b, int index, int value) {
    BE32.set(b, index, value);
  }

  static void put32(ByteBuffer b, int index, int value, ByteOrder order) {
    if (order == ByteOrder.BIG_ENDIAN) {
      BE32.set(b, index, value);
    } else {
      LE32.set(b, index, value);
    }
  }

  static void putBytes(ByteBuffer b, int index, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      b.put(index + i, bytes[i]);
    }
  }

  static void zero(ByteBuffer b, int index, int length) {
    for (int i = 0; i < length; i++) {
      b.put(index + i, (byte) 0);
    }
  }
}
