package org.failover4j.netlink;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.failover4j.api.ByteAccess;

/**
 * Builds netlink messages into a buffer, from its position on: {@link #begin} writes the header,
 * the {@code put*} methods the family header, the {@code attribute*} methods the attributes
 * (aligned and zero-padded), {@link #beginNested}/{@link #endNested} nest them, and {@link #end()}
 * fills in the length and leaves the buffer's position after the message. Several messages may
 * follow each other in one buffer. Flip the buffer and hand it to {@link NetlinkSocket}. The writer
 * is reusable and allocates nothing (except {@link #attributeString}, which encodes).
 *
 * <pre>{@code
 * writer.wrap(buffer.clear())
 *     .begin(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL)
 *     .putU8(AF_INET).putU8(24).putU8(0).putU8(0).putS32(ifindex)
 *     .attributeBytes(IFA_LOCAL, address)
 *     .end();
 * socket.transact("RTM_NEWADDR", buffer.flip(), reply -> {});
 * }</pre>
 */
public final class NetlinkMessageWriter {

  private static final int NOT_STARTED = -1;

  private ByteBuffer buffer;
  private int messageStart = NOT_STARTED;

  /**
   * Writes into {@code buffer} from its current position.
   *
   * @param buffer the buffer
   * @return this object
   */
  public NetlinkMessageWriter wrap(ByteBuffer buffer) {
    this.buffer = buffer;
    this.messageStart = NOT_STARTED;
    return this;
  }

  /**
   * Starts a message with sequence number and port id 0 (the socket sets them on send).
   *
   * @param type the message or attribute type
   * @param flags the NLM_F_* flags
   * @return this object
   */
  public NetlinkMessageWriter begin(int type, int flags) {
    return begin(type, flags, 0, 0);
  }

  /**
   * Starts a message: writes the 16-byte header with a length to be filled in by {@link #end}.
   *
   * @param type the message or attribute type
   * @param flags the NLM_F_* flags
   * @param sequence the sequence number
   * @param portId the sender's port id
   * @return this object
   */
  public NetlinkMessageWriter begin(int type, int flags, int sequence, int portId) {
    if (messageStart != NOT_STARTED) {
      throw new IllegalStateException("message at " + messageStart + " not ended");
    }
    int at = reserveRaw(Netlink.HEADER_LENGTH);
    messageStart = at;
    ByteAccess.putHost32(buffer, at + NetlinkMessage.LENGTH_OFFSET, 0);
    ByteAccess.putHost16(buffer, at + NetlinkMessage.TYPE_OFFSET, type);
    ByteAccess.putHost16(buffer, at + NetlinkMessage.FLAGS_OFFSET, flags);
    ByteAccess.putHost32(buffer, at + NetlinkMessage.SEQUENCE_OFFSET, sequence);
    ByteAccess.putHost32(buffer, at + NetlinkMessage.PORT_ID_OFFSET, portId);
    return this;
  }

  /**
   * Appends a byte of the family header.
   *
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter putU8(int value) {
    buffer.put(reserve(1), (byte) value);
    return this;
  }

  /**
   * Appends a host-order 16-bit field of the family header.
   *
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter putU16(int value) {
    ByteAccess.putHost16(buffer, reserve(2), value);
    return this;
  }

  /**
   * Appends a host-order 32-bit field of the family header.
   *
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter putS32(int value) {
    ByteAccess.putHost32(buffer, reserve(4), value);
    return this;
  }

  /**
   * Appends a network-order 16-bit field of the family header (a port).
   *
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter putU16Network(int value) {
    ByteAccess.put16(buffer, reserve(2), value);
    return this;
  }

  /**
   * Appends a network-order 32-bit field of the family header (an SPI).
   *
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter putS32Network(int value) {
    ByteAccess.put32(buffer, reserve(4), value);
    return this;
  }

  /**
   * Appends a host-order 64-bit field of the family header.
   *
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter putS64(long value) {
    ByteAccess.putHost64(buffer, reserve(8), value);
    return this;
  }

  /**
   * Appends raw bytes (a struct the family defines, or an address).
   *
   * @param bytes the bytes
   * @param offset where in them to start
   * @param length how many
   * @return this object
   */
  public NetlinkMessageWriter putBytes(byte[] bytes, int offset, int length) {
    buffer.put(reserve(length), bytes, offset, length);
    return this;
  }

  /**
   * Appends raw bytes.
   *
   * @param bytes the bytes
   * @return this object
   */
  public NetlinkMessageWriter putBytes(byte[] bytes) {
    return putBytes(bytes, 0, bytes.length);
  }

  /**
   * Appends {@code count} zero bytes (reserved or padding fields).
   *
   * @param count how many zero bytes
   * @return this object
   */
  public NetlinkMessageWriter putZeros(int count) {
    int at = reserve(count);
    for (int i = 0; i < count; i++) {
      buffer.put(at + i, (byte) 0);
    }
    return this;
  }

