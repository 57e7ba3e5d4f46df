package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyncMessageWriterTest {

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static byte[] written(SyncMessageWriter writer, ByteBuffer buffer) {
    return Arrays.copyOf(buffer.array(), writer.length());
  }

  static SyncConnection issueExample() throws Exception {
    return SyncConnection.builder()
        .protocol(6)
        .client(ip("198.51.100.8"), 40001)
        .virtual(ip("192.0.2.100"), 80)
        .destination(ip("192.0.2.22"), 8080)
        .flags(ConnectionFlags.INACTIVE)
        .state(TcpState.ESTABLISHED)
        .timeout(Duration.ofSeconds(300))
        .build();
  }

  @Test
  void v1Ipv4MatchesTheGoldenBytes() throws Exception {
    SyncMessageWriter writer = new SyncMessageWriter();
    ByteBuffer b = ByteBuffer.allocate(1472);
    writer.begin(b, 0, 1472, 9);
    assertTrue(writer.add(issueExample()));
    assertArrayEquals(GoldenMessages.bytes(GoldenMessages.V1_IPV4_TCP), written(writer, b));
  }

  @Test
  void v1OptionsArePaddedBetweenEntriesButNotAfterTheLast() throws Exception {
    SyncConnection withSequence =
        SyncConnection.builder()
            .client(ip("198.51.100.9"), 40002)
            .virtual(ip("192.0.2.100"), 80)
            .destination(ip("192.0.2.22"), 8080)
            .flags(ConnectionFlags.SEQ_MASK)
            .state(TcpState.ESTABLISHED)
            .timeout(Duration.ofSeconds(900))
            .sequences(
                new SequenceAdjustment(0x11111111, 16, 8),
                new SequenceAdjustment(0x22222222, -16, -8))
            .build();
    SyncConnection sipTemplate =
        SyncConnection.builder()
            .protocol(17)
            .client(ip("2001:db8::8"), 5060)
            .virtual(ip("2001:db8::100"), 5060)
            .destination(ip("2001:db8::22"), 5060)
            .flags(ConnectionFlags.TEMPLATE | ForwardingMethod.DROUTE.value())
            .firewallMark(42)
            .timeout(Duration.ofSeconds(180))
            .persistence(new PersistenceData("sip", new byte[] {0x0a, 0x0b}))
            .build();
    SyncMessageWriter writer = new SyncMessageWriter();
    ByteBuffer b = ByteBuffer.allocate(1472);
    writer.begin(b, 0, 1472, 7);
    assertTrue(writer.add(withSequence));
    assertTrue(writer.add(sipTemplate));
    assertArrayEquals(GoldenMessages.bytes(GoldenMessages.V1_OPTIONS_AND_IPV6), written(writer, b));
  }

  @Test
  void v0WritesTheSequenceBlockInTheConfiguredOrder() throws Exception {
    SyncConnection udp =
        SyncConnection.builder()
            .protocol(17)
            .client(ip("198.51.100.10"), 54321)
            .virtual(ip("192.0.2.101"), 53)
            .destination(ip("192.0.2.23"), 53)
            .build();
    SyncConnection ftp =
        SyncConnection.builder()
            .client(ip("198.51.100.11"), 40003)
            .virtual(ip("192.0.2.101"), 21)
            .destination(ip("192.0.2.24"), 21)
            .flags(ConnectionFlags.SEQ_MASK)
            .state(TcpState.ESTABLISHED)
            .timeout(Duration.ofSeconds(77)) // v0 has no timeout field: not written
            .sequences(
                new SequenceAdjustment(0x12345678, 16, 8),
                new SequenceAdjustment(0x90abcdef, -16, -8))
            .build();
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      SyncMessageWriter writer = new SyncMessageWriter(SyncVersion.V0, order);
      ByteBuffer b = ByteBuffer.allocate(1472);
      writer.begin(b, 0, 1472, 5);
      assertTrue(writer.add(udp));
      assertTrue(writer.add(ftp));
      String golden =
          order == ByteOrder.LITTLE_ENDIAN
              ? GoldenMessages.V0_WITH_SEQUENCE_LE
              : GoldenMessages.V0_WITH_SEQUENCE_BE;
      assertArrayEquals(GoldenMessages.bytes(golden), written(writer, b), order.toString());
    }
  }

  @Test
  void hashedIsClearedAndV0KeepsSixteenFlagBits() throws Exception {
    SyncConnection c =
        issueExample().toBuilder().flags(ConnectionFlags.HASHED | ConnectionFlags.NFCT | 3).build();
    ByteBuffer b = ByteBuffer.allocate(100);
    new SyncMessageWriter().begin(b, 0, 100, 1).add(c);
    assertEquals(ConnectionFlags.NFCT | 3, b.getInt(8 + 4));
    new SyncMessageWriter(SyncVersion.V0, ByteOrder.LITTLE_ENDIAN).begin(b, 0, 100, 1).add(c);
    assertEquals(3, b.getShort(4 + 20));
  }

  @Test
  void sequenceDataOnlyWithASequenceFlag() throws Exception {
    SyncConnection c =
        issueExample().toBuilder()
            .sequences(new SequenceAdjustment(1, 2, 3), new SequenceAdjustment(4, 5, 6))
            .build();
    assertEquals(36, SyncMessageWriter.entryLength(SyncVersion.V1, c));
    assertEquals(24, SyncMessageWriter.entryLength(SyncVersion.V0, c));
    SyncConnection in = c.toBuilder().flags(ConnectionFlags.IN_SEQ).build();
    assertEquals(62, SyncMessageWriter.entryLength(SyncVersion.V1, in));
    assertEquals(48, SyncMessageWriter.entryLength(SyncVersion.V0, in));
  }

  @Test
  void stopsAtTheCapacity() throws Exception {
    SyncMessageWriter writer = new SyncMessageWriter();
    ByteBuffer b = ByteBuffer.allocate(1472);
    writer.begin(b, 0, 1472, 1);
    int added = 0;
    while (writer.add(issueExample())) {
      added++;
    }
    assertEquals((1472 - 8) / 36, added);
    assertEquals(8 + 36 * added, writer.length());
    assertEquals(added, b.get(4) & 0xFF);
    assertEquals(writer.length(), b.getShort(2) & 0xFFFF);
  }

  @Test
  void stopsAt255EntriesWhateverTheCapacity() throws Exception {
    SyncMessageWriter writer = new SyncMessageWriter(SyncVersion.V0, ByteOrder.LITTLE_ENDIAN);
    ByteBuffer b = ByteBuffer.allocate(65507);
    writer.begin(b, 0, 65507, 1);
    int added = 0;
    while (writer.add(issueExample())) {
      added++;
    }
    assertEquals(255, added);
    assertEquals(255, b.get(0) & 0xFF);
  }

  @Test
  void paddingCountsAgainstTheCapacity() throws Exception {
    // 36 fixed + 4 of data option + 5 of name option = 45 bytes: the next entry needs 3 of padding.
    SyncConnection oddSized =
        issueExample().toBuilder()
            .flags(ConnectionFlags.TEMPLATE)
            .persistence(new PersistenceData("sip", new byte[] {1, 2}))
            .build();
    int length = SyncMessageWriter.entryLength(SyncVersion.V1, oddSized);
    assertEquals(45, length);
    SyncMessageWriter writer = new SyncMessageWriter();
    ByteBuffer b = ByteBuffer.allocate(200);
    writer.begin(b, 0, 8 + 45 + 45, 1);
    assertTrue(writer.add(oddSized));
    assertFalse(writer.add(oddSized), "45 more bytes fit, but not with 3 bytes of padding");
    writer.begin(b, 0, 8 + 48 + 45, 1);
    assertTrue(writer.add(oddSized));
    assertTrue(writer.add(oddSized));
    assertEquals(8 + 48 + 45, writer.length());
  }

  @Test
  void v0RefusesIpv6() throws Exception {
    SyncConnection v6 =
        issueExample().toBuilder()
            .client(ip("2001:db8::1"), 1)
            .virtual(ip("2001:db8::2"), 2)
            .destination(ip("2001:db8::3"), 3)
            .build();
    SyncMessageWriter writer = new SyncMessageWriter(SyncVersion.V0, ByteOrder.LITTLE_ENDIAN);
    writer.begin(ByteBuffer.allocate(100), 0, 100, 1);
    assertThrows(IllegalArgumentException.class, () -> writer.add(v6));
  }
}
