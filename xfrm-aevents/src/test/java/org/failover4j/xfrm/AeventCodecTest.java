package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import org.failover4j.api.MalformedPacketException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AeventCodecTest {

  private final AeventCodec codec = new AeventCodec();

  @BeforeAll
  static void goldenFilesAreLittleEndian() {
    assumeTrue(
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
        "the golden messages are in little-endian host order");
  }

  private static ByteBuffer opposite(byte[] bytes) {
    ByteOrder other =
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? ByteOrder.BIG_ENDIAN
            : ByteOrder.LITTLE_ENDIAN;
    return ByteBuffer.wrap(bytes).order(other);
  }

  private Aevent decode(byte[] bytes) {
    return codec.decode(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
  }

  private byte[] encode(Aevent ae, int type, int flags, int seq, int pid, ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(AeventCodec.MAX_MESSAGE_LENGTH).order(order);
    int length = codec.encode(ae, type, flags, seq, pid, buffer);
    assertEquals(length, buffer.position());
    return Arrays.copyOf(buffer.array(), length);
  }

  @Test
  void decodesBuildAeventWithEsnMarkAndIfIdFieldByField() throws Exception {
    Aevent ae = decode(XfrmGolden.bytes("build-aevent-esn-mark"));
    assertEquals(InetAddress.getByName("192.0.2.2"), ae.sa().destination());
    assertEquals(0x1234, ae.sa().spi());
    assertEquals(Xfrm.AF_INET, ae.sa().family());
    assertEquals(Xfrm.IPPROTO_ESP, ae.sa().protocol());
    assertEquals(InetAddress.getByName("192.0.2.1"), ae.source());
    assertEquals(EnumSet.of(AeFlag.RTHR, AeFlag.ETHR, AeFlag.CR), ae.flagSet());
    assertEquals(7, ae.reqid());
    assertTrue(ae.replay().isEmpty());
    ReplayStateEsn esn = ae.replayEsn().orElseThrow();
    assertEquals(100, esn.outboundSequence());
    assertEquals(200, esn.inboundSequence());
    assertEquals(1, esn.outboundSequenceHigh());
    assertEquals(2, esn.inboundSequenceHigh());
    assertEquals(128, esn.replayWindow());
    assertArrayEquals(new int[] {0xffffffff, 0xf, 0, 0x80000000}, esn.bitmap());
    assertEquals((1L << 32) + 100, esn.outboundSequence64());
    assertEquals(Optional.of((1L << 32) + 100), ae.outboundSequence());
    assertEquals(
        new LifetimeCounters(5000, 40, 1_700_000_000L, 1_700_000_001L), ae.lifetime().get());
    assertEquals(OptionalInt.of(32), ae.replayThreshold());
    assertEquals(OptionalInt.of(10), ae.etimerThreshold());
    assertEquals(Optional.of(new XfrmMark(0x2a, 0xffffffff)), ae.mark());
    assertEquals(OptionalInt.of(5), ae.ifId());
  }

  @Test
  void encodesExactlyAsBuildAeventDoes() {
    byte[] golden = XfrmGolden.bytes("build-aevent-esn-mark");
    Aevent ae = decode(golden);
    assertEquals(
        HexFormat.of().formatHex(golden),
        HexFormat.of()
            .formatHex(encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, ByteOrder.nativeOrder())));
    // The buffer's own byte order never matters: every access names its order.
    assertArrayEquals(
        golden, encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, opposite(new byte[0]).order()));
  }

  @Test
  void aBufferSetToTheOppositeOrderDecodesIdentically() {
    for (String name : new String[] {"build-aevent-esn-mark", "build-aevent-ipv6-pad"}) {
      byte[] golden = XfrmGolden.bytes(name);
      Aevent expected = decode(golden);
      assertEquals(expected, codec.decode(opposite(golden), 0, golden.length), name);
      ByteBuffer direct = ByteBuffer.allocateDirect(golden.length + 8);
      direct.order(opposite(golden).order()).position(8);
      direct.put(golden);
      assertEquals(expected, codec.decode(direct, 8, golden.length), name + " direct, offset 8");
    }
  }

  @Test
  void skipsPadAndUnknownAttributesAndKeepsIpv6Families() throws Exception {
    byte[] golden = XfrmGolden.bytes("build-aevent-ipv6-pad");
    Aevent ae = decode(golden);
    assertEquals(InetAddress.getByName("2001:db8::2"), ae.sa().destination());
    assertEquals(0xc0ffee01, ae.sa().spi());
    assertEquals("0xc0ffee01", ae.sa().spiHex());
    assertEquals(Xfrm.AF_INET6, ae.sa().family());
    assertEquals(Xfrm.IPPROTO_AH, ae.sa().protocol());
    assertEquals(InetAddress.getByName("2001:db8::1"), ae.source());
    assertEquals(EnumSet.of(AeFlag.CE), ae.flagSet());
    assertEquals(0x10000, ae.reqid());
    assertEquals(new ReplayState(0xfffffffe, 3, 7), ae.replay().orElseThrow());
    assertEquals(Optional.of(0xfffffffeL), ae.outboundSequence());
    assertEquals(new LifetimeCounters(0, 0, 1, 0), ae.lifetime().orElseThrow());
    assertTrue(ae.replayEsn().isEmpty());
    assertTrue(ae.mark().isEmpty());
    assertTrue(ae.ifId().isEmpty());
    assertTrue(ae.replayThreshold().isEmpty());
    // Re-encoded without the pad and the unknown attribute: everything else byte for byte.
    byte[] again = encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0x2a, 0x1234, ByteOrder.nativeOrder());
    assertEquals(golden.length - 4 - 8, again.length);
    assertArrayEquals(
        Arrays.copyOfRange(golden, 4, 16 + 48 + 16), Arrays.copyOfRange(again, 4, 16 + 48 + 16));
    assertEquals(ae, decode(again));
  }

  @Test
  void thresholdsComeFromTheirOwnAttributesNotFromFlagNumberedSlots() throws Exception {
    // libnl indexes the attribute table with XFRM_AE_RTHR (1) and XFRM_AE_ETHR (8): attributes 1
    // (XFRMA_ALG_AUTH) and 8 (XFRMA_ENCAP) must not be taken for thresholds, nor flags required.
    SaId sa = SaId.esp(InetAddress.getByName("192.0.2.2"), 9);
    Aevent ae = Aevent.builder(sa).replayThreshold(77).etimerThreshold(3).build();
    byte[] bytes = encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, ByteOrder.nativeOrder());
    byte[] decoy = new byte[bytes.length + 16];
    System.arraycopy(bytes, 0, decoy, 0, bytes.length);
    ByteBuffer b = ByteBuffer.wrap(decoy).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(bytes.length, (short) 8)
        .putShort(bytes.length + 2, (short) 1)
        .putInt(bytes.length + 4, 1111);
    b.putShort(bytes.length + 8, (short) 8).putShort(bytes.length + 10, (short) 8);
    b.putInt(bytes.length + 12, 8888);
    b.putInt(0, decoy.length);
    Aevent back = decode(decoy);
    assertEquals(OptionalInt.of(77), back.replayThreshold());
    assertEquals(OptionalInt.of(3), back.etimerThreshold());
    assertFalse(back.has(AeFlag.RTHR));
  }

  private MalformedPacketException rejected(byte[] bytes) {
    return assertThrows(MalformedPacketException.class, () -> decode(bytes));
  }

  private static byte[] patched(byte[] golden, int offset, int value) {
    byte[] copy = golden.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    return copy;
  }

  // Offsets in build-aevent-esn-mark: ESN attribute at 64, value at 68.
  private static final int ESN_VALUE = 68;

  @Test
  void esnBitmapLengthMustMatchTheAttribute() {
    byte[] golden = XfrmGolden.bytes("build-aevent-esn-mark");
    assertEquals(
        XfrmDropReason.ESN_BITMAP_LENGTH_MISMATCH,
        rejected(patched(golden, ESN_VALUE, 5)).reason());
    assertEquals(
        XfrmDropReason.ESN_BITMAP_LENGTH_MISMATCH,
        rejected(patched(golden, ESN_VALUE, 3)).reason());
    assertEquals(
        XfrmDropReason.ESN_BITMAP_TOO_LONG,
        rejected(patched(golden, ESN_VALUE, 0xffffffff)).reason());
    assertEquals(
        XfrmDropReason.ESN_BITMAP_TOO_LONG, rejected(patched(golden, ESN_VALUE, 129)).reason());
  }

  @Test
  void esnWindowMustFitTheBitmap() {
    byte[] golden = XfrmGolden.bytes("build-aevent-esn-mark");
    MalformedPacketException e = rejected(patched(golden, ESN_VALUE + 20, 129));
    assertEquals(XfrmDropReason.ESN_WINDOW_EXCEEDS_BITMAP, e.reason());
    assertTrue(e.detail().contains("129"), e.detail());
    assertEquals(
        128, decode(patched(golden, ESN_VALUE + 20, 128)).replayEsn().get().replayWindow());
    assertEquals(
        XfrmDropReason.ESN_WINDOW_EXCEEDS_BITMAP,
        rejected(patched(golden, ESN_VALUE + 20, -1)).reason());
  }

  @Test
  void shortStructsAndBadFramesAreTypedErrors() {
    byte[] golden = XfrmGolden.bytes("build-aevent-esn-mark");
    // The ESN attribute claims 8 bytes: shorter than its 24-byte header.
    byte[] shortEsn = golden.clone();
    ByteBuffer.wrap(shortEsn).order(ByteOrder.LITTLE_ENDIAN).putShort(64, (short) 12);
    assertEquals(XfrmDropReason.SHORT_ATTRIBUTE, rejected(shortEsn).reason());
    // The lifetime attribute (at 108) claims 20 bytes of value.
    byte[] shortLifetime = golden.clone();
    ByteBuffer.wrap(shortLifetime).order(ByteOrder.LITTLE_ENDIAN).putShort(108, (short) 24);
    assertEquals(XfrmDropReason.SHORT_ATTRIBUTE, rejected(shortLifetime).reason());
    // The lifetime attribute claims more than the message holds.
    byte[] overlong = golden.clone();
    ByteBuffer.wrap(overlong).order(ByteOrder.LITTLE_ENDIAN).putShort(108, (short) 400);
    assertEquals(XfrmDropReason.BAD_FRAMING, rejected(overlong).reason());
    // Body shorter than xfrm_aevent_id.
    byte[] truncated = Arrays.copyOf(golden, 16 + 47);
    ByteBuffer.wrap(truncated).order(ByteOrder.LITTLE_ENDIAN).putInt(0, truncated.length);
    assertEquals(XfrmDropReason.TRUNCATED_AEVENT_ID, rejected(truncated).reason());
    // nlmsg_len beyond the bytes.
    assertEquals(XfrmDropReason.BAD_FRAMING, rejected(Arrays.copyOf(golden, 100)).reason());
    byte[] family = golden.clone();
    family[16 + 20] = 7;
    assertEquals(XfrmDropReason.UNKNOWN_FAMILY, rejected(family).reason());
    byte[] type = golden.clone();
    type[4] = 16; // XFRM_MSG_NEWSA
    assertEquals(XfrmDropReason.WRONG_MESSAGE_TYPE, rejected(type).reason());
  }

  @Test
  void getaeRequestsCarryTheSaFlagsAndMark() throws Exception {
    SaId sa = new SaId(InetAddress.getByName("2001:db8::9"), 0xabcdef01, Xfrm.IPPROTO_COMP);
    Aevent query =
        Aevent.builder(sa)
            .flags(EnumSet.of(AeFlag.RTHR, AeFlag.ETHR))
            .mark(new XfrmMark(1, 0xff))
            .build();
    byte[] bytes = encode(query, Xfrm.XFRM_MSG_GETAE, 1, 5, 0, ByteOrder.nativeOrder());
    assertEquals(16 + 48 + 12, bytes.length);
    assertEquals("abcdef01", HexFormat.of().formatHex(bytes, 16 + 16, 16 + 20));
    Aevent back = decode(bytes);
    assertEquals(query, back);
    assertEquals(InetAddress.getByName("::"), back.source());
  }
}
