/**
 * Reading packet captures: classic pcap and pcapng files ({@link CaptureReader}), the IP packet
 * inside a captured frame ({@link IpPacket}, {@link UdpDatagram}), and a small classic-pcap writer
 * ({@link PcapWriter}) for tests and tools that produce captures of their own.
 *
 * <p>Pure Java with no dependencies. A file that is not a capture, or that ends in the middle of a
 * record, raises a {@link CaptureFileException} whose {@link CaptureFileError} says which; frames
 * read before the problem stay valid.
 */
package org.failover4j.capture;
