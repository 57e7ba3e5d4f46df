package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.VirtualTimeEventLoop;

/**
 * Fuzzes the reader and the table behind it: whatever the bytes, the only exception is a {@link
 * MalformedPacketException} with an {@link IpvsDropReason}, and every entry that is not skipped can
 * be applied and turned into a value. The corpus in {@code SyncMessageFuzzTestInputs} replays in
 * every test run; {@code -Pfuzz} explores further.
 */
class SyncMessageFuzzTest {

  private final SyncMessageReader reader = new SyncMessageReader();

  /** The datagram as received. */
  @FuzzTest(maxDuration = "30s")
  void rawMessage(byte[] data) {
    decode(data);
  }

  /**
   * The datagram with its size field set to its length, so that the fuzzer gets past the header
   * checks into the entries and options.
   */
  @FuzzTest(maxDuration = "30s")
  void sizedMessage(byte[] data) {
    if (data.length >= 4 && data.length <= 0xFFFF) {
      data[2] = (byte) (data.length >>> 8);
      data[3] = (byte) data.length;
    }
    decode(data);
  }

  private void decode(byte[] data) {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    ConnectionTable table = new ConnectionTable(loop);
    ByteBuffer buffer = ByteBuffer.wrap(data);
    try {
      reader.wrap(buffer, 0, data.length);
      SyncEntry entry = reader.entry();
      int entries = 0;
      while (reader.advance()) {
        entries++;
        assertTrue(entry.offset() + entry.length() <= data.length, "entry inside the message");
        SyncConnection value = entry.toConnection();
        assertEquals(entry.clientPort(), value.clientPort());
        if (entry.skipReason() == null) {
          table.apply(entry);
        } else {
          assertEquals(IpvsDropReason.Effect.ENTRY, entry.skipReason().effect());
        }
      }
      assertEquals(reader.entryCount(), entries);
    } catch (MalformedPacketException e) {
      assertTrue(e.reason() instanceof IpvsDropReason, e.getMessage());
      assertTrue(!e.detail().isEmpty());
    }
    loop.advanceBy(Duration.ofSeconds(SyncConnection.MAX_TIMEOUT_SECONDS + 1));
    assertEquals(0, table.size(), "every entry expires");
  }
}
