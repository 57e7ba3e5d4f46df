package org.failover4j.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.failover4j.api.ByteAccess;

/**
 * Reads the frames of a classic pcap or a pcapng file, one at a time, from a stream.
 *
 * <p>Classic pcap: a 24-byte file header (magic {@code a1b2c3d4} for microseconds or {@code
 * a1b23c4d} for nanoseconds, in the writer's byte order), then records of a 16-byte header and the
 * captured bytes. pcapng: blocks of type, total length, body and the total length again; section
 * headers set the byte order, interface descriptions the link type and timestamp resolution of the
 * packets that name them. Enhanced, simple and obsolete packet blocks become frames; other blocks
 * are skipped.
 *
 * <p>Nothing is allocated according to a length in the file beyond {@link #MAX_FRAME_LENGTH}: a
 * longer record is reported as corrupt. A file that is not a capture, that ends in the middle of a
 * record or that contradicts itself raises a {@link CaptureFileException}; the frames returned
 * before it stay valid.
 *
 * <p>The file's magic number picks the reader of its format ({@code PcapReader}, {@code
 * PcapngReader}); this class only opens, dispatches and closes.
 */
public final class CaptureReader implements Closeable {

  /** The longest frame accepted, as libpcap's own limit for most link types (256 KiB). */
  public static final int MAX_FRAME_LENGTH = 262_144;

  private final CaptureInput input;
  private final CaptureFormat format;
  private final FormatReader reader;

  private CaptureReader(InputStream in) throws IOException {
    this.input = new CaptureInput(in);
    byte[] magicBytes = new byte[4];
    int got = input.readUpTo(magicBytes, 0, 4);
    if (got < 4) {
      throw new CaptureFileException(
          CaptureFileError.NOT_A_CAPTURE, 0, "not a capture file: only " + got + " bytes");
    }
    int magic = ByteAccess.getInt(ByteBuffer.wrap(magicBytes), 0);
    if (magic == PcapngReader.SECTION_HEADER) {
      format = CaptureFormat.PCAPNG;
      reader = new PcapngReader(input);
    } else if (PcapReader.recognises(magic)) {
      format = CaptureFormat.PCAP;
      reader = new PcapReader(input, magic);
    } else {
      throw new CaptureFileException(
          CaptureFileError.NOT_A_CAPTURE,
          0,
          "not a capture file: unknown magic 0x" + String.format("%08x", magic));
    }
  }

  /**
   * Opens {@code file} and reads its file or section header.
   *
   * @param file a pcap or pcapng file
   * @return a reader positioned at the first frame
   * @throws CaptureFileException if the file is not a capture
   * @throws IOException if the file cannot be read
   */
  public static CaptureReader open(Path file) throws IOException {
    InputStream stream = new BufferedInputStream(Files.newInputStream(file), 65_536);
    try {
      return new CaptureReader(stream);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /**
   * Reads a capture from {@code stream} (which it closes on {@link #close()}).
   *
   * @param stream the capture's bytes, from the start
   * @return a reader positioned at the first frame
   * @throws CaptureFileException if the stream is not a capture
   * @throws IOException if reading fails
   */
  public static CaptureReader open(InputStream stream) throws IOException {
    return new CaptureReader(stream);
  }

  /** {@return whether the file is classic pcap or pcapng} */
  public CaptureFormat format() {
    return format;
  }

  /**
   * Reads the next frame.
   *
   * @return the next frame, or null at the end of the file
   * @throws CaptureFileException if the file is truncated or corrupt at this point
   * @throws IOException if reading fails
   */
  public CapturedFrame next() throws IOException {
    return reader.next();
  }

  @Override
  public void close() throws IOException {
    input.stream().close();
  }
}
