package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.failover4j.api.MalformedPacketException;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests: random aevents survive an encode and a decode unchanged, in buffers of
 * either byte order; random corruptions of valid messages raise only {@link
 * MalformedPacketException}. Replay a failure with {@code -Dxfrm.seed=<seed>}.
 */
class AeventRoundTripPropertyTest {

  private static final int CASES = 10_000;

  private final AeventCodec codec = new AeventCodec();

  static Aevent randomAevent(Random r) {
    boolean v4 = r.nextBoolean();
    byte[] d = new byte[v4 ? 4 : 16];
    byte[] s = new byte[d.length];
    r.nextBytes(d);
    r.nextBytes(s);
    int proto = r.nextInt(4) == 0 ? r.nextInt(256) : Xfrm.IPPROTO_ESP;
    InetAddress dst = Aevent.address(d);
    InetAddress src = Aevent.address(s);
    Aevent.Builder b =
        Aevent.builder(new SaId(dst, r.nextInt(), proto))
            .source(src)
            .flags(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(128))
            .reqid(r.nextInt());
    if (r.nextBoolean()) {
      b.replay(new ReplayState(r.nextInt(), r.nextInt(), r.nextInt()));
    }
    if (r.nextBoolean()) {
      int[] bitmap = new int[r.nextInt(Xfrm.REPLAY_ESN_MAX_WORDS + 1)];
      for (int i = 0; i < bitmap.length; i++) {
        bitmap[i] = r.nextInt();
      }
      int window = bitmap.length == 0 ? 0 : r.nextInt(32 * bitmap.length + 1);
      b.replayEsn(
          new ReplayStateEsn(r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), window, bitmap));
    }
    if (r.nextBoolean()) {
      b.lifetime(new LifetimeCounters(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()));
    }
    if (r.nextBoolean()) {
      b.replayThreshold(r.nextInt());
    }
    if (r.nextBoolean()) {
      b.etimerThreshold(r.nextInt());
    }
    if (r.nextBoolean()) {
      b.mark(new XfrmMark(r.nextInt(), r.nextInt()));
    }
    if (r.nextBoolean()) {
      b.ifId(r.nextInt());
    }
    return b.build();
  }

  @Test
  void randomAeventsRoundTripInEitherByteOrder() {
    long seed = Long.getLong("xfrm.seed", new Random().nextLong());
    Random r = new Random(seed);
    ByteBuffer nativeBuffer =
        ByteBuffer.allocate(AeventCodec.MAX_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());
    ByteBuffer otherBuffer =
        ByteBuffer.allocateDirect(AeventCodec.MAX_MESSAGE_LENGTH)
            .order(
                ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
                    ? ByteOrder.LITTLE_ENDIAN
                    : ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < CASES; i++) {
      Aevent ae = randomAevent(r);
      int type = r.nextBoolean() ? Xfrm.XFRM_MSG_NEWAE : Xfrm.XFRM_MSG_GETAE;
      try {
        int length =
            codec.encode(
                ae, type, r.nextInt(0x10000), r.nextInt(), r.nextInt(), nativeBuffer.clear());
        assertEquals(ae, codec.decode(nativeBuffer, 0, length));
        int again = codec.encode(ae, type, 0, 0, 0, otherBuffer.clear());
        assertEquals(length, again);
        byte[] a = new byte[length - 16];
        byte[] b = new byte[length - 16];
        nativeBuffer.get(16, a);
        otherBuffer.get(16, b);
        assertArrayEquals(a, b, "bytes after the header differ with the buffer's order");
        assertEquals(ae, codec.decode(otherBuffer, 0, again));
      } catch (AssertionError | RuntimeException e) {
        fail("case " + i + " failed; replay with -Dxfrm.seed=" + seed + ": " + ae + ": " + e, e);
      }
    }
  }

  @Test
  void corruptedMessagesRaiseOnlyTypedErrors() {
    long seed = Long.getLong("xfrm.seed", new Random().nextLong());
    Random r = new Random(seed);
    ByteBuffer buffer =
        ByteBuffer.allocate(AeventCodec.MAX_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());
    for (int i = 0; i < CASES; i++) {
      Aevent ae = randomAevent(r);
      int length = codec.encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, buffer.clear());
      byte[] bytes = Arrays.copyOf(buffer.array(), length);
      int flips = 1 + r.nextInt(4);
      for (int f = 0; f < flips; f++) {
        bytes[r.nextInt(bytes.length)] = (byte) r.nextInt();
      }
      int cut = r.nextInt(4) == 0 ? r.nextInt(bytes.length + 1) : bytes.length;
      try {
        codec.decode(ByteBuffer.wrap(bytes), 0, cut);
      } catch (MalformedPacketException expected) {
        if (!(expected.reason() instanceof XfrmDropReason)) {
          fail("case " + i + ": untranslated reason " + expected.reason() + ", seed " + seed);
        }
      } catch (RuntimeException e) {
        fail("case " + i + " failed; replay with -Dxfrm.seed=" + seed + ": " + e, e);
      }
    }
  }
}
