package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;

/**
 * The codec reads and writes network order whatever order the {@link ByteBuffer} is set to: the
 * same advert encoded into big-endian, little-endian and native-order buffers (heap and direct, at
 * an odd offset) gives the same bytes, and decodes to the same fields, which the validator accepts.
 */
class VrrpByteOrderTest {

  private static final int OFFSET = 3;
  private static final ByteOrder[] ORDERS = {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN};

  @Test
  void theSanityVectorDecodesTheSameInALittleEndianBuffer() {
    for (boolean direct : new boolean[] {false, true}) {
      byte[] bytes = SanityVector.bytes();
      ByteBuffer b = allocate(bytes.length, direct, ByteOrder.LITTLE_ENDIAN);
      b.put(OFFSET, bytes);
      VrrpPacketDecoder decoder = new VrrpPacketDecoder().wrapIpv4(b, OFFSET, bytes.length);
      assertEquals(SanityVector.SOURCE, decoder.ipv4Source());
      assertEquals(SanityVector.GROUP, decoder.ipv4Destination());
      assertEquals(0x40, decoder.ipTotalLength());
      assertEquals(1, decoder.ipIdentification());
      assertEquals(SanityVector.SOURCE, decoder.ahSpi());
      assertEquals(1, decoder.ahSequence());
      assertEquals(0x0a000064, decoder.advert().ipv4Address(0));
      assertEquals(0x6e66, decoder.advert().checksum());
      VrrpAdvertValidator validator =
          new VrrpAdvertValidator(SanityVector.config(), new AhSequenceCounter());
      assertNull(validator.validate(decoder), "the AH ICV and checksums verify");
    }
  }

  @Test
  void everyBufferOrderEncodesAndDecodesTheSameAdvert() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    RandomAdverts adverts = new RandomAdverts(random);
    for (int i = 0; i < 2_000; i++) {
      RandomAdverts.Advert advert = adverts.next();
      String where = "seed " + seed + ", advert " + i;
      byte[] expected = bytes(advert.encode());
      String fields = null;
      for (boolean direct : new boolean[] {false, true}) {
        for (ByteOrder order : ORDERS) {
          ByteBuffer b = encode(advert, allocate(expected.length, direct, order));
          byte[] written = new byte[expected.length];
          b.get(OFFSET, written);
          assertEquals(
              HexFormat.of().formatHex(expected), HexFormat.of().formatHex(written), where);
          String decoded = fields(advert, b, expected.length);
          if (fields == null) {
            fields = decoded;
          }
          assertEquals(fields, decoded, where + ", " + order + (direct ? " direct" : " heap"));
        }
      }
    }
  }

  private static ByteBuffer allocate(int length, boolean direct, ByteOrder order) {
    ByteBuffer b =
        direct ? ByteBuffer.allocateDirect(length + OFFSET) : ByteBuffer.allocate(length + OFFSET);
    return b.order(order);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] bytes = new byte[b.limit()];
    b.get(0, bytes);
    return bytes;
  }

  private static ByteBuffer encode(RandomAdverts.Advert a, ByteBuffer b) {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(a.config());
    if (a.config().family() == IpFamily.IPV4) {
      encoder.encodeIpv4(
          b,
          OFFSET,
          a.priority(),
          ByteBuffer.wrap(a.source()).getInt(),
          ByteBuffer.wrap(a.destination()).getInt(),
          a.identification(),
          a.sequence());
    } else {
      encoder.encodeIpv6(b, OFFSET, a.priority(), a.source(), a.destination());
    }
    return b;
  }

  /** Every field the decoder reads, and the validator's verdict, as one string. */
  private static String fields(RandomAdverts.Advert a, ByteBuffer b, int length) {
    VrrpPacketDecoder d = new VrrpPacketDecoder();
    if (a.config().family() == IpFamily.IPV4) {
      d.wrapIpv4(b, OFFSET, length);
    } else {
      d.wrapIpv6(b, OFFSET, length, a.source(), a.destination(), a.config().ttl());
    }
    VrrpAdvertDecoder v = d.advert().requireWellFormed();
    StringBuilder s = new StringBuilder();
    s.append(v.version()).append(' ').append(v.type()).append(' ').append(v.vrid());
    s.append(' ').append(v.priority()).append(' ').append(v.addressCount());
    s.append(' ').append(v.checksum()).append(' ').append(v.intervalCentiseconds());
    s.append(' ').append(v.addresses()).append(' ').append(d.source()).append(' ');
    s.append(d.destination()).append(' ').append(d.ttl());
    if (a.config().family() == IpFamily.IPV4) {
      s.append(' ').append(v.authTypeCode()).append(' ').append(d.ipTotalLength());
      s.append(' ').append(d.ipIdentification()).append(' ').append(d.ipv4Source());
      s.append(' ').append(d.ipv4Destination()).append(' ').append(v.ipv4Address(0));
      if (d.hasAh()) {
        s.append(' ').append(d.ahSpi()).append(' ').append(d.ahSequence());
      }
    }
    VrrpAdvertValidator validator = new VrrpAdvertValidator(a.receiver(), new AhSequenceCounter());
    s.append(" verdict ").append(validator.validate(d));
    return s.toString();
  }
}
