package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.failover4j.api.MalformedPacketException;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests: random SAs deleted (DELSA) or hard-expired decode to the same SA and mark,
 * a soft expiry to nothing; random corruptions raise only {@link MalformedPacketException} with an
 * {@link XfrmDropReason}. Replay a failure with {@code -Dxfrm.seed=<seed>}.
 */
class SaDeletionDecoderPropertyTest {

  private static final int CASES = 10_000;

  private final SaDeletionDecoder decoder = new SaDeletionDecoder();
  private final DeletionMessages kernel = new DeletionMessages();
  private final ByteBuffer buffer = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

  static SaDeletion randomDeletion(Random r) {
    byte[] daddr = new byte[r.nextBoolean() ? 4 : 16];
    r.nextBytes(daddr);
    int proto = r.nextInt(4) == 0 ? r.nextInt(256) : Xfrm.IPPROTO_ESP;
    SaId sa = new SaId(Aevent.address(daddr), r.nextInt(), proto);
    return new SaDeletion(
        sa,
        r.nextBoolean() ? Optional.of(new XfrmMark(r.nextInt(), r.nextInt())) : Optional.empty());
  }

  private int write(SaDeletion d, int kind) {
    return switch (kind) {
      case 0 -> kernel.delsa(d, buffer.clear());
      case 1 -> kernel.expire(d, true, buffer.clear());
      default -> kernel.expire(d, false, buffer.clear());
    };
  }

  @Test
  void randomDeletionsDecodeToTheirSaAndMark() {
    long seed = Long.getLong("xfrm.seed", new Random().nextLong());
    Random r = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      SaDeletion d = randomDeletion(r);
      int kind = r.nextInt(3);
      try {
        Optional<SaDeletion> decoded = decoder.decode(buffer, 0, write(d, kind));
        assertEquals(kind == 2 ? Optional.empty() : Optional.of(d), decoded, "kind " + kind);
      } catch (AssertionError | RuntimeException e) {
        fail("case " + i + " failed; replay with -Dxfrm.seed=" + seed + ": " + d + ": " + e, e);
      }
    }
  }

  @Test
  void corruptedDeletionsRaiseOnlyTypedErrors() {
    long seed = Long.getLong("xfrm.seed", new Random().nextLong());
    Random r = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      int length = write(randomDeletion(r), r.nextInt(3));
      byte[] bytes = Arrays.copyOf(buffer.array(), length);
      int flips = 1 + r.nextInt(4);
      for (int f = 0; f < flips; f++) {
        // Half the flips in the header, the id and the attribute headers, where decisions are made.
        int at = r.nextBoolean() ? r.nextInt(Math.min(48, length)) : r.nextInt(length);
        bytes[at] = (byte) r.nextInt();
      }
      int cut = r.nextInt(4) == 0 ? r.nextInt(bytes.length + 1) : bytes.length;
      try {
        decoder.decode(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, cut);
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
