package org.failover4j.capture;

import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.IpProtocol;

/**
 * A reusable view of the UDP datagram in an {@link IpPacket}'s payload.
 *
 * <pre>
 *  0               16              31
 * +---------------+---------------+
 * |  Source Port  |   Dest Port   |
 * +---------------+---------------+
 * |    Length     |   Checksum    |
 * +---------------+---------------+
 * </pre>
 *
 * <p>The payload is bounded by the UDP length field and by the bytes captured.
 */
public final class UdpDatagram {

  /** The UDP header's length. */
  public static final int HEADER_LENGTH = 8;

  private static final int SOURCE_PORT_OFFSET = 0;
  private static final int DESTINATION_PORT_OFFSET = 2;
  private static final int LENGTH_OFFSET = 4;

  private ByteBuffer buffer;
  private int start;
  private int available;
  private int declaredLength;

  /**
   * Wraps the UDP datagram carried by {@code packet}.
   *
   * @param packet a wrapped IP packet
   * @return false when the packet is not UDP, is a non-first fragment, or its UDP header was not
   *     captured whole
   */
  public boolean wrap(IpPacket packet) {
    if (packet.protocol() != IpProtocol.UDP
        || packet.fragmentOffset() != 0
        || packet.payloadLength() < HEADER_LENGTH) {
      return false;
    }
    buffer = packet.buffer();
    start = packet.payloadOffset();
    available = packet.payloadLength();
    declaredLength = ByteAccess.getU16(buffer, start + LENGTH_OFFSET);
    return true;
  }

  /** {@return the source port} */
  public int sourcePort() {
    return ByteAccess.getU16(buffer, start + SOURCE_PORT_OFFSET);
  }

  /** {@return the destination port} */
  public int destinationPort() {
    return ByteAccess.getU16(buffer, start + DESTINATION_PORT_OFFSET);
  }

  /** {@return the length field: header plus payload} */
  public int declaredLength() {
    return declaredLength;
  }

  /** {@return true when fewer bytes were captured than the length field declares} */
  public boolean isTruncated() {
    return available < declaredLength;
  }

  /** {@return the buffer this view reads} */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@return the absolute offset of the payload in {@link #buffer()}} */
  public int payloadOffset() {
    return start + HEADER_LENGTH;
  }

  /** {@return the payload bytes present: as the length field says, unless fewer were captured} */
  public int payloadLength() {
    return Math.max(0, Math.min(declaredLength, available) - HEADER_LENGTH);
  }
}
