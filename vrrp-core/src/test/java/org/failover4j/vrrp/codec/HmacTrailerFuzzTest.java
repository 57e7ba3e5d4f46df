package org.failover4j.vrrp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;

/**
 * Any bytes as a signed advert: the HMAC check answers without throwing, and the validator of an
 * {@code auth_hmac} instance (monotonic, so old captures are not merely stale) accepts nothing the
 * HMAC check refuses. Byte 0 picks the family (bit 0: IPv6 message, else IPv4 datagram) and the
 * instance (bit 1: VRRPv2 over IPv4, else VRRPv3); bytes 1..16 are the IPv6 source.
 */
class HmacTrailerFuzzTest {

  private static final String KEY =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final HmacAuthentication HMAC =
      HmacAuthentication.builder().key(1, KEY).antiReplay(HmacAntiReplay.MONOTONIC).build();
  private static final HmacAuthenticator AUTHENTICATOR = new HmacAuthenticator(HMAC);
  private static final byte[] GROUP6 = IpFamily.IPV6.advertGroup().getAddress();
  private static final long NOW = 1_796_641_170_000_000_000L;

  @FuzzTest(maxDuration = "2m")
  void verify(byte[] input) throws Exception {
    if (input.length < 17) {
      return;
    }
    boolean ipv6 = (input[0] & 1) != 0;
    int version = ipv6 || (input[0] & 2) == 0 ? 3 : 2;
    byte[] source6 = Arrays.copyOfRange(input, 1, 17);
    ByteBuffer packet = ByteBuffer.wrap(input, 17, input.length - 17).slice();
    // The bare check, at every message length the bytes allow.
    IpFamily family = ipv6 ? IpFamily.IPV6 : IpFamily.IPV4;
    for (int length = 0; length + HmacTrailer.LENGTH <= packet.limit(); length += 4) {
      AUTHENTICATOR.verify(packet, 0, length, source6, family);
    }
    VrrpWireConfig config =
        VrrpWireConfig.builder()
            .version(version)
            .vrid(51)
            .virtualAddresses(java.net.InetAddress.getByName(ipv6 ? "fe80::100" : "192.0.2.100"))
            .hmacAuthentication(HMAC)
            .build();
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    try {
      if (ipv6) {
        decoder.wrapIpv6(packet, 0, packet.limit(), source6, GROUP6, 255);
      } else {
        decoder.wrapIpv4(packet, 0, packet.limit());
      }
    } catch (MalformedPacketException refused) {
      return;
    }
    VrrpDropReason reason = new VrrpAdvertValidator(config, null).validate(decoder, true, NOW);
    if (reason == null) {
      VrrpAdvertDecoder advert = decoder.advert();
      byte[] source = new byte[family.addressLength()];
      decoder.copySource(source, 0);
      if (AUTHENTICATOR.verify(packet, advert.offset(), advert.expectedLength(), source, family)
          != null) {
        throw new AssertionError("accepted an advert whose HMAC does not verify");
      }
    }
  }
}
