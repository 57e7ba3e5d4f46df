package org.failover4j.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The bytes of a capture file as its format readers consume them: the position (for error
 * messages), exact reads that report truncation, and the frames' numbering.
 */
final class CaptureInput {

  private final InputStream in;
  private long position;
  private long frameNumber;

  CaptureInput(InputStream in) {
    this.in = in;
  }

  /** {@return the offset in the file of the next byte to read} */
  long position() {
    return position;
  }

  /** {@return how many frames were returned so far} */
  long framesRead() {
    return frameNumber;
  }

  InputStream stream() {
    return in;
  }

  CapturedFrame frame(
      Instant timestamp, int interfaceId, int linkType, long original, byte[] data) {
    frameNumber++;
    int originalLength = (int) Math.min(original, Integer.MAX_VALUE);
    ByteBuffer view = ByteBuffer.wrap(data).asReadOnlyBuffer();
    return new CapturedFrame(frameNumber, timestamp, interfaceId, linkType, originalLength, view);
  }

  CaptureFileException truncated(long start, String what, int got, int need) {
    return new CaptureFileException(
        CaptureFileError.TRUNCATED,
        start,
        "truncated " + what + ": " + got + " bytes, need " + need);
  }

  void readExactly(byte[] into, int offset, int length, String what) throws IOException {
    long start = position;
    int got = readUpTo(into, offset, length);
    if (got < length) {
      throw truncated(start, what, got, length);
    }
  }

  int readUpTo(byte[] into, int offset, int length) throws IOException {
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

  void skipExactly(long length, String what) throws IOException {
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

  /** Seconds (unsigned) plus an offset, saturated to what {@link Instant} can hold. */
  static Instant instant(long unsignedSeconds, long offsetSeconds, long nanos) {
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
}
