package org.failover4j.capture;

import org.failover4j.api.DropReason;

/** What is wrong with a capture file, as a {@link CaptureFileException} reports it. */
public enum CaptureFileError implements DropReason {
  /** The file does not start with a pcap or pcapng magic number (or is empty). */
  NOT_A_CAPTURE,
  /** The file ends in the middle of a header, record or block. */
  TRUNCATED,
  /**
   * A header, record or block contradicts itself: lengths that do not add up, an unknown interface.
   */
  CORRUPT
}
