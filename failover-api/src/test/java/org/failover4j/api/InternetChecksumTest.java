package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

  @Test
  void rfc1071WorkedExample() {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded); the checksum is 220d.
    byte[] data = HexFormat.of().parseHex("0001f203f4f5f6f7");
    int sum = InternetChecksum.add(0, data, 0, data.length);
    assertEquals(0x220d, InternetChecksum.finish(sum));
  }

  @Test
  void ipv4HeaderChecksumOfAKnownHeader() {
    // The header of the AH sanity vector in PROTOCOLS.md: checksum d0b6 at offset 10.
    byte[] header = HexFormat.of().parseHex("45c0004000010000ff330000" + "0a000001e0000012");
    assertEquals(0xd0b6, InternetChecksum.finish(InternetChecksum.add(0, header, 0, 20)));
    header[10] = (byte) 0xd0;
    header[11] = (byte) 0xb6;
    assertTrue(InternetChecksum.isValid(InternetChecksum.add(0, header, 0, 20)));
    header[3] ^= 1;
    assertFalse(InternetChecksum.isValid(InternetChecksum.add(0, header, 0, 20)));
  }

  @Test
  void oddLengthIsPaddedWithZero() {
    byte[] odd = {0x12, 0x34, 0x56};
    byte[] padded = {0x12, 0x34, 0x56, 0x00};
    assertEquals(
        InternetChecksum.finish(InternetChecksum.add(0, padded, 0, 4)),
        InternetChecksum.finish(InternetChecksum.add(0, odd, 0, 3)));
  }

  @Test
  void byteArrayAndBufferAndSplitRangesAgree() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      byte[] data = new byte[random.nextInt(200)];
      random.nextBytes(data);
      int whole = InternetChecksum.add(0, data, 0, data.length);
      int split = data.length / 2 & ~1;
      int parts = InternetChecksum.add(0, data, 0, split);
      parts = InternetChecksum.add(parts, ByteBuffer.wrap(data), split, data.length - split);
      assertEquals(InternetChecksum.finish(whole), InternetChecksum.finish(parts), "seed " + seed);
    }
  }

  @Test
  void pseudoHeaderWordsMatchTheirByteForm() {
    byte[] pseudo = HexFormat.of().parseHex("c0000201" + "e0000012" + "0070" + "0014");
    int expected = InternetChecksum.add(0, pseudo, 0, pseudo.length);
    int actual = InternetChecksum.addIpv4PseudoHeader(0, 0xc0000201, 0xe0000012, 112, 20);
    assertEquals(InternetChecksum.finish(expected), InternetChecksum.finish(actual));
  }
}
