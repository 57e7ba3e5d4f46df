package org.failover4j.carp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.SendCounter;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests over random virtual hosts, fields, counters, families and buffer orders.
 * Run with {@code -Dfailover4j.seed=N} to replay a failure; the seed is in every failure message.
 */
class CarpCodecPropertyTest {

  private static final int CASES = 10_000;

  private final long seed = Long.getLong("failover4j.seed", System.nanoTime());
  private final Random random = new Random(seed);

  @Test
  void everyRandomAdvertRoundTripsAndVerifies() throws Exception {
    CarpHmac hmac = new CarpHmac();
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    for (int i = 0; i < CASES; i++) {
      String where = "seed " + seed + ", case " + i;
      int vhid = 1 + random.nextInt(255);
      byte[] pass = new byte[random.nextInt(20)];
      random.nextBytes(pass);
      CarpKey key = CarpKey.of(vhid, pass, randomAddresses());
      CarpAdvertEncoder encoder = new CarpAdvertEncoder(hmac, key);
      int advbase = random.nextInt(256);
      int advskew = random.nextInt(256);
      int demote = random.nextInt(256);
      long counter = random.nextLong();
      ByteOrder order = random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      ByteBuffer b = ByteBuffer.allocate(80).order(order);
      int at = random.nextInt(20);
      byte[] source = new byte[random.nextBoolean() ? 4 : 16];
      random.nextBytes(source);
      if (source.length == 4) {
        encoder.encodeIpv4(
            b,
            at,
            CarpTestKeys.ipv4(source),
            random.nextInt(),
            7,
            advbase,
            advskew,
            demote,
            counter);
        decoder.wrapIpv4(b, at, CarpAdvertEncoder.IPV4_LENGTH);
      } else {
        encoder.encode(b, at, advbase, advskew, demote, counter);
        decoder.wrapIpv6(b, at, 36, source, 255);
      }
      CarpAdvertDecoder advert = decoder.advert();
      assertTrue(CarpAdvertDecoder.isCarpAdvert(b, advert.offset(), 36), where);
      assertEquals(vhid, advert.vhid(), where);
      assertEquals(advbase, advert.advbase(), where);
      assertEquals(advskew, advert.advskew(), where);
      assertEquals(demote, advert.demote(), where);
      assertEquals(counter, advert.counter(), where);
      assertTrue(advert.checksumValid(), where);
      assertNull(advert.structuralProblem(), where);
      assertEquals(InetAddress.getByAddress(source), decoder.source(), where);
      assertTrue(hmac.verify(key, advert), where);

      // One flipped bit anywhere is caught: by the checksum, and in counter or HMAC by the HMAC.
      int bit = random.nextInt(36 * 8);
      int flipAt = advert.offset() + bit / 8;
      b.put(flipAt, (byte) (b.get(flipAt) ^ (1 << (bit % 8))));
      CarpAdvertValidator validator =
          new CarpAdvertValidator(
              key, hmac, new SendCounter(CounterMode.UCARP_COMPATIBLE, random), null, new byte[4]);
      assertNotNull(validator.validate(decoder), where + ", bit " + bit);
      if (bit / 8 >= CarpAdvertDecoder.COUNTER_OFFSET) {
        assertTrue(!hmac.verify(key, advert), "HMAC after flipping bit " + bit + ", " + where);
      }
    }
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButMalformedPacketException() {
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = new byte[random.nextInt(80)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 0x45;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int offset = random.nextInt(4) - 1;
      int length = bytes.length - random.nextInt(3);
      try {
        decoder.wrapIpv4(b, offset, length);
        decoder.advert().structuralProblem();
        decoder.advert().counter();
      } catch (MalformedPacketException expected) {
        assertNotNull(expected.reason(), "seed " + seed + ", case " + i);
      }
    }
  }

  private List<InetAddress> randomAddresses() throws UnknownHostException {
    List<InetAddress> addresses = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      byte[] a = new byte[random.nextBoolean() ? 4 : 16];
      random.nextBytes(a);
      a[a.length - 1] = (byte) i; // distinct
      InetAddress address = InetAddress.getByAddress(a);
      if (!addresses.contains(address)) {
        addresses.add(address);
      }
    }
    return addresses;
  }
}