  /**
   * Appends an attribute with a 1-byte value.
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeU8(int type, int value) {
    int at = attributeHeader(type, 1);
    buffer.put(at, (byte) value);
    return pad();
  }

  /**
   * Appends an attribute with a host-order 16-bit value.
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeU16(int type, int value) {
    ByteAccess.putHost16(buffer, attributeHeader(type, 2), value);
    return pad();
  }

  /**
   * Appends an attribute with a network-order 16-bit value (ports).
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeU16Network(int type, int value) {
    ByteAccess.put16(buffer, attributeHeader(type | Netlink.NLA_F_NET_BYTEORDER, 2), value);
    return pad();
  }

  /**
   * Appends an attribute with a host-order 32-bit value.
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeS32(int type, int value) {
    ByteAccess.putHost32(buffer, attributeHeader(type, 4), value);
    return pad();
  }

  /**
   * Appends an attribute with a host-order 64-bit value (aligned to 4 only, as netlink does).
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeS64(int type, long value) {
    ByteAccess.putHost64(buffer, attributeHeader(type, 8), value);
    return pad();
  }

  /**
   * Appends an attribute whose value is {@code length} bytes of {@code value}.
   *
   * @param type the message or attribute type
   * @param value the value
   * @param offset where in them to start
   * @param length how many
   * @return this object
   */
  public NetlinkMessageWriter attributeBytes(int type, byte[] value, int offset, int length) {
    buffer.put(attributeHeader(type, length), value, offset, length);
    return pad();
  }

  /**
   * Appends an attribute whose value is {@code value}.
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeBytes(int type, byte[] value) {
    return attributeBytes(type, value, 0, value.length);
  }

  /**
   * Appends a NUL-terminated UTF-8 string attribute.
   *
   * @param type the message or attribute type
   * @param value the value
   * @return this object
   */
  public NetlinkMessageWriter attributeString(int type, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int at = attributeHeader(type, bytes.length + 1);
    buffer.put(at, bytes);
    buffer.put(at + bytes.length, (byte) 0);
    return pad();
  }

  /**
   * Appends an attribute with no value (a flag).
   *
   * @param type the message or attribute type
   * @return this object
   */
  public NetlinkMessageWriter attributeFlag(int type) {
    attributeHeader(type, 0);
    return this;
  }

  /**
   * Starts a nested attribute; attributes appended until {@link #endNested} go inside it. The type
   * is written as given: add {@link Netlink#NLA_F_NESTED} for families that validate strictly
   * (rtnetlink, like iproute2, leaves it out).
   *
   * @param type the message or attribute type
   * @return the token to pass to {@link #endNested}
   */
  public int beginNested(int type) {
    return attributeHeader(type, 0) - Netlink.ATTRIBUTE_HEADER_LENGTH;
  }

  /**
   * Ends the nested attribute {@code token} came from: fills in its length.
   *
   * @param token what {@link #beginNested} returned
   * @return this object
   */
  public NetlinkMessageWriter endNested(int token) {
    int length = buffer.position() - token;
    if (token < messageStart || length > 0xffff) {
      throw new IllegalStateException("nested attribute at " + token + " of " + length + " bytes");
    }
    ByteAccess.putHost16(buffer, token + NetlinkAttributes.LENGTH_OFFSET, length);
    return this;
  }

  /**
   * Ends the message: pads it to the alignment and fills in its length.
   *
   * @return the message's length ({@code nlmsg_len})
   */
  public int end() {
    if (messageStart == NOT_STARTED) {
      throw new IllegalStateException("no message begun");
    }
    pad();
    int length = buffer.position() - messageStart;
    ByteAccess.putHost32(buffer, messageStart + NetlinkMessage.LENGTH_OFFSET, length);
    messageStart = NOT_STARTED;
    return length;
  }

  private int attributeHeader(int type, int valueLength) {
    pad();
    int length = Netlink.ATTRIBUTE_HEADER_LENGTH + valueLength;
    if (length > 0xffff) {
      throw new IllegalArgumentException("attribute value of " + valueLength + " bytes");
    }
    int at = reserve(length);
    ByteAccess.putHost16(buffer, at + NetlinkAttributes.LENGTH_OFFSET, length);
    ByteAccess.putHost16(buffer, at + NetlinkAttributes.TYPE_OFFSET, type);
    return at + Netlink.ATTRIBUTE_HEADER_LENGTH;
  }

  private NetlinkMessageWriter pad() {
    int written = buffer.position() - messageStart;
    return putZeros(Netlink.align(written) - written);
  }

  private int reserve(int count) {
    if (messageStart == NOT_STARTED) {
      throw new IllegalStateException("no message begun");
    }
    return reserveRaw(count);
  }

  private int reserveRaw(int count) {
    if (buffer == null) {
      throw new IllegalStateException("no buffer: call wrap() first");
    }
    int at = buffer.position();
    if (count > buffer.limit() - at) {
      throw new BufferOverflowException();
    }
    buffer.position(at + count);
    return at;
  }
}
