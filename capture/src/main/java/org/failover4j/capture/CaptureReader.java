package org.failover4j.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class CaptureReader implements Closeable {

  /** The longest frame accepted, as libpcap's own limit for most link types (256 KiB). */
  public static final int MAX_FRAME_LENGTH = 262_144;

  private static final int PCAP_MAGIC_MICROS = 0xa1b2c3d4;
  private static final int PCAP_MAGIC_NANOS = 0xa1b23c4d;
  private static final int PCAP_FILE_HEADER_LENGTH = 24;
  private static final int PCAP_RECORD_HEADER_LENGTH = 16;

  private static final int PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
  private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  private static final int PCAPNG_INTERFACE_DESCRIPTION = 1;
  private static final int PCAPNG_OBSOLETE_PACKET = 2;
  private static final int PCAPNG_SIMPLE_PACKET = 3;
  private static final int PCAPNG_ENHANCED_PACKET = 6;

  /** Type and total length before the body, total length after it. */
  private static final int PCAPNG_BLOCK_OVERHEAD = 12;

  /** The longest block body read into memory: a maximal frame plus generous room for options. */
  private static final int PCAPNG_MAX_READ_BODY = MAX_FRAME_LENGTH + 65_536;

  private static final int OPTION_END = 0;
  private static final int OPTION_IF_TSRESOL = 9;
  private static final int OPTION_IF_TSOFFSET = 14;

  private final InputStream in;
  private final CaptureFormat format;
  private final byte[] header = new byte[32];
  private final ByteBuffer headerBytes = ByteBuffer.wrap(header);
  private long position;
  private long frameNumber;
  private ByteOrder order;

  // Classic pcap
  private boolean nanosecondTimestamps;
  private int pcapLinkType;

  // pcapng: the interfaces of the current section
  private final List<Interface> interfaces = new ArrayList<>();

  private record Interface(
      int linkType, long snapLength, long unitsPerSecond, long offsetSeconds) {}

  private CaptureReader(InputStream in) throws IOException {
    this.in = in;
    int got = readUpTo(header, 0, 4);
    if (got < 4) {
      throw new CaptureFileException(
          CaptureFileError.NOT_A_CAPTURE, 0, "not a capture file: only " + got + " bytes");
    }
    int magic = ByteAccess.getInt(headerBytes, 0);
    if (magic == PCAPNG_SECTION_HEADER) {
      format = CaptureFormat.PCAPNG;
      readFirstSectionHeader();
    } else if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic))) {
      format = CaptureFormat.PCAP;
      order = isPcapMagic(magic) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      int m = isPcapMagic(magic) ? magic : Integer.reverseBytes(magic);
      nanosecondTimestamps = m == PCAP_MAGIC_NANOS;
      readExactly(header, 4, PCAP_FILE_HEADER_LENGTH - 4, "pcap file header");
      int major = ByteAccess.getU16(headerBytes, 4, order);
      if (major != 2) {
        throw new CaptureFileException(
            CaptureFileError.CORRUPT,
            4,
            "unsupported pcap version " + major + "." + ByteAccess.getU16(headerBytes, 6, order));
      }
      // The upper bits carry the FCS length flags; the link type is the low 16 bits.
      pcapLinkType = ByteAccess.getInt(headerBytes, 20, order) & 0xFFFF;
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
    return format == CaptureFormat.PCAP ? nextPcapRecord() : nextPcapngPacket();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private CapturedFrame nextPcapRecord() throws IOException {
    long start = position;
    int got = readUpTo(header, 0, PCAP_RECORD_HEADER_LENGTH);
    if (got == 0) {
      return null;
    }
    if (got < PCAP_RECORD_HEADER_LENGTH) {
      throw truncated(start, "record header", got, PCAP_RECORD_HEADER_LENGTH);
    }
    long seconds = ByteAccess.getU32(headerBytes, 0, order);
    long fraction = ByteAccess.getU32(headerBytes, 4, order);
    long captured = ByteAccess.getU32(headerBytes, 8, order);
    long original = ByteAccess.getU32(headerBytes, 12, order);
    if (captured > MAX_FRAME_LENGTH) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "record of " + captured + " bytes exceeds the " + MAX_FRAME_LENGTH + "-byte limit");
    }
    byte[] data = new byte[(int) captured];
    readExactly(data, 0, data.length, "frame " + (frameNumber + 1));
    Instant timestamp = instant(seconds, 0, nanosecondTimestamps ? fraction : fraction * 1_000);
    return frame(timestamp, 0, pcapLinkType, original, data);
  }

  private CapturedFrame nextPcapngPacket() throws IOException {
    while (true) {
      long start = position;
      int got = readUpTo(header, 0, 8);
      if (got == 0) {
        return null;
      }
      if (got < 8) {
        throw truncated(start, "block header", got, 8);
      }
      int type = ByteAccess.getInt(headerBytes, 0, order);
      if (type == PCAPNG_SECTION_HEADER) {
        // The total length that follows is in the new section's byte order: re-read it there.
        System.arraycopy(header, 4, header, 0, 4);
        readSectionHeaderAfterTypeAndLength(start, false);
        continue;
      }
      long total = ByteAccess.getU32(headerBytes, 4, order);
      if (total < PCAPNG_BLOCK_OVERHEAD || total % 4 != 0) {
        throw new CaptureFileException(
            CaptureFileError.CORRUPT, start, "block length " + total + " is not a valid length");
      }
      long bodyLength = total - PCAPNG_BLOCK_OVERHEAD;
      boolean packet =
          type == PCAPNG_ENHANCED_PACKET
              || type == PCAPNG_SIMPLE_PACKET
              || type == PCAPNG_OBSOLETE_PACKET;
      if (!packet && type != PCAPNG_INTERFACE_DESCRIPTION) {
        skipExactly(bodyLength, "block of type " + type);
        readTrailer(start, total);
        continue;
      }
      if (bodyLength > PCAPNG_MAX_READ_BODY) {
        throw new CaptureFileException(
            CaptureFileError.CORRUPT,
            start,
            "block of " + total + " bytes exceeds the " + PCAPNG_MAX_READ_BODY + "-byte limit");
      }
      byte[] body = new byte[(int) bodyLength];
      readExactly(body, 0, body.length, "block of type " + type);
      readTrailer(start, total);
      ByteBuffer b = ByteBuffer.wrap(body);
      if (type == PCAPNG_INTERFACE_DESCRIPTION) {
        interfaces.add(interfaceDescription(b, start));
        continue;
      }
      return packetBlock(type, b, start);
    }
  }

  private CapturedFrame packetBlock(int type, ByteBuffer b, long start) {
    int body = b.capacity();
    int interfaceId;
    long tsHigh = 0;
    long tsLow = 0;
    long captured;
    long original;
    int dataOffset;
    if (type == PCAPNG_SIMPLE_PACKET) {
      requireBody(body, 4, "simple packet block", start);
      interfaceId = 0;
      original = ByteAccess.getU32(b, 0, order);
      dataOffset = 4;
      captured = Math.min(original, body - 4L);
    } else if (type == PCAPNG_ENHANCED_PACKET) {
      requireBody(body, 20, "enhanced packet block", start);
      long id = ByteAccess.getU32(b, 0, order);
      interfaceId = id > Integer.MAX_VALUE ? -1 : (int) id;
      tsHigh = ByteAccess.getU32(b, 4, order);
      tsLow = ByteAccess.getU32(b, 8, order);
      captured = ByteAccess.getU32(b, 12, order);
      original = ByteAccess.getU32(b, 16, order);
      dataOffset = 20;
    } else {
      requireBody(body, 20, "packet block", start);
      interfaceId = ByteAccess.getU16(b, 0, order);
      tsHigh = ByteAccess.getU32(b, 4, order);
      tsLow = ByteAccess.getU32(b, 8, order);
      captured = ByteAccess.getU32(b, 12, order);
      original = ByteAccess.getU32(b, 16, order);
      dataOffset = 20;
    }
    if (interfaceId < 0 || interfaceId >= interfaces.size()) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "packet names interface " + interfaceId + " but " + interfaces.size() + " are described");
    }
    Interface iface = interfaces.get(interfaceId);
    if (type == PCAPNG_SIMPLE_PACKET && iface.snapLength() > 0) {
      captured = Math.min(captured, iface.snapLength());
    }
    if (captured > body - dataOffset || captured > MAX_FRAME_LENGTH) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "packet of " + captured + " bytes does not fit its " + body + "-byte block");
    }
    Instant timestamp = timestamp(iface, (tsHigh << 32) | tsLow);
    byte[] data = new byte[(int) captured];
    b.get(dataOffset, data, 0, data.length);
    return frame(timestamp, interfaceId, iface.linkType(), original, data);
  }

  private Interface interfaceDescription(ByteBuffer b, long start) {
    requireBody(b.capacity(), 8, "interface description block", start);
    int linkType = ByteAccess.getU16(b, 0, order);
    long snapLength = ByteAccess.getU32(b, 4, order);
    long unitsPerSecond = 1_000_000;
    long offsetSeconds = 0;
    int p = 8;
    // Each option takes at least 4 bytes, so this loop ends within the body.
    while (p + 4 <= b.capacity()) {
      int code = ByteAccess.getU16(b, p, order);
      int length = ByteAccess.getU16(b, p + 2, order);
      if (code == OPTION_END) {
        break;
      }
      int value = p + 4;
      if (value + length > b.capacity()) {
        throw new CaptureFileException(
            CaptureFileError.CORRUPT, start, "interface option " + code + " overruns its block");
      }
      if (code == OPTION_IF_TSRESOL && length >= 1) {
        unitsPerSecond = unitsPerSecond(b.get(value), start);
      } else if (code == OPTION_IF_TSOFFSET && length >= 8) {
        offsetSeconds = ByteAccess.getLong(b, value, order);
      }
      p = value + ((length + 3) & ~3);
    }
    return new Interface(linkType, snapLength, unitsPerSecond, offsetSeconds);
  }

  /** if_tsresol: the high bit picks a power of 2, else a power of 10, of units per second. */
  private static long unitsPerSecond(byte resolution, long start) {
    int exponent = resolution & 0x7F;
    boolean binary = (resolution & 0x80) != 0;
    if (binary ? exponent > 62 : exponent > 18) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "timestamp resolution " + (binary ? "2^-" : "10^-") + exponent + " is out of range");
    }
    if (binary) {
      return 1L << exponent;
    }
    long units = 1;
    for (int i = 0; i < exponent; i++) {
      units *= 10;
    }
    return units;
  }

  private static Instant timestamp(Interface iface, long units) {
    long perSecond = iface.unitsPerSecond();
    long seconds = Long.divideUnsigned(units, perSecond);
    long remainder = Long.remainderUnsigned(units, perSecond);
    // remainder * 1e9 / perSecond without overflow: remainder < perSecond <= 10^18 or 2^62.
    long nanos;
    if (perSecond <= 1_000_000_000L && 1_000_000_000L % perSecond == 0) {
      nanos = remainder * (1_000_000_000L / perSecond);
    } else {
      long high = Math.multiplyHigh(remainder, 1_000_000_000L);
      long low = remainder * 1_000_000_000L;
      nanos = divide128(high, low, perSecond);
    }
    return instant(seconds, iface.offsetSeconds(), nanos);
  }

  /** Seconds (unsigned) plus an offset, saturated to what {@link Instant} can hold. */
  private static Instant instant(long unsignedSeconds, long offsetSeconds, long nanos) {
    long max = Instant.MAX.getEpochSecond();
    long min = Instant.MIN.getEpochSecond();
    if (Long.compareUnsigned(unsignedSeconds, max) > 0) {
      return Instant.MAX;
    }
    long seconds = unsignedSeconds + offsetSeconds; // both below 2^63 in magnitude: no overflow
    if (offsetSeconds > 0 && seconds < unsignedSeconds) {
      return Instant.MAX;
    }
    if (seconds > max || (seconds == max && nanos > 0)) {
      return Instant.MAX;
    }
    return seconds < min ? Instant.MIN : Instant.ofEpochSecond(seconds, nanos);
  }

  /** (high:low) / divisor for a quotient known to fit in 63 bits, by long division on bits. */
  private static long divide128(long high, long low, long divisor) {
    long quotient = 0;
    long rest = high;
    for (int bit = 63; bit >= 0; bit--) {
      rest = (rest << 1) | ((low >>> bit) & 1);
      quotient <<= 1;
      if (Long.compareUnsigned(rest, divisor) >= 0) {
        rest -= divisor;
        quotient |= 1;
      }
    }
    return quotient;
  }

  /** The file's first block, whose type was the magic number just read. */
  private void readFirstSectionHeader() throws IOException {
    int got = readUpTo(header, 0, 4);
    if (got < 4) {
      throw truncated(0, "section header", 4 + got, 12);
    }
    readSectionHeaderAfterTypeAndLength(0, true);
  }

  /** Reads a section header block whose type and total length (in header[0..4]) are consumed. */
  private void readSectionHeaderAfterTypeAndLength(long start, boolean first) throws IOException {
    int got = readUpTo(header, 4, 4);
    if (got < 4) {
      throw truncated(start, "section header", 8 + got, 12);
    }
    int magic = ByteAccess.getInt(headerBytes, 4);
    if (magic == PCAPNG_BYTE_ORDER_MAGIC) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (Integer.reverseBytes(magic) == PCAPNG_BYTE_ORDER_MAGIC) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      throw new CaptureFileException(
          first ? CaptureFileError.NOT_A_CAPTURE : CaptureFileError.CORRUPT,
          start,
          "pcapng section header without its byte-order magic");
    }
    long total = ByteAccess.getU32(headerBytes, 0, order);
    if (total < 28 || total % 4 != 0) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT, start, "section header length " + total + " is not valid");
    }
    readExactly(header, 8, 4, "section header");
    int major = ByteAccess.getU16(headerBytes, 8, order);
    if (major != 1) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT, start, "unsupported pcapng version " + major);
    }
    // Section length and options: nothing here is needed.
    skipExactly(total - 16 - 4, "section header");
    readTrailer(start, total);
    interfaces.clear();
  }

  private void readTrailer(long start, long total) throws IOException {
    readExactly(header, 0, 4, "block trailer");
    long trailer = ByteAccess.getU32(headerBytes, 0, order);
    if (trailer != total) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "block length " + total + " does not match its trailing copy " + trailer);
    }
  }

  private static void requireBody(int body, int need, String what, long start) {
    if (body < need) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          what + " of " + body + " body bytes, need at least " + need);
    }
  }

  private CapturedFrame frame(
      Instant timestamp, int interfaceId, int linkType, long original, byte[] data) {
    frameNumber++;
    int originalLength = (int) Math.min(original, Integer.MAX_VALUE);
    ByteBuffer view = ByteBuffer.wrap(data).asReadOnlyBuffer();
    return new CapturedFrame(frameNumber, timestamp, interfaceId, linkType, originalLength, view);
  }

  private static boolean isPcapMagic(int magic) {
    return magic == PCAP_MAGIC_MICROS || magic == PCAP_MAGIC_NANOS;
  }

  private CaptureFileException truncated(long start, String what, int got, int need) {
    return new CaptureFileException(
        CaptureFileError.TRUNCATED,
        start,
        "truncated " + what + ": " + got + " bytes, need " + need);
  }

  private void readExactly(byte[] into, int offset, int length, String what) throws IOException {
    long start = position;
    int got = readUpTo(into, offset, length);
    if (got < length) {
      throw truncated(start, what, got, length);
    }
  }

  private int readUpTo(byte[] into, int offset, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n = in.read(into, offset + total, length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    position += total;
    return total;
  }

  private void skipExactly(long length, String what) throws IOException {
    long start = position;
    long left = length;
    while (left > 0) {
      long n = in.skip(left);
      if (n <= 0) {
        // skip() may return 0 before the end; read() tells the end apart.
        if (in.read() < 0) {
          position = start + (length - left);
          throw new CaptureFileException(
              CaptureFileError.TRUNCATED,
              start,
              "truncated " + what + ": " + (length - left) + " bytes, need " + length);
        }
        n = 1;
      }
      left -= n;
    }
    position = start + length;
  }
}
