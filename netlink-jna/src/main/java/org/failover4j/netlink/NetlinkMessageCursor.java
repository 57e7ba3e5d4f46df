package org.failover4j.netlink;

import java.nio.ByteBuffer;
import org.failover4j.api.MalformedPacketException;

/**
 * A reusable cursor over the messages of one netlink datagram. Each {@link #next()} wraps the
 * following message in the cursor's {@link NetlinkMessage}, which is reused: copy what you need
 * before moving on. Allocates nothing.
 */
public final class NetlinkMessageCursor {

  private final NetlinkMessage message = new NetlinkMessage();
  private ByteBuffer buffer;
  private int next;
  private int end;

  /**
   * Views the messages in {@code length} bytes of {@code buffer} from {@code offset}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the first message
   * @param length how many bytes of messages
   * @return this object
   */
  public NetlinkMessageCursor wrap(ByteBuffer buffer, int offset, int length) {
    this.buffer = buffer;
    this.next = offset;
    this.end = offset + length;
    return this;
  }

  /**
   * Moves to the next message.
   *
   * @return false when the datagram holds no more (up to 3 bytes of padding may trail)
   * @throws MalformedPacketException when a header is cut short or its length is impossible
   */
  public boolean next() {
    int left = end - next;
    if (left < Netlink.ALIGNTO) {
      next = end;
      return false;
    }
    message.wrap(buffer, next, left);
    next = Math.min(end, message.nextOffset());
    return true;
  }

  /** {@return the current message (valid after {@link #next()} returned true)} */
  public NetlinkMessage message() {
    return message;
  }
}
