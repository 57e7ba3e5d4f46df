package org.failover4j.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.failover4j.api.ByteAccess;

/**
 * Classic pcap: a 24-byte file header (magic {@code a1b2c3d4} for microseconds or {@code a1b23c4d}
 * for nanoseconds, in the writer's byte order), then records of a 16-byte header and the captured
 * bytes.
 */
final class PcapReader implements FormatReader {

  static final int MAGIC_MICROS = 0xa1b2c3d4;
  static final int MAGIC_NANOS = 0xa1b23c4d;
  private static final int PCAP_FILE_HEADER_LENGTH = 24;
  private static final int PCAP_RECORD_HEADER_LENGTH = 16;

  private final CaptureInput input;
  private final byte[] header = new byte[PCAP_FILE_HEADER_LENGTH];
  private final ByteBuffer headerBytes = ByteBuffer.wrap(header);
  private final ByteOrder order;
  private final boolean nanosecondTimestamps;
  private final int pcapLinkType;

  /** Reads the rest of the file header after its magic number {@code magic} (as read). */
  PcapReader(CaptureInput input, int magic) throws IOException {
    this.input = input;
    order = isMagic(magic) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int m = isMagic(magic) ? magic : Integer.reverseBytes(magic);
    nanosecondTimestamps = m == MAGIC_NANOS;
    input.readExactly(header, 4, PCAP_FILE_HEADER_LENGTH - 4, "pcap file header");
    int major = ByteAccess.getU16(headerBytes, 4, order);
    if (major != 2) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          4,
          "unsupported pcap version " + major + "." + ByteAccess.getU16(headerBytes, 6, order));
    }
    // The upper bits carry the FCS length flags; the link type is the low 16 bits.
    pcapLinkType = ByteAccess.getInt(headerBytes, 20, order) & 0xFFFF;
  }

  /** {@return whether {@code magic}, in either byte order, is a classic pcap magic number} */
  static boolean recognises(int magic) {
    return isMagic(magic) || isMagic(Integer.reverseBytes(magic));
  }

  private static boolean isMagic(int magic) {
    return magic == MAGIC_MICROS || magic == MAGIC_NANOS;
  }

  @Override
  public CapturedFrame next() throws IOException {
    long start = input.position();
    int got = input.readUpTo(header, 0, PCAP_RECORD_HEADER_LENGTH);
    if (got == 0) {
      return null;
    }
    if (got < PCAP_RECORD_HEADER_LENGTH) {
      throw input.truncated(start, "record header", got, PCAP_RECORD_HEADER_LENGTH);
    }
    long seconds = ByteAccess.getU32(headerBytes, 0, order);
    long fraction = ByteAccess.getU32(headerBytes, 4, order);
    long captured = ByteAccess.getU32(headerBytes, 8, order);
    long original = ByteAccess.getU32(headerBytes, 12, order);
    if (captured > CaptureReader.MAX_FRAME_LENGTH) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "record of "
              + captured
              + " bytes exceeds the "
              + CaptureReader.MAX_FRAME_LENGTH
              + "-byte limit");
    }
    byte[] data = new byte[(int) captured];
    input.readExactly(data, 0, data.length, "frame " + (input.framesRead() + 1));
    Instant timestamp =
        CaptureInput.instant(seconds, 0, nanosecondTimestamps ? fraction : fraction * 1_000);
    return input.frame(timestamp, 0, pcapLinkType, original, data);
  }
}
