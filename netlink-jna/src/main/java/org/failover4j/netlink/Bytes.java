package org.failover4j.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute reads and writes with an explicit byte order, whatever order the buffer is set to:
 * netlink and socket structs are in host order, packet headers in network order. Callers check
 * bounds first; these never allocate.
 */
final class Bytes {

  private static final VarHandle HOST_16 =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
  private static final VarHandle HOST_32 =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle HOST_64 =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle NET_16 =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle NET_32 =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  static int hostU16(ByteBuffer b, int index) {
    return Short.toUnsignedInt((short) HOST_16.get(b, index));
  }

  static int hostS32(ByteBuffer b, int index) {
    return (int) HOST_32.get(b, index);
  }

  static long hostS64(ByteBuffer b, int index) {
    return (long) HOST_64.get(b, index);
  }

  static void putHost16(ByteBuffer b, int index, int value) {
    HOST_16.set(b, index, (short) value);
  }

  static void putHost32(ByteBuffer b, int index, int value) {
    HOST_32.set(b, index, value);
  }

  static void putHost64(ByteBuffer b, int index, long value) {
    HOST_64.set(b, index, value);
  }

  static int netU16(ByteBuffer b, int index) {
    return Short.toUnsignedInt((short) NET_16.get(b, index));
  }

  static int netS32(ByteBuffer b, int index) {
    return (int) NET_32.get(b, index);
  }

  static void putNet16(ByteBuffer b, int index, int value) {
    NET_16.set(b, index, (short) value);
  }

  static void putNet32(ByteBuffer b, int index, int value) {
    NET_32.set(b, index, value);
  }

  static int u8(ByteBuffer b, int index) {
    return Byte.toUnsignedInt(b.get(index));
  }
}
