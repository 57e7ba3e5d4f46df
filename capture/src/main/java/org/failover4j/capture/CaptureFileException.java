package org.failover4j.capture;

import org.failover4j.api.MalformedPacketException;

/**
 * A capture file could not be read any further: it is not a capture, it is truncated, or it is
 * corrupt. Frames returned before this was thrown are complete and valid.
 */
public final class CaptureFileException extends MalformedPacketException {

  private static final long serialVersionUID = 1L;

  /** What kind of problem it is. */
  private final CaptureFileError error;

  /** Where in the file it was found. */
  private final long offset;

  /**
   * A problem of kind {@code error} found at byte {@code offset} of the file.
   *
   * @param error the kind of problem
   * @param offset the byte offset in the file
   * @param detail what was wrong, for the message
   */
  public CaptureFileException(CaptureFileError error, long offset, String detail) {
    super(error, detail + " (at byte " + offset + ")");
    this.error = error;
    this.offset = offset;
  }

  /** {@return what kind of problem it is} */
  public CaptureFileError error() {
    return error;
  }

  /** {@return the byte offset in the file where the problem was found} */
  public long offset() {
    return offset;
  }
}
