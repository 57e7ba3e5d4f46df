package org.failover4j.carp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;

/**
 * Any bytes, as an IPv4 datagram or as an IPv6 payload, through the demux rule, the decoder, every
 * accessor and the validators of both counter modes: only {@link MalformedPacketException} may come
 * out. The committed corpus (ucarp's own frames, one as IPv6, edge shapes) replays in every test
 * run.
 *
 * <p>Input layout: byte 0 even = IPv4, the rest is the datagram; odd = IPv6, then 16 bytes of
 * source, the hop limit, and the payload. Bit 1 of byte 0 picks a little-endian buffer.
 */
class CarpPacketDecoderFuzzTest {

  private static final CarpHmac HMAC = new CarpHmac();
  private static final CarpKey KEY = UcarpGolden.VHID10.key();

  @FuzzTest(maxDuration = "2m")
  void decode(byte[] input) {
    if (input.length < 1) {
      return;
    }
    ByteBuffer buffer =
        ByteBuffer.wrap(input)
            .order((input[0] & 2) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    try {
      if ((input[0] & 1) == 0) {
        CarpAdvertDecoder.isCarpAdvert(buffer, 21, input.length - 21);
        decoder.wrapIpv4(buffer, 1, input.length - 1);
      } else {
        if (input.length < 18) {
          return;
        }
        CarpAdvertDecoder.isCarpAdvert(buffer, 18, input.length - 18);
        byte[] source = Arrays.copyOfRange(input, 1, 17);
        decoder.wrapIpv6(buffer, 18, input.length - 18, source, input[17] & 0xFF);
      }
    } catch (MalformedPacketException refused) {
      return;
    }
    CarpAdvertDecoder advert = decoder.advert();
    advert.version();
    advert.type();
    advert.vhid();
    advert.advskew();
    advert.authLength();
    advert.demote();
    advert.advbase();
    advert.checksum();
    advert.counter();
    advert.copyHmac(new byte[20], 0);
    advert.checksumValid();
    advert.structuralProblem();
    decoder.source();
    decoder.ttl();
    decoder.ipv4Destination();
    byte[] own = new byte[decoder.sourceLength()];
    for (CounterMode mode : CounterMode.values()) {
      new CarpAdvertValidator(
              KEY, HMAC, new SendCounter(mode, new Random(1)), new ReplayGuard(2), own)
          .validate(decoder);
    }
  }
}
