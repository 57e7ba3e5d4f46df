package org.failover4j.capture;

/** The file formats {@link CaptureReader} understands. */
public enum CaptureFormat {
  /** Classic libpcap format, microsecond or nanosecond timestamps, either byte order. */
  PCAP,
  /** pcapng: sections, interfaces with their own link types and timestamp resolutions. */
  PCAPNG
}
