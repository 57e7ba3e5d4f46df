package org.failover4j.xfrm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.failover4j.api.MalformedPacketException;

/**
 * Feeds arbitrary bytes to the SA-sync decoder and authenticator (the receive path of a datagram
 * from the network): only {@link MalformedPacketException} with an {@link XfrmDropReason} may come
 * out, and what decodes must encode and decode to the same message. The committed corpus replays in
 * every test run.
 */
class SaSyncDecoderFuzzTest {

  private final SaSyncCodec codec = new SaSyncCodec();
  private final SyncAuthenticator authenticator = new SyncAuthenticator(new byte[32]);
  private final ByteBuffer out = ByteBuffer.allocate(65_507);

  @FuzzTest
  void decode(byte[] data) {
    try {
      authenticator.verify(ByteBuffer.wrap(data), 0, data.length);
    } catch (MalformedPacketException e) {
      requireTyped(e);
    }
    SaSyncMessage message;
    try {
      message = codec.decode(ByteBuffer.wrap(data), 0, data.length);
    } catch (MalformedPacketException e) {
      requireTyped(e);
      return;
    }
    codec.encode(message, out.clear());
    SaSyncMessage again = codec.decode(out, 0, out.position());
    if (!message.equals(again)) {
      throw new AssertionError(message + " came back as " + again);
    }
  }

  private static void requireTyped(MalformedPacketException e) {
    if (!(e.reason() instanceof XfrmDropReason)) {
      throw new AssertionError("untranslated reason " + e.reason(), e);
    }
  }
}
