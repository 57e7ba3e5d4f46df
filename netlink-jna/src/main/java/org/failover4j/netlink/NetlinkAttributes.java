package org.failover4j.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.MalformedPacketException;

/**
 * A reusable cursor over a run of netlink attributes (TLVs, see {@link Netlink}): {@link #next()}
 * moves to the following attribute and checks its length against the bytes that contain it; the
 * value accessors check the value's size against the type asked for. Nested attributes are read by
 * wrapping a second cursor over the value with {@link #nested}. Allocates nothing, except the
 * accessors documented to return a new object.
 *
 * <pre>{@code
 * NetlinkAttributes attrs = message.attributes(IFINFOMSG_LENGTH, cursor);
 * while (attrs.next()) {
 *   switch (attrs.type()) {
 *     case IFLA_MTU -> mtu = attrs.u32();
 *     case IFLA_LINKINFO -> attrs.nested(inner);
 *   }
 * }
 * }</pre>
 */
public final class NetlinkAttributes {

  /** Offset of {@code nla_len} in an attribute. */
  public static final int LENGTH_OFFSET = 0;

  /** Offset of {@code nla_type} in an attribute. */
  public static final int TYPE_OFFSET = 2;

  private ByteBuffer buffer;
  private int start;
  private int end;
  private int next;
  private int current = -1;
  private int rawType;
  private int valueLength;

  /**
   * Views the attributes in {@code length} bytes of {@code buffer} from {@code offset}, before the
   * first one: call {@link #next()} to reach it.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the first attribute
   * @param length how many bytes of attributes
   * @return this object
   */
  public NetlinkAttributes wrap(ByteBuffer buffer, int offset, int length) {
    this.buffer = buffer;
    this.start = offset;
    this.end = offset + length;
    rewind();
    return this;
  }

  /**
   * Goes back to before the first attribute.
   *
   * @return this object
   */
  public NetlinkAttributes rewind() {
    next = start;
    current = -1;
    return this;
  }

  /**
   * Moves to the next attribute.
   *
   * @return false when none is left (fewer than 4 bytes of padding may trail the last one)
   * @throws MalformedPacketException when the attribute's length is impossible
   */
  public boolean next() {
    int left = end - next;
    if (left < Netlink.ATTRIBUTE_HEADER_LENGTH) {
      current = -1;
      next = end;
      return false;
    }
    int declared = ByteAccess.getHostU16(buffer, next + LENGTH_OFFSET);
    if (declared < Netlink.ATTRIBUTE_HEADER_LENGTH) {
      throw new MalformedPacketException(
          NetlinkDropReason.BAD_ATTRIBUTE_LENGTH,
          "attribute length " + declared + ", need at least " + Netlink.ATTRIBUTE_HEADER_LENGTH);
    }
    if (declared > left) {
      throw new MalformedPacketException(
          NetlinkDropReason.TRUNCATED_ATTRIBUTE,
          "attribute type "
              + (ByteAccess.getHostU16(buffer, next + TYPE_OFFSET) & Netlink.NLA_TYPE_MASK)
              + " of "
              + declared
              + " bytes with "
              + left
              + " left");
    }
    current = next;
    rawType = ByteAccess.getHostU16(buffer, next + TYPE_OFFSET);
    valueLength = declared - Netlink.ATTRIBUTE_HEADER_LENGTH;
    // The last attribute may come without its trailing padding.
    next = Math.min(end, next + Netlink.align(declared));
    return true;
  }

  /**
   * Rewinds and moves to the first attribute of type {@code type}.
   *
   * @param type the attribute type
   * @return false when there is none
   */
  public boolean find(int type) {
    rewind();
    while (next()) {
      if (type() == type) {
        return true;
      }
    }
    return false;
  }

  /** {@return the current attribute's type without the nested and byte-order flags} */
  public int type() {
    requireCurrent();
    return rawType & Netlink.NLA_TYPE_MASK;
  }

  /** {@return the current attribute's type with its flag bits} */
  public int rawType() {
    requireCurrent();
    return rawType;
  }

  /** {@return true when the sender flagged the value as nested attributes} */
  public boolean isNested() {
    return (rawType() & Netlink.NLA_F_NESTED) != 0;
  }

  /** {@return the buffer being read} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return where the current attribute's value starts in {@link #buffer()}} */
  public int valueOffset() {
    requireCurrent();
    return current + Netlink.ATTRIBUTE_HEADER_LENGTH;
  }

  /** {@return the current attribute's value length (without padding)} */
  public int valueLength() {
    requireCurrent();
    return valueLength;
  }

  /** {@return the value as an unsigned byte; it must be 1 byte long} */
  public int u8() {
    requireLength(1);
    return ByteAccess.getU8(buffer, valueOffset());
  }

  /** {@return the value as a host-order unsigned 16-bit number; it must be 2 bytes long} */
  public int u16() {
    requireLength(2);
    return ByteAccess.getHostU16(buffer, valueOffset());
  }

  /**
   * {@return the value as a network-order unsigned 16-bit number (ports); it must be 2 bytes long}
   */
  public int u16Network() {
    requireLength(2);
    return ByteAccess.getU16(buffer, valueOffset());
  }

  /** {@return the value as a host-order 32-bit number; it must be 4 bytes long} */
  public int s32() {
    requireLength(4);
    return ByteAccess.getHostInt(buffer, valueOffset());
  }

  /** {@return the value as a network-order 32-bit number; it must be 4 bytes long} */
  public int s32Network() {
    requireLength(4);
    return ByteAccess.getInt(buffer, valueOffset());
  }

  /** {@return the value as a host-order 64-bit number; it must be 8 bytes long} */
  public long s64() {
    requireLength(8);
    return ByteAccess.getHostLong(buffer, valueOffset());
  }

  /**
   * {@return the value as a string, up to its first NUL (or the whole value when it has none)}
   * Allocates.
   */
  public String string() {
    int from = valueOffset();
    int length = 0;
    while (length < valueLength && buffer.get(from + length) != 0) {
      length++;
    }
    byte[] bytes = new byte[length];
    buffer.get(from, bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@return a copy of the value} Allocates. */
  public byte[] bytes() {
    byte[] copy = new byte[valueLength()];
    buffer.get(valueOffset(), copy, 0, copy.length);
    return copy;
  }

  /**
   * Copies the value, which must be exactly {@code count} bytes long, into {@code dst} at {@code
   * dstOffset}.
   *
   * @param dst the array to copy into
   * @param dstOffset where in it to start
   * @param count the value's exact length
   */
  public void copyValue(byte[] dst, int dstOffset, int count) {
    requireLength(count);
    buffer.get(valueOffset(), dst, dstOffset, count);
  }

  /**
   * Views the current attribute's value as nested attributes through {@code child}.
   *
   * @param child the view to reuse for the nested attributes
   * @return this object
   */
  public NetlinkAttributes nested(NetlinkAttributes child) {
    return child.wrap(buffer, valueOffset(), valueLength());
  }

  /**
   * Throws unless the current value is exactly {@code length} bytes long.
   *
   * @param length how many bytes of attributes
   * @throws MalformedPacketException naming the attribute and both lengths
   */
  public void requireLength(int length) {
    if (valueLength() != length) {
      throw new MalformedPacketException(
          NetlinkDropReason.BAD_ATTRIBUTE_VALUE,
          "attribute type " + type() + ": value of " + valueLength + " bytes, need " + length);
    }
  }

  private void requireCurrent() {
    if (current < 0) {
      throw new IllegalStateException("no current attribute: call next() first");
    }
  }
}
