package org.failover4j.xfrm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.failover4j.api.MalformedPacketException;

/**
 * Feeds arbitrary bytes to the deletion decoder: it may only raise {@link MalformedPacketException}
 * with an {@link XfrmDropReason}, and a deletion it accepts, written again as the kernel writes a
 * DELSA, must decode to the same SA and mark. The committed corpus (kernel layouts and edge cases)
 * replays in every test run; {@code -Pfuzz} explores further.
 */
class SaDeletionDecoderFuzzTest {

  private final SaDeletionDecoder decoder = new SaDeletionDecoder();
  private final DeletionMessages kernel = new DeletionMessages();
  private final ByteBuffer out = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

  @FuzzTest
  void decode(byte[] data) {
    Optional<SaDeletion> deletion;
    try {
      deletion = decoder.decode(ByteBuffer.wrap(data), 0, data.length);
    } catch (MalformedPacketException e) {
      if (!(e.reason() instanceof XfrmDropReason)) {
        throw new AssertionError("untranslated reason " + e.reason(), e);
      }
      return;
    }
    if (deletion.isPresent()) {
      Optional<SaDeletion> again =
          decoder.decode(out, 0, kernel.delsa(deletion.get(), out.clear()));
      if (!deletion.equals(again)) {
        throw new AssertionError(deletion + " came back as " + again);
      }
    }
  }
}
