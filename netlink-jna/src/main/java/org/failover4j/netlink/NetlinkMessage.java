package org.failover4j.netlink;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.MalformedPacketException;

/**
 * A reusable read-only view of one netlink message in a buffer (see {@link Netlink} for the
 * layout). {@link #wrap} checks the header against the bytes available; every field accessor checks
 * its bounds against the payload, so malformed input raises {@link MalformedPacketException} and
 * nothing else. Wrapping allocates nothing.
 */
public final class NetlinkMessage {

  /** Offset of {@code nlmsg_len}. */
  public static final int LENGTH_OFFSET = 0;

  /** Offset of {@code nlmsg_type}. */
  public static final int TYPE_OFFSET = 4;

  /** Offset of {@code nlmsg_flags}. */
  public static final int FLAGS_OFFSET = 6;

  /** Offset of {@code nlmsg_seq}. */
  public static final int SEQUENCE_OFFSET = 8;

  /** Offset of {@code nlmsg_pid}. */
  public static final int PORT_ID_OFFSET = 12;

  /** Size of the error code at the start of an error or done payload. */
  private static final int ERROR_CODE_LENGTH = 4;

  private ByteBuffer buffer;
  private int offset;
  private int length;

  /**
   * Views the message that starts at {@code offset}, with {@code available} bytes left in the
   * datagram.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the message
   * @param available how many bytes are left from there
   * @return this object
   * @throws MalformedPacketException when the header is cut short or its length is impossible
   */
  public NetlinkMessage wrap(ByteBuffer buffer, int offset, int available) {
    if (available < Netlink.HEADER_LENGTH) {
      throw new MalformedPacketException(
          NetlinkDropReason.TRUNCATED_HEADER,
          "truncated header: " + available + " bytes, need " + Netlink.HEADER_LENGTH);
    }
    int declared = ByteAccess.getHostInt(buffer, offset + LENGTH_OFFSET);
    if (declared < Netlink.HEADER_LENGTH || declared > available) {
      throw new MalformedPacketException(
          NetlinkDropReason.BAD_MESSAGE_LENGTH,
          "message length "
              + Integer.toUnsignedString(declared)
              + " outside "
              + Netlink.HEADER_LENGTH
              + ".."
              + available);
    }
    this.buffer = buffer;
    this.offset = offset;
    this.length = declared;
    return this;
  }

  /** {@return the buffer this view reads} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return where the message starts in {@link #buffer()}} */
  public int offset() {
    return offset;
  }

  /**
   * {@code nlmsg_len}: header and payload, without trailing alignment.
   *
   * @return the length
   */
  public int length() {
    return length;
  }

  /**
   * {@code nlmsg_type}.
   *
   * @return the type
   */
  public int type() {
    return ByteAccess.getHostU16(buffer, offset + TYPE_OFFSET);
  }

  /**
   * {@code nlmsg_flags}.
   *
   * @return the flags
   */
  public int flags() {
    return ByteAccess.getHostU16(buffer, offset + FLAGS_OFFSET);
  }

  /**
   * {@return true when every bit of {@code flag} is set}
   *
   * @param flag the NLM_F_* bits
   */
  public boolean hasFlags(int flag) {
    return (flags() & flag) == flag;
  }

  /**
   * {@code nlmsg_seq}.
   *
   * @return the sequence number
   */
  public int sequence() {
    return ByteAccess.getHostInt(buffer, offset + SEQUENCE_OFFSET);
  }

  /**
   * {@code nlmsg_pid}: the sender's port id (0 for the kernel).
   *
   * @return the port id
   */
  public int portId() {
    return ByteAccess.getHostInt(buffer, offset + PORT_ID_OFFSET);
  }

  /** {@return where the payload (family header and attributes) starts in {@link #buffer()}} */
  public int payloadOffset() {
    return offset + Netlink.HEADER_LENGTH;
  }

  /** {@return the payload's length} */
  public int payloadLength() {
    return length - Netlink.HEADER_LENGTH;
  }

  /** {@return where the next message of the datagram starts: this one's end, aligned} */
  public int nextOffset() {
    return offset + Netlink.align(length);
  }

  /**
   * {@return the unsigned byte at {@code index} in the payload}
   *
   * @param index the offset in the payload
   */
  public int u8(int index) {
    check(index, 1);
    return ByteAccess.getU8(buffer, payloadOffset() + index);
  }

  /**
   * {@return the host-order unsigned 16-bit field at {@code index} in the payload}
   *
   * @param index the offset in the payload
   */
  public int u16(int index) {
    check(index, 2);
    return ByteAccess.getHostU16(buffer, payloadOffset() + index);
  }

  /**
   * {@return the host-order 32-bit field at {@code index} in the payload}
   *
   * @param index the offset in the payload
   */
  public int s32(int index) {
    check(index, 4);
    return ByteAccess.getHostInt(buffer, payloadOffset() + index);
  }

  /**
   * {@return the network-order unsigned 16-bit field at {@code index} in the payload (a port)}
   *
   * @param index the offset in the payload
   */
  public int u16Network(int index) {
    check(index, 2);
    return ByteAccess.getU16(buffer, payloadOffset() + index);
  }

