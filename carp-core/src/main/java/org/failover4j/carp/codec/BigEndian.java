package org.failover4j.carp.codec;

import java.nio.ByteBuffer;

/**
 * Network-order access to a {@link ByteBuffer} at absolute offsets, one byte at a time, so the
 * result never depends on the buffer's own {@link ByteBuffer#order()}.
 */
final class BigEndian {

  private BigEndian() {}

  static int u8(ByteBuffer buffer, int at) {
    return buffer.get(at) & 0xFF;
  }

  static int u16(ByteBuffer buffer, int at) {
    return (u8(buffer, at) << 8) | u8(buffer, at + 1);
  }

  static int i32(ByteBuffer buffer, int at) {
    return (u16(buffer, at) << 16) | u16(buffer, at + 2);
  }

  static long i64(ByteBuffer buffer, int at) {
    return ((long) i32(buffer, at) << 32) | (i32(buffer, at + 4) & 0xFFFFFFFFL);
  }

  static void put16(ByteBuffer buffer, int at, int value) {
    buffer.put(at, (byte) (value >>> 8));
    buffer.put(at + 1, (byte) value);
  }

  static void put32(ByteBuffer buffer, int at, int value) {
    put16(buffer, at, value >>> 16);
    put16(buffer, at + 2, value);
  }

  static void put64(ByteBuffer buffer, int at, long value) {
    put32(buffer, at, (int) (value >>> 32));
    put32(buffer, at + 4, (int) value);
  }
}
