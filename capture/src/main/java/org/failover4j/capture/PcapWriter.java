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
import org.failover4j.api.ByteAccess;

/**
 * Writes a classic pcap file (little-endian, microsecond timestamps, one link type): what tests and
 * tools need to hand frames they built to tshark or to {@link CaptureReader}.
 */
public final class PcapWriter implements Closeable, Flushable {

  private static final int MAGIC_MICROS = 0xa1b2c3d4;

  private final OutputStream out;

  /** The order this writer writes; the magic number tells readers which it is. */
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  private final ByteBuffer header = ByteBuffer.allocate(24);

  /**
   * Writes the file header for frames of {@code linkType} to {@code out}.
   *
   * @param out where the capture goes; closed by {@link #close()}
   * @param linkType the link type of every frame to come
   * @throws IOException if writing fails
   */
  public PcapWriter(OutputStream out, LinkType linkType) throws IOException {
    this.out = out;
    ByteAccess.put32(header, 0, MAGIC_MICROS, ORDER);
    ByteAccess.put16(header, 4, 2, ORDER); // version 2.4
    ByteAccess.put16(header, 6, 4, ORDER);
    ByteAccess.put32(header, 8, 0, ORDER); // thiszone
    ByteAccess.put32(header, 12, 0, ORDER); // sigfigs
    ByteAccess.put32(header, 16, CaptureReader.MAX_FRAME_LENGTH, ORDER);
    ByteAccess.put32(header, 20, linkType.code(), ORDER);
    out.write(header.array(), 0, 24);
  }

  /**
   * Creates (or replaces) {@code file} and writes its file header.
   *
   * @param file the capture file to write
   * @param linkType the link type of every frame to come
   * @return the writer
   * @throws IOException if the file cannot be created or written
   */
  public static PcapWriter create(Path file, LinkType linkType) throws IOException {
    OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file));
    try {
      return new PcapWriter(stream, linkType);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /**
   * Appends one frame: the bytes between {@code frame}'s position and limit, left unchanged.
   *
   * @param timestamp when the frame was captured (microsecond resolution)
   * @param frame the frame, at most {@link CaptureReader#MAX_FRAME_LENGTH} bytes
   * @throws IOException if writing fails
   */
  public void write(Instant timestamp, ByteBuffer frame) throws IOException {
    int length = frame.remaining();
    if (length > CaptureReader.MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "frame of " + length + " bytes exceeds " + CaptureReader.MAX_FRAME_LENGTH);
    }
    ByteAccess.put32(header, 0, (int) timestamp.getEpochSecond(), ORDER);
    ByteAccess.put32(header, 4, timestamp.getNano() / 1_000, ORDER);
    ByteAccess.put32(header, 8, length, ORDER); // captured
    ByteAccess.put32(header, 12, length, ORDER); // original
    out.write(header.array(), 0, 16);
    for (int i = frame.position(); i < frame.limit(); i++) {
      out.write(frame.get(i));
    }
  }

  /**
   * Appends one frame made of {@code bytes}.
   *
   * @param timestamp when the frame was captured (microsecond resolution)
   * @param bytes the frame
   * @throws IOException if writing fails
   */
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
