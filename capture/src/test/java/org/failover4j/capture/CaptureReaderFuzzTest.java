package org.failover4j.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Any bytes given to the capture reader, and every frame it returns given to {@link IpPacket} and
 * {@link UdpDatagram}, end in frames or a {@link CaptureFileException}: never another exception.
 */
class CaptureReaderFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void readsAnyBytes(byte[] file) throws IOException {
    IpPacket packet = new IpPacket();
    UdpDatagram udp = new UdpDatagram();
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        if (packet.wrapFrame(frame)) {
          packet.source();
          packet.destination();
          if (packet.payloadOffset() + packet.payloadLength() > frame.data().limit()) {
            throw new AssertionError("payload beyond the frame in frame " + frame.number());
          }
          if (udp.wrap(packet)
              && udp.payloadOffset() + udp.payloadLength() > frame.data().limit()) {
            throw new AssertionError("UDP payload beyond the frame in frame " + frame.number());
          }
        }
      }
    } catch (CaptureFileException expected) {
      // typed: fine
    }
  }
}
