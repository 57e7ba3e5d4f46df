package org.failover4j.capture;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One frame of a capture file.
 *
 * @param number the frame's number in the file, from 1, as tshark counts ({@code frame.number})
 * @param timestamp when it was captured
 * @param interfaceId the pcapng interface it was captured on (0 in classic pcap)
 * @param linkType its LINKTYPE value (see {@link LinkType#of})
 * @param originalLength its length on the wire, which may exceed the captured bytes
 * @param data the captured bytes, read-only, position 0, limit the captured length
 */
public record CapturedFrame(
    long number,
    Instant timestamp,
    int interfaceId,
    int linkType,
    int originalLength,
    ByteBuffer data) {

  /** {@return the number of bytes captured} */
  public int capturedLength() {
    return data.remaining();
  }
}
