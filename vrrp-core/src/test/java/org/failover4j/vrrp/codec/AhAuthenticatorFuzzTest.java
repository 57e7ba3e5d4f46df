package org.failover4j.vrrp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.failover4j.api.MalformedPacketException;

/**
 * Any bytes as an AH datagram: the verifier answers true or false without throwing, and the AH path
 * of the validator drops what does not verify. Byte 0 is the offset of the datagram in the buffer
 * (0..7) and whether to verify in unicast mode (bit 3).
 */
class AhAuthenticatorFuzzTest {

  private static final AhAuthenticator AUTHENTICATOR =
      new AhAuthenticator("secret12".getBytes(StandardCharsets.US_ASCII));

  @FuzzTest(maxDuration = "2m")
  void verify(byte[] input) {
    if (input.length < 1) {
      return;
    }
    int offset = Math.min(input[0] & 0x07, input.length - 1);
    boolean unicast = (input[0] & 0x08) != 0;
    ByteBuffer buffer = ByteBuffer.wrap(input);
    int length = input.length - 1 - offset;
    boolean valid = AUTHENTICATOR.verify(buffer, 1 + offset, length, unicast);
    AUTHENTICATOR.verify(buffer.asReadOnlyBuffer(), 1 + offset, length, !unicast);
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    try {
      decoder.wrapIpv4(buffer, 1 + offset, length);
    } catch (MalformedPacketException refused) {
      return;
    }
    VrrpAdvertValidator validator =
        new VrrpAdvertValidator(SanityVector.config(), new AhSequenceCounter());
    VrrpDropReason reason = validator.validate(decoder);
    if (!valid && !unicast && reason == null) {
      throw new AssertionError("accepted an AH packet whose ICV does not verify");
    }
  }
}
