package org.failover4j.ipvs;

import static org.failover4j.ipvs.TestMessages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.MalformedPacketException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SyncMessageReaderTest {

  private final SyncMessageReader reader = new SyncMessageReader();

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  /** Reads every entry; returns their skip reasons ("ok" when applied). */
  private List<String> outcomes(byte[] message) {
    reader.wrap(wrap(message), 0, message.length);
    List<String> out = new ArrayList<>();
    while (reader.advance()) {
      IpvsDropReason skip = reader.entry().skipReason();
      out.add(skip == null ? "ok" : skip.name());
    }
    return out;
  }

  /** Reads entries until the fault; returns the outcomes before it and checks the reason. */
  private List<String> outcomesUntil(byte[] message, IpvsDropReason reason) {
    reader.wrap(wrap(message), 0, message.length);
    List<String> before = new ArrayList<>();
    MalformedPacketException e =
        assertThrows(
            MalformedPacketException.class,
            () -> {
              while (reader.advance()) {
                IpvsDropReason skip = reader.entry().skipReason();
                before.add(skip == null ? "ok" : skip.name());
              }
            });
    assertEquals(reason, e.reason(), e.getMessage());
    assertFalse(reader.advance(), "nothing is read after a fault");
    return before;
  }

  private void assertMessageDropped(byte[] message, IpvsDropReason reason) {
    MalformedPacketException e =
        assertThrows(
            MalformedPacketException.class, () -> reader.wrap(wrap(message), 0, message.length));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(IpvsDropReason.Effect.MESSAGE, reason.effect());
  }

  @Nested
  class Golden {

    @Test
    void v1Ipv4ConnectionHasEveryField() throws Exception {
      ByteBuffer b = GoldenMessages.buffer(GoldenMessages.V1_IPV4_TCP);
      reader.wrap(b, 0, b.capacity());
      assertEquals(SyncVersion.V1, reader.version());
      assertEquals(9, reader.syncId());
      assertEquals(1, reader.entryCount());
      assertTrue(reader.advance());
      SyncEntry e = reader.entry();
      assertNull(e.skipReason());
      assertFalse(e.ipv6());
      assertEquals(6, e.protocol());
      assertEquals(40001, e.clientPort());
      assertEquals(80, e.virtualPort());
      assertEquals(8080, e.destinationPort());
      assertEquals(ip("198.51.100.8"), e.clientAddress());
      assertEquals(ip("192.0.2.100"), e.virtualAddress());
      assertEquals(ip("192.0.2.22"), e.destinationAddress());
      assertEquals(0x100, e.flags());
      assertEquals(TcpState.ESTABLISHED, e.connectionState());
      assertEquals(0, e.firewallMark());
      assertEquals(300, e.timeoutSeconds());
      assertFalse(e.hasSequence());
      assertFalse(e.hasPersistenceData());
      assertEquals(36, e.length());
      assertFalse(reader.advance());
    }

    @Test
    void v1OptionsPaddingAndIpv6() throws Exception {
      ByteBuffer b = GoldenMessages.buffer(GoldenMessages.V1_OPTIONS_AND_IPV6);
      reader.wrap(b, 0, b.capacity());
      assertEquals(2, reader.entryCount());
      assertTrue(reader.advance());
      SyncEntry e = reader.entry();
      assertEquals(62, e.length());
      assertTrue(e.hasSequence());
      assertEquals(new SequenceAdjustment(0x11111111, 16, 8), e.inSequence());
      assertEquals(new SequenceAdjustment(0x22222222, -16, -8), e.outSequence());
      assertEquals(Duration.ofSeconds(900), e.toConnection().timeout());
      assertTrue(reader.advance());
      assertEquals(8 + 64, e.offset(), "the second entry starts after 2 bytes of padding");
      assertTrue(e.ipv6());
      assertEquals(17, e.protocol());
      assertTrue(e.isTemplate());
      assertEquals(TemplateState.NONE, e.connectionState());
      assertEquals(ForwardingMethod.DROUTE, ConnectionFlags.of(e.flags()).forwardingMethod());
      assertEquals(42, e.firewallMark());
      assertEquals(ip("2001:db8::8"), e.clientAddress());
      assertEquals(ip("2001:db8::100"), e.virtualAddress());
      assertEquals(ip("2001:db8::22"), e.destinationAddress());
      assertEquals(new PersistenceData("sip", new byte[] {0x0a, 0x0b}), e.persistence());
      assertEquals("sip", e.persistenceEngine());
      assertNull(e.skipReason());
      assertFalse(reader.advance());
    }

    @Test
    void v0SequenceDataIsInTheSendersByteOrder() {
      ByteBuffer le = GoldenMessages.buffer(GoldenMessages.V0_WITH_SEQUENCE_LE);
      reader.wrap(le, 0, le.capacity());
      assertEquals(SyncVersion.V0, reader.version());
      assertEquals(5, reader.syncId());
      assertTrue(reader.advance());
      assertEquals(UdpState.NORMAL, reader.entry().connectionState());
      assertEquals(0, reader.entry().timeoutSeconds());
      assertTrue(reader.advance());
      assertEquals(new SequenceAdjustment(0x12345678, 16, 8), reader.entry().inSequence());
      assertEquals(new SequenceAdjustment(0x90abcdef, -16, -8), reader.entry().outSequence());

      SyncMessageReader bigEndian =
          new SyncMessageReader(
              0, ByteOrder.BIG_ENDIAN, SyncMessageReader.DEFAULT_PERSISTENCE_ENGINES);
      ByteBuffer be = GoldenMessages.buffer(GoldenMessages.V0_WITH_SEQUENCE_BE);
      bigEndian.wrap(be, 0, be.capacity());
      bigEndian.advance();
      bigEndian.advance();
      assertEquals(new SequenceAdjustment(0x12345678, 16, 8), bigEndian.entry().inSequence());
      assertEquals(new SequenceAdjustment(0x90abcdef, -16, -8), bigEndian.entry().outSequence());
    }

    @Test
    void readsAtAnOffsetWithoutTouchingTheBuffersPositionLimitOrOrder() {
      byte[] message = GoldenMessages.bytes(GoldenMessages.V1_IPV4_TCP);
      ByteBuffer b = ByteBuffer.allocate(message.length + 10).order(ByteOrder.LITTLE_ENDIAN);
      b.position(5);
      b.put(message);
      b.position(3).limit(message.length + 7);
      reader.wrap(b, 5, message.length);
      assertTrue(reader.advance());
      assertEquals(40001, reader.entry().clientPort());
      assertEquals(3, b.position());
      assertEquals(message.length + 7, b.limit());
      assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
    }
  }

  @Nested
  class VersionDetection {

    @Test
    void versionOneNeedsReservedAndSpareZero() {
      byte[] v1 = GoldenMessages.bytes(GoldenMessages.V1_IPV4_TCP);
      byte[] spare = v1.clone();
      spare[7] = 1;
      reader.wrap(wrap(spare), 0, spare.length);
      assertEquals(SyncVersion.V0, reader.version(), "a non-zero spare field means v0");
      byte[] version2 = v1.clone();
      version2[5] = 2;
      reader.wrap(wrap(version2), 0, version2.length);
      assertEquals(SyncVersion.V0, reader.version());
    }

    @Test
    void messagesShorterThanTheV1HeaderAreV0() {
      reader.wrap(wrap(new byte[] {0, 1, 0, 4}), 0, 4);
      assertEquals(SyncVersion.V0, reader.version());
      assertFalse(reader.advance());
    }
  }

  @Nested
  class MessageDrops {

    @Test
    void shorterThanFourBytes() {
      assertMessageDropped(new byte[] {0, 0, 0}, IpvsDropReason.TRUNCATED_HEADER);
    }

    @Test
    void lengthDiffersFromSizeField() {
      byte[] m = GoldenMessages.bytes(GoldenMessages.V1_IPV4_TCP);
      byte[] longer = java.util.Arrays.copyOf(m, m.length + 1);
      assertMessageDropped(longer, IpvsDropReason.SIZE_MISMATCH);
    }

    @Test
    void otherSyncIdWhenTheBackupFilters() {
      byte[] m = GoldenMessages.bytes(GoldenMessages.V1_IPV4_TCP);
      SyncMessageReader filtering =
          new SyncMessageReader(8, ByteOrder.LITTLE_ENDIAN, List.of("sip"));
      MalformedPacketException e =
          assertThrows(MalformedPacketException.class, () -> filtering.wrap(wrap(m), 0, m.length));
      assertEquals(IpvsDropReason.SYNCID_MISMATCH, e.reason());
      new SyncMessageReader(9, ByteOrder.LITTLE_ENDIAN, List.of("sip")).wrap(wrap(m), 0, m.length);
      reader.wrap(wrap(m), 0, m.length);
    }
  }

  @Nested
  class EntryFaultsEndTheMessage {

    @Test
    void v1EntryFixedPartPastTheEnd() {
      byte[] m = withCount(v1(1, v1Ipv4(TCP, 0, 1, "")), SyncVersion.V1, 2);
      assertEquals(List.of("ok"), outcomesUntil(m, IpvsDropReason.TRUNCATED_ENTRY));
    }

    @Test
    void v0EntryPastTheEnd() {
      byte[] m = withCount(v0(1, v0Entry(TCP, 0, 1, "")), SyncVersion.V0, 2);
      assertEquals(List.of("ok"), outcomesUntil(m, IpvsDropReason.TRUNCATED_ENTRY));
    }

    @Test
    void v0SequenceBlockPastTheEnd() {
      byte[] m = v0(1, v0Entry(TCP, 0, 1, ""), v0Entry(TCP, 0x0400, 1, "0000"));
      assertEquals(List.of("ok"), outcomesUntil(m, IpvsDropReason.TRUNCATED_ENTRY));
    }

    @Test
    void v1EntrySizePastTheEnd() {
      byte[] bad = v1Entry(0, TCP, 40, 0, 1, 4, new byte[0]);
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, ""), bad);
      assertEquals(List.of("ok"), outcomesUntil(m, IpvsDropReason.ENTRY_OVERRUNS_MESSAGE));
    }

    @Test
    void v1EntryVersionNotZero() {
      byte[] bad = v1Entry(0, TCP, 0x1000 | 36, 0, 1, 4, new byte[0]);
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, ""), bad);
      assertEquals(List.of("ok"), outcomesUntil(m, IpvsDropReason.UNKNOWN_ENTRY_VERSION));
    }

    @Test
    void v1EntryTypeEvenAndNotZero() {
      byte[] bad = v1Entry(2, TCP, 36, 0, 1, 4, new byte[0]);
      assertEquals(
          List.of("ok"),
          outcomesUntil(v1(1, v1Ipv4(TCP, 0, 1, ""), bad), IpvsDropReason.UNKNOWN_ENTRY_TYPE));
    }

    @Test
    void v1EntryTypeWithBitZeroSetIsIpv6() {
      byte[] odd = v1Entry(3, TCP, 72, 0, 1, 16, new byte[0]);
      assertEquals(List.of("ok"), outcomes(v1(1, odd)));
      assertTrue(reader.entry().ipv6());
    }

    @Test
    void v1EntrySizeSmallerThanItsFixedPart() {
      byte[] ipv6TooSmall = v1Entry(1, TCP, 36, 0, 1, 4, new byte[0]);
      assertEquals(
          List.of(), outcomesUntil(v1(1, ipv6TooSmall), IpvsDropReason.ENTRY_SIZE_TOO_SMALL));
      byte[] ipv4TooSmall = v1Entry(0, TCP, 20, 0, 1, 4, new byte[0]);
      assertEquals(
          List.of(), outcomesUntil(v1(1, ipv4TooSmall), IpvsDropReason.ENTRY_SIZE_TOO_SMALL));
    }

    @Test
    void optionHeaderCrossesTheEntryEnd() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, ""), v1Ipv4(TCP, 0, 1, "01"));
      assertEquals(List.of("ok"), outcomesUntil(m, IpvsDropReason.TRUNCATED_OPTION));
    }

    @Test
    void optionOfLengthZero() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, "4200"));
      assertEquals(List.of(), outcomesUntil(m, IpvsDropReason.BAD_OPTION_LENGTH));
    }

    @Test
    void optionDataPastTheEntryEnd() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, "020501"));
      assertEquals(List.of(), outcomesUntil(m, IpvsDropReason.BAD_OPTION_LENGTH));
    }

    @Test
    void sequenceOptionNot24Bytes() {
      byte[] m = v1(1, v1Ipv4(TCP, 0x600, 1, "0114" + "00".repeat(20)));
      assertEquals(List.of(), outcomesUntil(m, IpvsDropReason.BAD_SEQUENCE_OPTION));
    }

    @Test
    void engineNameLongerThan16() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, "020101" + "0311" + "61".repeat(17)));
      assertEquals(List.of(), outcomesUntil(m, IpvsDropReason.PE_NAME_TOO_LONG));
    }

    @Test
    void sameOptionTwice() {
      String seq = "0118" + "00".repeat(24);
      assertEquals(
          List.of(),
          outcomesUntil(v1(1, v1Ipv4(TCP, 0x600, 1, seq + seq)), IpvsDropReason.DUPLICATE_OPTION));
      assertEquals(
          List.of(),
          outcomesUntil(
              v1(1, v1Ipv4(TCP, 0, 1, "020101" + "020102" + "0303736970")),
              IpvsDropReason.DUPLICATE_OPTION));
      assertEquals(
          List.of(),
          outcomesUntil(
              v1(1, v1Ipv4(TCP, 0, 1, "020101" + "0303736970" + "0303736970")),
              IpvsDropReason.DUPLICATE_OPTION));
    }
  }

  @Nested
  class EntrySkips {

    @Test
    void unknownMandatoryOption() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, "0702abcd"), v1Ipv4(TCP, 0, 1, ""));
      assertEquals(List.of("UNKNOWN_MANDATORY_OPTION", "ok"), outcomes(m));
    }

    @Test
    void optionsAfterAnUnknownMandatoryOneAreNotChecked() {
      // The kernel stops reading the entry at the unknown option: a bad one after it is unseen.
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, "0702abcd" + "4200"), v1Ipv4(TCP, 0, 1, ""));
      assertEquals(List.of("UNKNOWN_MANDATORY_OPTION", "ok"), outcomes(m));
    }

    @Test
    void unknownOptionThatMayBeIgnored() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 1, "4702abcd"));
      assertEquals(List.of("ok"), outcomes(m));
    }

    @Test
    void knownOptionWithTheMayIgnoreBitIsStillRead() {
      String seq = "4118" + "00000001".repeat(6);
      assertEquals(List.of("ok"), outcomes(v1(1, v1Ipv4(TCP, 0x600, 1, seq))));
      assertEquals(1, reader.entry().outDelta());
    }

    @Test
    void unsupportedProtocol() {
      byte[] m = v1(1, v1Ipv4(1, 0, 0, ""), v1Ipv4(TCP, 0, 1, ""));
      assertEquals(List.of("UNSUPPORTED_PROTOCOL", "ok"), outcomes(m));
      assertEquals(List.of("UNSUPPORTED_PROTOCOL"), outcomes(v0(1, v0Entry(1, 0, 0, ""))));
    }

    @Test
    void templatesOfAnyProtocolAreKept() {
      assertEquals(List.of("ok"), outcomes(v1(1, v1Ipv4(0, 0x1000, 0, ""))));
      assertEquals(List.of("ok"), outcomes(v0(1, v0Entry(1, 0x1000, 0, ""))));
    }

    @Test
    void stateOutOfRange() {
      byte[] m = v1(1, v1Ipv4(TCP, 0, 11, ""), v1Ipv4(UDP, 0, 1, ""), v1Ipv4(TCP, 0, 10, ""));
      assertEquals(List.of("INVALID_STATE", "INVALID_STATE", "ok"), outcomes(m));
      assertEquals(List.of("INVALID_STATE"), outcomes(v0(1, v0Entry(UDP, 0, 1, ""))));
      assertEquals(List.of("INVALID_STATE"), outcomes(v1(1, v1Ipv4(132, 0, 14, ""))));
      assertEquals(List.of("ok"), outcomes(v1(1, v1Ipv4(132, 0, 13, ""))));
    }

    @Test
    void templatesWithAnyStateAreKept() {
      // The kernel only logs a template state beyond IP_VS_CTPL_S_LAST.
      assertEquals(List.of("ok"), outcomes(v1(1, v1Ipv4(TCP, 0x1000, 7, ""))));
      assertEquals(new UnknownState(7), reader.entry().connectionState());
    }

    @Test
    void persistenceDataWithoutEngineName() {
      byte[] m = v1(1, v1Ipv4(UDP, 0x1000, 0, "02020a0b"), v1Ipv4(TCP, 0, 1, ""));
      assertEquals(List.of("PE_DATA_WITHOUT_NAME", "ok"), outcomes(m));
    }

    @Test
    void unknownPersistenceEngine() {
      byte[] m = v1(1, v1Ipv4(UDP, 0x1000, 0, "02020a0b" + "0303666f6f"));
      assertEquals(List.of("UNKNOWN_PERSISTENCE_ENGINE"), outcomes(m));
      SyncMessageReader withFoo =
          new SyncMessageReader(0, ByteOrder.LITTLE_ENDIAN, List.of("sip", "foo"));
      withFoo.wrap(wrap(m), 0, m.length);
      assertTrue(withFoo.advance());
      assertNull(withFoo.entry().skipReason());
      assertEquals("foo", withFoo.entry().persistenceEngine());
    }

    @Test
    void engineNameWithoutDataIsIgnored() {
      assertEquals(List.of("ok"), outcomes(v1(1, v1Ipv4(UDP, 0x1000, 0, "0303736970"))));
      assertNull(reader.entry().persistence());
      assertEquals("sip", reader.entry().persistenceEngineName());
    }

    @Test
    void engineNameMayComeBeforeItsData() {
      assertEquals(List.of("ok"), outcomes(v1(1, v1Ipv4(UDP, 0x1000, 0, "0303736970020101"))));
      assertEquals("sip", reader.entry().persistenceEngine());
    }
  }

  @Test
  void aReaderIsReusedAcrossMessages() {
    ByteBuffer a = GoldenMessages.buffer(GoldenMessages.V1_OPTIONS_AND_IPV6);
    ByteBuffer b = GoldenMessages.buffer(GoldenMessages.V1_IPV4_TCP);
    reader.wrap(a, 0, a.capacity());
    reader.advance();
    reader.wrap(b, 0, b.capacity());
    assertTrue(reader.advance());
    assertFalse(reader.entry().hasSequence(), "nothing carries over from the last message");
    assertEquals(9, reader.syncId());
  }
}
