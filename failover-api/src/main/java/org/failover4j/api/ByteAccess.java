package org.failover4j.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute reads and writes of a {@link ByteBuffer} in an explicit byte order, whatever order the
 * buffer itself is set to, as Agrona's buffers take the order on every access: a codec gives the
 * same answer for a big-endian, little-endian or native-order buffer.
 *
 * <ul>
 *   <li>{@code get*} and {@code put*} without an order: network order (big-endian), for packet
 *       headers: VRRP, AH, IPv4, IPVS sync, ARP, ICMPv6.
 *   <li>{@code getHost*} and {@code putHost*}: the host's native order, for netlink messages and
 *       socket structs, which the kernel lays out in host order.
 *   <li>With a {@link ByteOrder} argument: the order a format announces for itself (a capture
 *       file's magic number, IPVS sync's host-order sequence options).
 * </ul>
 *
 * <p>None of them touches the buffer's position, limit or order, and none allocates. Callers check
 * bounds first: an index out of range throws {@link IndexOutOfBoundsException} as the buffer's own
 * absolute accessors do.
 */
public final class ByteAccess {

  private static final VarHandle BE_16 = view(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BE_32 = view(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BE_64 = view(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LE_16 = view(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_32 = view(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_64 = view(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final boolean HOST_IS_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
  private static final VarHandle HOST_16 = HOST_IS_BIG_ENDIAN ? BE_16 : LE_16;
  private static final VarHandle HOST_32 = HOST_IS_BIG_ENDIAN ? BE_32 : LE_32;
  private static final VarHandle HOST_64 = HOST_IS_BIG_ENDIAN ? BE_64 : LE_64;

  private ByteAccess() {}

  private static VarHandle view(Class<?> arrayType, ByteOrder order) {
    return MethodHandles.byteBufferViewVarHandle(arrayType, order);
  }

  // Network order (big-endian).

  /**
   * {@return the unsigned byte at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static int getU8(ByteBuffer b, int index) {
    return b.get(index) & 0xFF;
  }

  /**
   * {@return the unsigned 16-bit big-endian value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static int getU16(ByteBuffer b, int index) {
    return Short.toUnsignedInt((short) BE_16.get(b, index));
  }

  /**
   * {@return the 32-bit big-endian value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static int getInt(ByteBuffer b, int index) {
    return (int) BE_32.get(b, index);
  }

  /**
   * {@return the unsigned 32-bit big-endian value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static long getU32(ByteBuffer b, int index) {
    return Integer.toUnsignedLong((int) BE_32.get(b, index));
  }

  /**
   * {@return the 64-bit big-endian value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static long getLong(ByteBuffer b, int index) {
    return (long) BE_64.get(b, index);
  }

  /**
   * Writes the low 8 bits of {@code value} at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void put8(ByteBuffer b, int index, int value) {
    b.put(index, (byte) value);
  }

  /**
   * Writes the low 16 bits of {@code value} big-endian at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void put16(ByteBuffer b, int index, int value) {
    BE_16.set(b, index, (short) value);
  }

  /**
   * Writes {@code value} big-endian at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void put32(ByteBuffer b, int index, int value) {
    BE_32.set(b, index, value);
  }

  /**
   * Writes {@code value} big-endian at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void put64(ByteBuffer b, int index, long value) {
    BE_64.set(b, index, value);
  }

  // Host order.

  /**
   * {@return the unsigned 16-bit host-order value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static int getHostU16(ByteBuffer b, int index) {
    return Short.toUnsignedInt((short) HOST_16.get(b, index));
  }

  /**
   * {@return the 32-bit host-order value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static int getHostInt(ByteBuffer b, int index) {
    return (int) HOST_32.get(b, index);
  }

  /**
   * {@return the 64-bit host-order value at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   */
  public static long getHostLong(ByteBuffer b, int index) {
    return (long) HOST_64.get(b, index);
  }

  /**
   * Writes the low 16 bits of {@code value} in host order at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void putHost16(ByteBuffer b, int index, int value) {
    HOST_16.set(b, index, (short) value);
  }

  /**
   * Writes {@code value} in host order at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void putHost32(ByteBuffer b, int index, int value) {
    HOST_32.set(b, index, value);
  }

  /**
   * Writes {@code value} in host order at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   */
  public static void putHost64(ByteBuffer b, int index, long value) {
    HOST_64.set(b, index, value);
  }

  // A given order.

  /**
   * {@return the unsigned 16-bit value in {@code order} at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param order the byte order of the field on the wire
   */
  public static int getU16(ByteBuffer b, int index, ByteOrder order) {
    // One constant VarHandle per branch: the JIT inlines each access.
    short value = big(order) ? (short) BE_16.get(b, index) : (short) LE_16.get(b, index);
    return Short.toUnsignedInt(value);
  }

  /**
   * {@return the 32-bit value in {@code order} at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param order the byte order of the field on the wire
   */
  public static int getInt(ByteBuffer b, int index, ByteOrder order) {
    return big(order) ? (int) BE_32.get(b, index) : (int) LE_32.get(b, index);
  }

  /**
   * {@return the unsigned 32-bit value in {@code order} at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param order the byte order of the field on the wire
   */
  public static long getU32(ByteBuffer b, int index, ByteOrder order) {
    return Integer.toUnsignedLong(getInt(b, index, order));
  }

  /**
   * {@return the 64-bit value in {@code order} at {@code index}}
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param order the byte order of the field on the wire
   */
  public static long getLong(ByteBuffer b, int index, ByteOrder order) {
    return big(order) ? (long) BE_64.get(b, index) : (long) LE_64.get(b, index);
  }

  /**
   * Writes the low 16 bits of {@code value} in {@code order} at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   * @param order the byte order of the field on the wire
   */
  public static void put16(ByteBuffer b, int index, int value, ByteOrder order) {
    if (big(order)) {
      BE_16.set(b, index, (short) value);
    } else {
      LE_16.set(b, index, (short) value);
    }
  }

  /**
   * Writes {@code value} in {@code order} at {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param value the value to write
   * @param order the byte order of the field on the wire
   */
  public static void put32(ByteBuffer b, int index, int value, ByteOrder order) {
    if (big(order)) {
      BE_32.set(b, index, value);
    } else {
      LE_32.set(b, index, value);
    }
  }

  /**
   * Writes {@code length} zero bytes from {@code index}.
   *
   * @param b the buffer; its position, limit and own byte order are ignored
   * @param index the absolute index of the field's first byte
   * @param length how many bytes to zero
   */
  public static void zero(ByteBuffer b, int index, int length) {
    for (int i = 0; i < length; i++) {
      b.put(index + i, (byte) 0);
    }
  }

  private static boolean big(ByteOrder order) {
    return order == ByteOrder.BIG_ENDIAN;
  }
}
