package org.failover4j.vrrp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.MalformedPacketException;

/**
 * Any bytes, as an IPv4 datagram or as an IPv6 payload, through the decoder, every accessor, the
 * checksum variants and the validators of four kinds of instance: only {@link
 * MalformedPacketException} may come out.
 *
 * <p>Input layout: byte 0 even = IPv4, the rest is the datagram; odd = IPv6, then 16 bytes of
 * source, 16 of destination, the hop limit, and the payload.
 */
class VrrpPacketDecoderFuzzTest {

  private static final List<VrrpWireConfig> CONFIGS = configs();

  @FuzzTest(maxDuration = "2m")
  void decode(byte[] input) {
    if (input.length < 1) {
      return;
    }
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    ByteBuffer buffer = ByteBuffer.wrap(input);
    try {
      if ((input[0] & 1) == 0) {
        decoder.wrapIpv4(buffer, 1, input.length - 1);
      } else {
        if (input.length < 34) {
          return;
        }
        byte[] source = java.util.Arrays.copyOfRange(input, 1, 17);
        byte[] destination = java.util.Arrays.copyOfRange(input, 17, 33);
        decoder.wrapIpv6(buffer, 34, input.length - 34, source, destination, input[33] & 0xFF);
      }
    } catch (MalformedPacketException refused) {
      return;
    }
    readEverything(decoder);
    for (VrrpWireConfig config : CONFIGS) {
      new VrrpAdvertValidator(config, new AhSequenceCounter()).validate(decoder);
      new VrrpAdvertValidator(config, new AhSequenceCounter()).validate(decoder, false);
    }
  }

  static void readEverything(VrrpPacketDecoder decoder) {
    VrrpAdvertDecoder advert = decoder.advert();
    advert.version();
    advert.type();
    advert.vrid();
    advert.priority();
    advert.authTypeCode();
    advert.intervalCentiseconds();
    advert.reservedBits();
    advert.checksum();
    advert.expectedLength();
    decoder.source();
    decoder.destination();
    decoder.isMulticastDestination();
    for (ChecksumMode mode : ChecksumMode.values()) {
      decoder.checksumValid(mode);
    }
    attempt(advert::requireWellFormed);
    attempt(advert::addresses);
    attempt(() -> advert.copyAuthData(new byte[8], 0));
    attempt(() -> advert.containsAddress(new byte[16], 0));
    attempt(decoder::ipTotalLength);
    attempt(decoder::ahSpi);
    attempt(decoder::ahSequence);
    attempt(decoder::ahNextHeader);
    attempt(() -> decoder.copyAhIcv(new byte[12], 0));
  }

  private static void attempt(Runnable read) {
    try {
      read.run();
    } catch (MalformedPacketException expected) {
      // typed: fine
    }
  }

  private static List<VrrpWireConfig> configs() {
    try {
      InetAddress vip = InetAddress.getByName("192.0.2.100");
      return List.of(
          VrrpWireConfig.builder().vrid(77).virtualAddresses(vip).build(),
          VrrpWireConfig.builder()
              .vrid(51)
              .virtualAddresses(vip)
              .authentication(AuthType.IPSEC_AH, "secret12")
              .build(),
          VrrpWireConfig.builder()
              .vrid(78)
              .virtualAddresses(vip)
              .authentication(AuthType.SIMPLE_TEXT, "s3cr3t")
              .unicastPeers(List.of(InetAddress.getByName("192.0.2.12")))
              .build(),
          VrrpWireConfig.builder()
              .version(3)
              .vrid(62)
              .interval(Duration.ofMillis(500))
              .virtualAddresses(InetAddress.getByName("2001:db8::160"))
              .build());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
