package org.failover4j.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Captures are read in the order each file announces, and packets in network order, whatever order
 * a {@link ByteBuffer} is set to.
 */
class CaptureByteOrderTest {

  /** Ethernet, IPv4 192.0.2.11 -> 198.51.100.7, TTL 64, a fragment at 8, UDP 8848 -> 8849. */
  private static final byte[] FRAME =
      HexFormat.of()
          .parseHex(
              "01005e00001200005e0001330800"
                  + "4500001e" // version, IHL, TOS, total length 30
                  + "abcd2001" // identification, more fragments, offset 1 (8 bytes)
                  + "40110000" // TTL 64, UDP, checksum
                  + "c000020b"
                  + "c6336407"
                  + "22902291000a0000" // UDP 8848 -> 8849, length 10
                  + "beef");

  @Test
  void anIpPacketReadsTheSameFromEveryBufferOrder() {
    String expected = null;
    for (boolean direct : new boolean[] {false, true}) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
        ByteBuffer b =
            direct ? ByteBuffer.allocateDirect(FRAME.length) : ByteBuffer.allocate(FRAME.length);
        b.order(order).put(0, FRAME);
        IpPacket packet = new IpPacket();
        assertTrue(packet.wrapFrame(LinkType.ETHERNET.code(), b));
        String fields =
            packet.version()
                + " "
                + packet.declaredLength()
                + " "
                + packet.protocol()
                + " "
                + packet.ttl()
                + " "
                + packet.fragmentOffset()
                + " "
                + packet.isFragment()
                + " "
                + packet.source().getHostAddress()
                + " "
                + packet.destination().getHostAddress();
        if (expected == null) {
          expected = fields;
          assertEquals("4 30 17 64 8 true 192.0.2.11 198.51.100.7", fields);
        }
        assertEquals(expected, fields, order + (direct ? " direct" : " heap"));
      }
    }
    // A non-first fragment carries no UDP header; the same frame as a first fragment does.
    byte[] first = FRAME.clone();
    first[14 + 6] = 0;
    first[14 + 7] = 0;
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      IpPacket packet = new IpPacket();
      assertTrue(packet.wrapFrame(LinkType.ETHERNET.code(), ByteBuffer.wrap(first).order(order)));
      UdpDatagram udp = new UdpDatagram();
      assertTrue(udp.wrap(packet), order.toString());
      assertEquals(8848, udp.sourcePort(), order.toString());
      assertEquals(8849, udp.destinationPort(), order.toString());
      assertEquals(10, udp.declaredLength(), order.toString());
      assertEquals(2, udp.payloadLength(), order.toString());
    }
  }

  @Test
  void aFrameReadsTheSameFromABigAndALittleEndianFile() throws IOException {
    Instant at = Instant.ofEpochSecond(1_700_000_000, 123_456_000);
    ByteArrayOutputStream little = new ByteArrayOutputStream();
    try (PcapWriter writer = new PcapWriter(little, LinkType.ETHERNET)) {
      writer.write(at, FRAME);
    }
    byte[] le = little.toByteArray();
    assertEquals("d4c3b2a1", HexFormat.of().formatHex(le, 0, 4), "the writer is little-endian");
    byte[] be = swapPcap(le);
    CapturedFrame fromLittle = only(le);
    CapturedFrame fromBig = only(be);
    for (CapturedFrame f : List.of(fromLittle, fromBig)) {
      assertEquals(at, f.timestamp());
      assertEquals(LinkType.ETHERNET.code(), f.linkType());
      assertEquals(FRAME.length, f.originalLength());
      byte[] data = new byte[f.data().remaining()];
      f.data().get(f.data().position(), data);
      assertArrayEquals(FRAME, data);
    }
    byte[] ngLittle =
        new CaptureBytes()
            .section(ByteOrder.LITTLE_ENDIAN)
            .iface(1, 0, 6)
            .enhanced(0, 42, FRAME, 64)
            .bytes();
    byte[] ngBig =
        new CaptureBytes()
            .section(ByteOrder.BIG_ENDIAN)
            .iface(1, 0, 6)
            .enhanced(0, 42, FRAME, 64)
            .bytes();
    CapturedFrame a = only(ngLittle);
    CapturedFrame b = only(ngBig);
    assertEquals(a.timestamp(), b.timestamp());
    assertEquals(Instant.ofEpochSecond(0, 42_000), b.timestamp());
    assertEquals(64, b.originalLength());
    assertEquals(a.data(), b.data());
  }

  /** The classic pcap file with every header field byte-swapped: the big-endian twin. */
  private static byte[] swapPcap(byte[] le) {
    ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
    out.putInt(in.getInt()).putShort(in.getShort()).putShort(in.getShort());
    for (int i = 0; i < 4; i++) {
      out.putInt(in.getInt());
    }
    while (in.hasRemaining()) {
      for (int i = 0; i < 3; i++) {
        out.putInt(in.getInt());
      }
      int length = in.getInt();
      out.putInt(length);
      byte[] data = new byte[length];
      in.get(data);
      out.put(data);
    }
    return out.array();
  }

  private static CapturedFrame only(byte[] file) throws IOException {
    List<CapturedFrame> frames = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
      for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
        frames.add(f);
      }
    }
    assertEquals(1, frames.size());
    return frames.get(0);
  }
}
