package org.failover4j.vrrp.platform;

import java.nio.ByteBuffer;

/**
 * One packet an {@link AdvertChannel} received, handed to its {@link AdvertSink} and reused for the
 * next one (copy what you keep). Over IPv4 the bytes start with the IPv4 header, as raw sockets
 * deliver them; over IPv6 they are the VRRP message and the addresses and hop limit come from
 * ancillary data.
 */
public final class ReceivedAdvert {

  /** The hop limit when the platform cannot tell it. */
  public static final int HOP_LIMIT_UNKNOWN = -1;

  private ByteBuffer buffer;
  private int offset;
  private int length;
  private final byte[] source = new byte[16];
  private final byte[] destination = new byte[16];
  private int hopLimit = HOP_LIMIT_UNKNOWN;
  private int ifindex;

  /** Points this holder at a packet; called by platforms. */
  public ReceivedAdvert set(ByteBuffer data, int at, int bytes, int interfaceIndex, int hops) {
    this.buffer = data;
    this.offset = at;
    this.length = bytes;
    this.ifindex = interfaceIndex;
    this.hopLimit = hops;
    return this;
  }

  /** The buffer holding the packet. */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** Where the packet starts in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** How many bytes it has. */
  public int length() {
    return length;
  }

  /** The IPv6 source (16 bytes; platforms fill it for IPv6). */
  public byte[] source() {
    return source;
  }

  /** The IPv6 destination (16 bytes; platforms fill it for IPv6). */
  public byte[] destination() {
    return destination;
  }

  /** The IPv6 hop limit, or {@link #HOP_LIMIT_UNKNOWN}. */
  public int hopLimit() {
    return hopLimit;
  }

  /** The interface it arrived on. */
  public int ifindex() {
    return ifindex;
  }
}