  /**
   * {@return the network-order 32-bit field at {@code index} in the payload (an SPI)}
   *
   * @param index the offset in the payload
   */
  public int s32Network(int index) {
    check(index, 4);
    return ByteAccess.getInt(buffer, payloadOffset() + index);
  }

  /**
   * {@return the host-order 64-bit field at {@code index} in the payload}
   *
   * @param index the offset in the payload
   */
  public long s64(int index) {
    check(index, 8);
    return ByteAccess.getHostLong(buffer, payloadOffset() + index);
  }

  /**
   * Copies {@code count} payload bytes from {@code index} into {@code dst} at {@code dstOffset}.
   *
   * @param index the offset in the payload
   * @param dst the array to copy into
   * @param dstOffset where in it to start
   * @param count how many bytes
   */
  public void copy(int index, byte[] dst, int dstOffset, int count) {
    check(index, count);
    buffer.get(payloadOffset() + index, dst, dstOffset, count);
  }

  /**
   * Views the attributes that follow a family header of {@code familyHeaderLength} bytes (aligned
   * up to 4) through {@code into}.
   *
   * @param familyHeaderLength the family header's length in bytes
   * @param into the view to reuse
   * @return {@code into}, viewing them
   * @throws MalformedPacketException when the payload is shorter than the family header
   */
  public NetlinkAttributes attributes(int familyHeaderLength, NetlinkAttributes into) {
    int skip = Netlink.align(familyHeaderLength);
    if (skip > payloadLength()) {
      // The kernel may send a family header without its final padding: accept that exact case.
      check(0, familyHeaderLength);
      skip = payloadLength();
    }
    return into.wrap(buffer, payloadOffset() + skip, payloadLength() - skip);
  }

  /**
   * {@return the error code of an {@code NLMSG_ERROR} message (0 for an acknowledgement, else a
   * negative errno) or of an {@code NLMSG_DONE} that carries one (dumps report their errors there)}
   */
  public int errorCode() {
    if (payloadLength() < ERROR_CODE_LENGTH) {
      if (type() == Netlink.NLMSG_DONE) {
        return 0;
      }
      throw new MalformedPacketException(
          NetlinkDropReason.TRUNCATED_ERROR,
          "error message: " + payloadLength() + " payload bytes, need " + ERROR_CODE_LENGTH);
    }
    return s32(0);
  }

  /**
   * The extended-ack attributes of an error or done message ({@code NLMSGERR_ATTR_*}), viewed
   * through {@code into}; empty when the kernel sent none ({@link Netlink#NLM_F_ACK_TLVS} unset).
   *
   * @param into the view to reuse
   * @return {@code into}, viewing them (empty when there are none)
   * @throws MalformedPacketException when the message is too short for what its flags announce
   */
  public NetlinkAttributes extendedAck(NetlinkAttributes into) {
    int start = ERROR_CODE_LENGTH;
    if (type() == Netlink.NLMSG_ERROR) {
      // struct nlmsgerr: the error code, then the request's header and, unless capped, its body.
      if (payloadLength() < start + Netlink.HEADER_LENGTH) {
        throw new MalformedPacketException(
            NetlinkDropReason.TRUNCATED_ERROR,
            "error message: "
                + payloadLength()
                + " payload bytes, need "
                + (start + Netlink.HEADER_LENGTH));
      }
      int requestLength = s32(start + LENGTH_OFFSET);
      if (hasFlags(Netlink.NLM_F_CAPPED)) {
        start += Netlink.HEADER_LENGTH;
      } else if (requestLength < Netlink.HEADER_LENGTH || requestLength > payloadLength() - start) {
        throw new MalformedPacketException(
            NetlinkDropReason.TRUNCATED_ERROR,
            "error message: echoed request of "
                + Integer.toUnsignedString(requestLength)
                + " bytes in "
                + (payloadLength() - start));
      } else {
        start += Netlink.align(requestLength);
      }
    }
    if (!hasFlags(Netlink.NLM_F_ACK_TLVS) || start >= payloadLength()) {
      return into.wrap(buffer, payloadOffset(), 0);
    }
    return into.wrap(buffer, payloadOffset() + start, payloadLength() - start);
  }

  /**
   * {@return the kernel's extended-ack message of an error or done message, or null when it sent
   * none} Allocates the string.
   *
   * @param scratch a view to reuse while looking
   */
  public String extendedAckMessage(NetlinkAttributes scratch) {
    NetlinkAttributes tlvs = extendedAck(scratch);
    return tlvs.find(Netlink.NLMSGERR_ATTR_MSG) ? tlvs.string() : null;
  }

  private void check(int index, int size) {
    if (index < 0 || size < 0 || index > payloadLength() - size) {
      throw new MalformedPacketException(
          NetlinkDropReason.TRUNCATED_PAYLOAD,
          "field of "
              + size
              + " bytes at payload offset "
              + index
              + " beyond a payload of "
              + payloadLength()
              + " bytes (message type "
              + type()
              + ")");
    }
  }

  @Override
  public String toString() {
    return buffer == null
        ? "NetlinkMessage[unwrapped]"
        : "NetlinkMessage[type="
            + type()
            + ", flags=0x"
            + Integer.toHexString(flags())
            + ", seq="
            + Integer.toUnsignedString(sequence())
            + ", pid="
            + Integer.toUnsignedString(portId())
            + ", length="
            + length
            + "]";
  }
}
