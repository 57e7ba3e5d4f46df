package org.failover4j.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureReaderTest {

  private static final byte[] FIRST = {1, 2, 3, 4, 5};
  private static final byte[] SECOND = {9, 8, 7};

  static List<CapturedFrame> readAll(byte[] file) throws IOException {
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
      List<CapturedFrame> frames = new ArrayList<>();
      for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
        frames.add(f);
      }
      return frames;
    }
  }

  private static byte[] bytes(CapturedFrame frame) {
    byte[] out = new byte[frame.capturedLength()];
    frame.data().duplicate().get(out);
    return out;
  }

  private static byte[] pcapFile(Instant... timestamps) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET)) {
      writer.write(timestamps[0], FIRST);
      writer.write(timestamps[1], ByteBuffer.wrap(SECOND));
    }
    return out.toByteArray();
  }

  @Test
  void readsWhatPcapWriterWrote(@TempDir Path dir) throws IOException {
    Instant t0 = Instant.parse("2026-01-02T03:04:05.123456Z");
    Instant t1 = Instant.parse("2026-01-02T03:04:06Z");
    Path file = dir.resolve("two.pcap");
    try (PcapWriter writer = PcapWriter.create(file, LinkType.RAW)) {
      writer.write(t0, FIRST);
      writer.write(t1, SECOND);
    }
    try (CaptureReader reader = CaptureReader.open(file)) {
      assertEquals(CaptureFormat.PCAP, reader.format());
      CapturedFrame first = reader.next();
      assertEquals(1, first.number());
      assertEquals(t0, first.timestamp());
      assertEquals(LinkType.RAW.code(), first.linkType());
      assertEquals(0, first.interfaceId());
      assertEquals(5, first.originalLength());
      assertArrayEquals(FIRST, bytes(first));
      CapturedFrame second = reader.next();
      assertEquals(2, second.number());
      assertEquals(t1, second.timestamp());
      assertArrayEquals(SECOND, bytes(second));
      assertNull(reader.next());
      assertNull(reader.next());
    }
  }

  @Test
  void readsBigEndianNanosecondPcap() throws IOException {
    ByteBuffer file = ByteBuffer.allocate(24 + 16 + 3).order(ByteOrder.BIG_ENDIAN);
    file.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    file.putInt(65535).putInt(0x1000_0000 | 113); // FCS flag bits above the link type
    file.putInt(1_700_000_000).putInt(999_999_999).putInt(3).putInt(60).put(SECOND);
    List<CapturedFrame> frames = readAll(file.array());
    assertEquals(1, frames.size());
    assertEquals(Instant.ofEpochSecond(1_700_000_000, 999_999_999), frames.get(0).timestamp());
    assertEquals(LinkType.LINUX_SLL.code(), frames.get(0).linkType());
    assertEquals(60, frames.get(0).originalLength());
    assertArrayEquals(SECOND, bytes(frames.get(0)));
  }

  @Test
  void readsPcapngSectionsInterfacesAndPacketBlocks() throws IOException {
    byte[] file =
        new CaptureBytes()
            .section(ByteOrder.LITTLE_ENDIAN)
            .iface(1, 0, 9) // Ethernet, nanoseconds
            .other(4, 8) // name resolution: skipped
            .iface(101, 0, -1) // raw IP, default microseconds
            .enhanced(0, 1_700_000_000_123_456_789L, FIRST, 64)
            .enhanced(1, 1_700_000_001_000_001L, SECOND, 3)
            .other(5, 24) // interface statistics: skipped
            .section(ByteOrder.BIG_ENDIAN) // a new section forgets the interfaces
            .iface(276, 4, 0x80 | 20) // SLL2, 2^-20 s, snap length 4
            .simple(FIRST)
            .bytes();
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
      assertEquals(CaptureFormat.PCAPNG, reader.format());
    }
    List<CapturedFrame> frames = readAll(file);
    assertEquals(3, frames.size());
    CapturedFrame a = frames.get(0);
    assertEquals(1, a.number());
    assertEquals(1, a.linkType());
    assertEquals(64, a.originalLength());
    assertEquals(Instant.ofEpochSecond(1_700_000_000, 123_456_789), a.timestamp());
    assertArrayEquals(FIRST, bytes(a));
    CapturedFrame b = frames.get(1);
    assertEquals(1, b.interfaceId());
    assertEquals(101, b.linkType());
    assertEquals(Instant.ofEpochSecond(1_700_000_001, 1_000), b.timestamp());
    CapturedFrame c = frames.get(2);
    assertEquals(3, c.number());
    assertEquals(276, c.linkType());
    assertEquals(5, c.originalLength());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, bytes(c), "cut to the interface's snap length");
  }

  @Test
  void binaryTimestampResolutionKeepsNanosecondPrecision() throws IOException {
    long units = (5L << 20) + (1L << 19); // 5.5 s in 2^-20 s units
    byte[] file =
        new CaptureBytes()
            .section(ByteOrder.LITTLE_ENDIAN)
            .iface(1, 0, 0x80 | 20)
            .enhanced(0, units, FIRST, 5)
            .bytes();
    assertEquals(Instant.ofEpochSecond(5, 500_000_000), readAll(file).get(0).timestamp());
  }

  @Test
  void somethingElseIsNotACapture(@TempDir Path dir) throws IOException {
    for (byte[] content :
        List.of(
            new byte[0],
            new byte[] {(byte) 0xa1, (byte) 0xb2},
            "hello, this is text\n".getBytes(StandardCharsets.US_ASCII),
            // A pcapng section header type whose byte-order magic is wrong.
            new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4})) {
      Path file = dir.resolve("not-a-capture");
      Files.write(file, content);
      CaptureFileException e =
          assertThrows(CaptureFileException.class, () -> CaptureReader.open(file));
      assertEquals(CaptureFileError.NOT_A_CAPTURE, e.error());
      assertEquals(CaptureFileError.NOT_A_CAPTURE, e.reason());
    }
  }

  @Test
  void everyPrefixOfAFileReadsItsWholeFramesThenEndsOrReportsTruncation() throws IOException {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    CaptureBytes pcapng =
        new CaptureBytes()
            .section(ByteOrder.BIG_ENDIAN)
            .iface(1, 0, -1)
            .enhanced(0, 7, FIRST, 5)
            .other(5, 8)
            .simple(SECOND);
    List<Integer> pcapngEnds = pcapng.blockEnds();
    // Frames end with the third and fifth block; every block end is a clean place to stop.
    check(pcapng.bytes(), pcapngEnds, List.of(pcapngEnds.get(2), pcapngEnds.get(4)));
    List<Integer> pcapEnds = List.of(24, 24 + 16 + 5, 24 + 16 + 5 + 16 + 3);
    check(pcapFile(t, t), pcapEnds, pcapEnds.subList(1, 3));
  }

  private static void check(byte[] file, List<Integer> cleanEnds, List<Integer> frameEnds)
      throws IOException {
    for (int cut = 0; cut <= file.length; cut++) {
      byte[] prefix = java.util.Arrays.copyOf(file, cut);
      int whole = cut;
      int complete = (int) frameEnds.stream().filter(end -> end <= whole).count();
      List<CapturedFrame> frames = new ArrayList<>();
      try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(prefix))) {
        for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
          frames.add(f);
        }
        assertTrue(cleanEnds.contains(cut), "cut " + cut + " read as a clean end");
      } catch (CaptureFileException e) {
        assertTrue(!cleanEnds.contains(cut), "cut " + cut + ": " + e.getMessage());
        CaptureFileError expected =
            cut < 4 ? CaptureFileError.NOT_A_CAPTURE : CaptureFileError.TRUNCATED;
        assertEquals(expected, e.error(), "cut " + cut + ": " + e.getMessage());
      }
      assertEquals(complete, frames.size(), "frames before cut " + cut);
    }
  }

  @Test
  void corruptBlocksAreReportedAsCorrupt() {
    byte[] badTrailer = new CaptureBytes().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1).bytes();
    badTrailer[badTrailer.length - 1] = 9;
    byte[] unknownInterface =
        new CaptureBytes().section(ByteOrder.LITTLE_ENDIAN).enhanced(3, 0, FIRST, 5).bytes();
    byte[] unalignedLength =
        new CaptureBytes()
            .section(ByteOrder.LITTLE_ENDIAN)
            .raw(new byte[] {6, 0, 0, 0, 13, 0, 0, 0})
            .bytes();
    byte[] packetLongerThanBlock =
        new CaptureBytes()
            .section(ByteOrder.LITTLE_ENDIAN)
            .iface(1, 0, -1)
            .block(6, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 99).array())
            .bytes();
    ByteBuffer hugeRecord = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    hugeRecord.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putLong(0);
    hugeRecord.putInt(65535).putInt(1).putLong(0).putInt(-1).putInt(-1);
    for (byte[] file :
        List.of(
            badTrailer,
            unknownInterface,
            unalignedLength,
            packetLongerThanBlock,
            hugeRecord.array())) {
      CaptureFileException e = assertThrows(CaptureFileException.class, () -> readAll(file));
      assertEquals(CaptureFileError.CORRUPT, e.error(), e.getMessage());
    }
  }

  @Test
  void truncationDetailSaysWhereAndHowMuch() throws IOException {
    Instant t = Instant.EPOCH;
    byte[] file = pcapFile(t, t);
    byte[] cut = java.util.Arrays.copyOf(file, file.length - 1);
    CaptureFileException e = assertThrows(CaptureFileException.class, () -> readAll(cut));
    assertEquals(CaptureFileError.TRUNCATED, e.error());
    assertEquals(24 + 16 + 5 + 16, e.offset());
    assertTrue(e.detail().contains("2 bytes, need 3"), e.detail());
  }

  @Test
  void randomBytesAfterAValidHeaderNeverEscapeAsOtherExceptions() throws IOException {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] pcapHeader = java.util.Arrays.copyOf(pcapFile(Instant.EPOCH, Instant.EPOCH), 24);
    byte[] pcapngHeader =
        new CaptureBytes().section(ByteOrder.LITTLE_ENDIAN).iface(1, 0, 9).bytes();
    for (int i = 0; i < 10_000; i++) {
      byte[] head = random.nextBoolean() ? pcapHeader : pcapngHeader;
      byte[] tail = new byte[random.nextInt(200)];
      random.nextBytes(tail);
      if (tail.length >= 8 && random.nextBoolean()) {
        // Plausible small block and record lengths get past the first checks more often.
        tail[4] = (byte) (random.nextInt(12) * 4 + 12);
        tail[5] = tail[6] = tail[7] = 0;
        tail[0] = (byte) random.nextInt(8);
        tail[1] = tail[2] = tail[3] = 0;
      }
      byte[] file = new byte[head.length + tail.length];
      System.arraycopy(head, 0, file, 0, head.length);
      System.arraycopy(tail, 0, file, head.length, tail.length);
      try {
        readAll(file);
      } catch (CaptureFileException expected) {
        // fine: typed
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ", case " + i, e);
      }
    }
  }
}
