package org.failover4j.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a classic pcap file (little-endian, microsecond timestamps, one link type): what tests and
 * tools need to hand frames they built to tshark or to {@link CaptureReader}.
 */
public final class PcapWriter implements Closeable, Flushable {

  private static final int MAGIC_MICROS = 0xa1b2c3d4;

  private final OutputStream out;
  private final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);

  /** Writes the file header for frames of {@code linkType} to {@code out}. */
  public PcapWriter(OutputStream out, LinkType linkType) throws IOException {
    this.out = out;
    header
        .putInt(MAGIC_MICROS)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0) // thiszone
        .putInt(0) // sigfigs
        .putInt(CaptureReader.MAX_FRAME_LENGTH)
        .putInt(linkType.code());
    out.write(header.array(), 0, 24);
  }

  /** Creates (or replaces) {@code file} and writes its file header. */
  public static PcapWriter create(Path file, LinkType linkType) throws IOException {
    OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file));
    try {
      return new PcapWriter(stream, linkType);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /** Appends one frame: the bytes between {@code frame}'s position and limit, left unchanged. */
  public void write(Instant timestamp, ByteBuffer frame) throws IOException {
    int length = frame.remaining();
    if (length > CaptureReader.MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "frame of " + length + " bytes exceeds " + CaptureReader.MAX_FRAME_LENGTH);
    }
    header.clear();
    header
        .putInt((int) timestamp.getEpochSecond())
        .putInt(timestamp.getNano() / 1_000)
        .putInt(length)
        .putInt(length);
    out.write(header.array(), 0, 16);
    for (int i = frame.position(); i < frame.limit(); i++) {
      out.write(frame.get(i));
    }
  }

  /** Appends one frame made of {@code bytes}. */
  public void write(Instant timestamp, byte[] bytes) throws IOException {
    write(timestamp, ByteBuffer.wrap(bytes));
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
