package org.failover4j.xfrm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.failover4j.api.MalformedPacketException;

/**
 * Feeds arbitrary bytes to the aevent decoder: it may only raise {@link MalformedPacketException}
 * with an {@link XfrmDropReason}, and what it accepts must encode and decode to the same value. The
 * committed corpus (the golden kernel layouts and edge cases) replays in every test run; {@code
 * -Pfuzz} explores further.
 */
class AeventDecoderFuzzTest {

  private final AeventCodec codec = new AeventCodec();
  private final ByteBuffer out =
      ByteBuffer.allocate(AeventCodec.MAX_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());

  @FuzzTest
  void decode(byte[] data) {
    Aevent ae;
    try {
      ae = codec.decode(ByteBuffer.wrap(data), 0, data.length);
    } catch (MalformedPacketException e) {
      if (!(e.reason() instanceof XfrmDropReason)) {
        throw new AssertionError("untranslated reason " + e.reason(), e);
      }
      return;
    }
    int length = codec.encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, out.clear());
    Aevent again = codec.decode(out, 0, length);
    if (!ae.equals(again)) {
      throw new AssertionError(ae + " came back as " + again);
    }
  }
}
