package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sync codec reads and writes network order (and the v0 sequence block in the order it is
 * configured with) whatever order the {@link ByteBuffer} is set to: messages written into
 * big-endian, little-endian, heap and direct buffers are byte for byte the same, and read back to
 * the same connections from each.
 */
class SyncByteOrderTest {

  private static final int OFFSET = 5;
  private static final int CAPACITY = 1500;

  @Test
  void everyBufferOrderWritesAndReadsTheSameMessage() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    RandomConnections generator = new RandomConnections(random);
    for (int i = 0; i < 2_000; i++) {
      String where = "seed " + seed + ", message " + i;
      SyncVersion version = random.nextBoolean() ? SyncVersion.V1 : SyncVersion.V0;
      ByteOrder sequenceOrder =
          random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      int syncId = random.nextInt(256);
      List<SyncConnection> connections = new ArrayList<>();
      for (int n = 1 + random.nextInt(10); n > 0; n--) {
        connections.add(generator.next(version, 1000 + n));
      }
      String expectedBytes = null;
      List<Object> expected = null;
      for (boolean direct : new boolean[] {false, true}) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
          ByteBuffer b =
              direct ? ByteBuffer.allocateDirect(CAPACITY) : ByteBuffer.allocate(CAPACITY);
          b.order(order);
          SyncMessageWriter writer =
              new SyncMessageWriter(version, sequenceOrder)
                  .begin(b, OFFSET, CAPACITY - OFFSET, syncId);
          for (SyncConnection c : connections) {
            if (!writer.add(c)) {
              break;
            }
          }
          byte[] bytes = new byte[writer.length()];
          b.get(OFFSET, bytes);
          String hex = HexFormat.of().formatHex(bytes);
          List<Object> read = read(b, OFFSET, bytes.length, sequenceOrder, syncId, version);
          if (expectedBytes == null) {
            expectedBytes = hex;
            expected = read;
            assertTrue(read.size() >= 1, where);
          }
          String what = where + ", " + order + (direct ? " direct" : " heap");
          assertEquals(expectedBytes, hex, what);
          assertEquals(expected, read, what);
        }
      }
    }
  }

  @Test
  void aBigEndianMessageReadsTheSameFromALittleEndianBuffer() {
    SyncConnection sent = new RandomConnections(new Random(11)).next(SyncVersion.V1, 4242);
    ByteBuffer big = ByteBuffer.allocate(CAPACITY);
    SyncMessageWriter writer = new SyncMessageWriter(SyncVersion.V1, ByteOrder.LITTLE_ENDIAN);
    writer.begin(big, 0, CAPACITY, 7).add(sent);
    ByteBuffer little = ByteBuffer.allocate(CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    little.put(0, big, 0, writer.length());
    List<Object> read =
        read(little, 0, writer.length(), ByteOrder.LITTLE_ENDIAN, 7, SyncVersion.V1);
    assertEquals(List.of(SyncRoundTripPropertyTest.asSent(SyncVersion.V1, sent)), read);
  }

  @Test
  void readingFromALittleEndianDirectBufferAllocatesNothing() {
    List<SyncConnection> connections = new ArrayList<>();
    RandomConnections generator = new RandomConnections(new Random(5));
    for (int i = 0; i < 20; i++) {
      connections.add(generator.next(SyncVersion.V1, 2000 + i));
    }
    ByteBuffer b = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    SyncMessageWriter writer = new SyncMessageWriter(SyncVersion.V1, ByteOrder.LITTLE_ENDIAN);
    SyncMessageReader reader = new SyncMessageReader();
    long[] sink = new long[1];
    writer.begin(b, 0, CAPACITY, 9);
    for (int i = 0; i < connections.size() && writer.add(connections.get(i)); i++) {
      // add() says when the message is full
    }
    int length = writer.length();
    Runnable perMessage =
        () -> {
          reader.wrap(b, 0, length);
          while (reader.advance()) {
            SyncEntry e = reader.entry();
            sink[0] += e.protocol() + e.flags() + e.state() + e.clientPort() + e.virtualPort();
            sink[0] += e.destinationPort() + e.firewallMark() + e.timeoutSeconds();
            if (e.hasSequence()) {
              sink[0] += e.inInitSeq() + e.outDelta();
            }
          }
        };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      perMessage.run();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      perMessage.run();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(0, allocated / 10_000, allocated + " bytes for 10,000 messages " + sink[0]);
  }

  /** The connections read, or the reason an entry was skipped. */
  private static List<Object> read(
      ByteBuffer b,
      int offset,
      int length,
      ByteOrder sequenceOrder,
      int syncId,
      SyncVersion version) {
    SyncMessageReader reader =
        new SyncMessageReader(0, sequenceOrder, SyncMessageReader.DEFAULT_PERSISTENCE_ENGINES);
    reader.wrap(b, offset, length);
    assertEquals(version, reader.version());
    assertEquals(syncId, reader.syncId());
    List<Object> read = new ArrayList<>();
    while (reader.advance()) {
      SyncEntry e = reader.entry();
      read.add(e.skipReason() == null ? e.toConnection() : e.skipReason());
    }
    return read;
  }
}
