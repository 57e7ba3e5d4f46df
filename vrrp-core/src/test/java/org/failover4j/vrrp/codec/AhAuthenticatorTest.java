package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AhAuthenticatorTest {

  private static final int AH_ICV = 20 + 12;

  private final AhAuthenticator right =
      new AhAuthenticator("secret12".getBytes(StandardCharsets.US_ASCII));

  @Test
  void theSanityVectorVerifiesWithItsKeyInMulticastMode() {
    ByteBuffer packet = SanityVector.buffer();
    assertTrue(right.verify(packet, 0, packet.limit(), false));
    assertFalse(right.verify(packet, 0, packet.limit(), true), "unicast zeroes the TTL too");
    AhAuthenticator wrong = new AhAuthenticator("secret13".getBytes(StandardCharsets.US_ASCII));
    assertFalse(wrong.verify(packet, 0, packet.limit(), false));
  }

  @Test
  void signingReproducesTheSanityVectorIcv() {
    byte[] expected = SanityVector.bytes();
    byte[] bytes = SanityVector.bytes();
    java.util.Arrays.fill(bytes, AH_ICV, AH_ICV + 12, (byte) 0x55);
    right.sign(ByteBuffer.wrap(bytes), 0, bytes.length, false);
    assertArrayEquals(expected, bytes);
  }

  @Test
  void mutableFieldsAreNotCoveredAndEverythingElseIs() {
    byte[] original = SanityVector.bytes();
    for (int i = 0; i < original.length; i++) {
      if (i >= AH_ICV && i < AH_ICV + 12) {
        continue; // the ICV itself
      }
      byte[] changed = original.clone();
      changed[i] ^= 0x01;
      boolean mutable = i == 1 || i == 6 || i == 7 || i == 10 || i == 11;
      assertEquals(
          mutable,
          right.verify(ByteBuffer.wrap(changed), 0, changed.length, false),
          "byte " + i + (mutable ? " is mutable" : " is covered"));
      boolean mutableInUnicast = mutable || i == 8;
      byte[] signedUnicast = original.clone();
      right.sign(ByteBuffer.wrap(signedUnicast), 0, signedUnicast.length, true);
      signedUnicast[i] ^= 0x01;
      assertEquals(
          mutableInUnicast,
          right.verify(ByteBuffer.wrap(signedUnicast), 0, signedUnicast.length, true),
          "unicast byte " + i);
    }
  }

  @Test
  void readsDirectReadOnlyAndOffsetBuffers() {
    byte[] bytes = SanityVector.bytes();
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 7);
    direct.put(7, bytes);
    assertTrue(right.verify(direct, 7, bytes.length, false));
    assertTrue(right.verify(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), 0, bytes.length, false));
    byte[] shifted = new byte[bytes.length + 3];
    System.arraycopy(bytes, 0, shifted, 3, bytes.length);
    ByteBuffer slice = ByteBuffer.wrap(shifted, 1, shifted.length - 1).slice();
    assertTrue(right.verify(slice, 2, bytes.length, false));
  }

  @Test
  void aShortPasswordIsTheSameKeyZeroPadded() {
    byte[] bytes = SanityVector.bytes();
    AhAuthenticator shortKey = new AhAuthenticator("abc".getBytes(StandardCharsets.US_ASCII));
    AhAuthenticator padded = new AhAuthenticator(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0});
    shortKey.sign(ByteBuffer.wrap(bytes), 0, bytes.length, false);
    assertTrue(padded.verify(ByteBuffer.wrap(bytes), 0, bytes.length, false));
  }

  @Test
  void refusesKeysKeepalivedCannotHaveAndNeverThrowsOnShortInput() {
    assertThrows(IllegalArgumentException.class, () -> new AhAuthenticator(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new AhAuthenticator(new byte[9]));
    assertFalse(right.verify(ByteBuffer.allocate(43), 0, 43, false), "20 + 24 bytes needed");
    assertFalse(right.verify(ByteBuffer.allocate(10), 0, 20, false), "beyond the buffer");
    assertFalse(right.verify(ByteBuffer.allocate(64), -1, 20, false));
    assertTrue(right.toString().contains("hidden"));
  }
}
