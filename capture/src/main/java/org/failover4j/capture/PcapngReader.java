package org.failover4j.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.ByteAccess;

/**
 * pcapng: blocks of type, total length, body and the total length again; section headers set the
 * byte order, interface descriptions the link type and timestamp resolution of the packets that
 * name them. Enhanced, simple and obsolete packet blocks become frames; other blocks are skipped.
 */
final class PcapngReader implements FormatReader {

  static final int SECTION_HEADER = 0x0a0d0d0a;
  private static final int PCAPNG_SECTION_HEADER = SECTION_HEADER;
  private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  private static final int PCAPNG_INTERFACE_DESCRIPTION = 1;
  private static final int PCAPNG_OBSOLETE_PACKET = 2;
  private static final int PCAPNG_SIMPLE_PACKET = 3;
  private static final int PCAPNG_ENHANCED_PACKET = 6;

  /** Type and total length before the body, total length after it. */
  private static final int PCAPNG_BLOCK_OVERHEAD = 12;

  /** The longest block body read into memory: a maximal frame plus generous room for options. */
  private static final int PCAPNG_MAX_READ_BODY = CaptureReader.MAX_FRAME_LENGTH + 65_536;

  private static final int OPTION_END = 0;
  private static final int OPTION_IF_TSRESOL = 9;
  private static final int OPTION_IF_TSOFFSET = 14;

  private final CaptureInput input;
  private final byte[] header = new byte[32];
  private final ByteBuffer headerBytes = ByteBuffer.wrap(header);
  private ByteOrder order;

  /** The interfaces of the current section. */
  private final List<Interface> interfaces = new ArrayList<>();

  private record Interface(
      int linkType, long snapLength, long unitsPerSecond, long offsetSeconds) {}

  /** Reads the first section header, whose block type (the file's magic) was read already. */
  PcapngReader(CaptureInput input) throws IOException {
    this.input = input;
    readFirstSectionHeader();
  }

  @Override
  public CapturedFrame next() throws IOException {
    while (true) {
      long start = input.position();
      int got = input.readUpTo(header, 0, 8);
      if (got == 0) {
        return null;
      }
      if (got < 8) {
        throw input.truncated(start, "block header", got, 8);
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
        input.skipExactly(bodyLength, "block of type " + type);
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
      input.readExactly(body, 0, body.length, "block of type " + type);
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
    if (captured > body - dataOffset || captured > CaptureReader.MAX_FRAME_LENGTH) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT,
          start,
          "packet of " + captured + " bytes does not fit its " + body + "-byte block");
    }
    Instant timestamp = timestamp(iface, (tsHigh << 32) | tsLow);
    byte[] data = new byte[(int) captured];
    b.get(dataOffset, data, 0, data.length);
    return input.frame(timestamp, interfaceId, iface.linkType(), original, data);
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
    return CaptureInput.instant(seconds, iface.offsetSeconds(), nanos);
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
    int got = input.readUpTo(header, 0, 4);
    if (got < 4) {
      throw input.truncated(0, "section header", 4 + got, 12);
    }
    readSectionHeaderAfterTypeAndLength(0, true);
  }

  /** Reads a section header block whose type and total length (in header[0..4]) are consumed. */
  private void readSectionHeaderAfterTypeAndLength(long start, boolean first) throws IOException {
    int got = input.readUpTo(header, 4, 4);
    if (got < 4) {
      throw input.truncated(start, "section header", 8 + got, 12);
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
    input.readExactly(header, 8, 4, "section header");
    int major = ByteAccess.getU16(headerBytes, 8, order);
    if (major != 1) {
      throw new CaptureFileException(
          CaptureFileError.CORRUPT, start, "unsupported pcapng version " + major);
    }
    // Section length and options: nothing here is needed.
    input.skipExactly(total - 16 - 4, "section header");
    readTrailer(start, total);
    interfaces.clear();
  }

  private void readTrailer(long start, long total) throws IOException {
    input.readExactly(header, 0, 4, "block trailer");
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
}
