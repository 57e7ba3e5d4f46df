package org.failover4j.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds pcapng files byte by byte, in either byte order, for the reader's tests. */
final class CaptureBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<Integer> blockEnds = new ArrayList<>();
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  /** A section header block in {@code order}; later blocks use the same order. */
  CaptureBytes section(ByteOrder sectionOrder) {
    order = sectionOrder;
    ByteBuffer body = buffer(16).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0);
    body.putLong(-1L);
    return block(0x0a0d0d0a, body.array());
  }

  /** An interface description block; {@code tsresol} < 0 leaves the option out. */
  CaptureBytes iface(int linkType, int snapLength, int tsresol) {
    ByteBuffer body = buffer(tsresol < 0 ? 8 : 20);
    body.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
    if (tsresol >= 0) {
      body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
      body.putShort((short) 0).putShort((short) 0);
    }
    return block(1, body.array());
  }

  /** An enhanced packet block. */
  CaptureBytes enhanced(int interfaceId, long timestamp, byte[] data, int originalLength) {
    ByteBuffer body = buffer(20 + pad(data.length));
    body.putInt(interfaceId).putInt((int) (timestamp >>> 32)).putInt((int) timestamp);
    body.putInt(data.length).putInt(originalLength).put(data);
    return block(6, body.array());
  }

  /** A simple packet block. */
  CaptureBytes simple(byte[] data) {
    ByteBuffer body = buffer(4 + pad(data.length));
    body.putInt(data.length).put(data);
    return block(3, body.array());
  }

  /** A block of a type the reader skips (name resolution, statistics, custom...). */
  CaptureBytes other(int type, int bodyLength) {
    return block(type, new byte[bodyLength]);
  }

  /** A block written as given, without checks: for corrupt files. */
  CaptureBytes block(int type, byte[] body) {
    int total = 12 + body.length;
    out.writeBytes(buffer(8).putInt(type).putInt(total).array());
    out.writeBytes(body);
    out.writeBytes(buffer(4).putInt(total).array());
    blockEnds.add(out.size());
    return this;
  }

  /** Raw bytes appended as they are. */
  CaptureBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** The offsets where each block written so far ends. */
  List<Integer> blockEnds() {
    return List.copyOf(blockEnds);
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private ByteBuffer buffer(int length) {
    return ByteBuffer.allocate(length).order(order);
  }

  private static int pad(int length) {
    return (length + 3) & ~3;
  }
}
