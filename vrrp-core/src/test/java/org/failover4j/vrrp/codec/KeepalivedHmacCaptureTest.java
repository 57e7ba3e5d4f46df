package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.vrrp.codec.GoldenCaptureTest.Captured;
import org.junit.jupiter.api.Test;

/**
 * keepalived 2.4.3 (built from the v2.4.3 tag) as master of three {@code auth_hmac} instances,
 * captured once: VRRPv3 over IPv4 (VRID 51, key 1 = hex 00..1f), VRRPv2 over IPv4 (VRID 52, key 2 =
 * the text {@link #TEXT_KEY}), VRRPv3 over IPv6 (VRID 53, key 1), three adverts each and the
 * priority-0 ones of its shutdown. The keys are test-only; the configuration is committed beside
 * the capture ({@code golden/keepalived-2.4.3-auth-hmac.conf}).
 *
 * <p>Each frame is verified by the receive path at the time it was captured, byte for byte
 * re-encoded (the IPv6 checksum over the trailer too, as the kernel computed it), refused with the
 * wrong key, as a replay, and once stale.
 */
class KeepalivedHmacCaptureTest {

  static final String FILE = "golden/keepalived-2.4.3-auth-hmac.pcap";
  static final String HEX_KEY =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  // keepalived reads "!" as the start of a comment: the configured key ends before it.
  static final String TEXT_KEY = "failover4j-test-only-key-not-a-secret";

  static List<Captured> frames() throws IOException {
    try (InputStream in = KeepalivedHmacCaptureTest.class.getResourceAsStream(FILE)) {
      return GoldenCaptureTest.packets(in.readAllBytes());
    }
  }

  /** The instance that receives VRID {@code vrid}'s adverts, keyed as keepalived was. */
  static VrrpWireConfig receiver(int vrid, boolean rightKey) throws IOException {
    HmacAuthentication.Builder keys = HmacAuthentication.builder();
    if (!rightKey) {
      keys.key(vrid == 52 ? 2 : 1, "x".repeat(32));
    } else if (vrid == 52) {
      keys.key(2, TEXT_KEY);
    } else {
      keys.key(1, HEX_KEY);
    }
    return VrrpWireConfig.builder()
        .version(vrid == 52 ? 2 : 3)
        .vrid(vrid)
        .virtualAddresses(
            InetAddress.getByName(
                vrid == 51 ? "192.0.2.100" : vrid == 52 ? "192.0.2.101" : "2001:db8::100"))
        .hmacAuthentication(keys.build())
        .build();
  }

  @Test
  void theReceivePathAcceptsEveryAdvertOnceAndRefusesWrongKeysReplaysAndStaleOnes()
      throws IOException {
    List<Captured> frames = frames();
    assertEquals(12, frames.size());
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    VrrpAdvertValidator[] right = new VrrpAdvertValidator[256];
    int[] seen = new int[256];
    for (int vrid = 51; vrid <= 53; vrid++) {
      right[vrid] = new VrrpAdvertValidator(receiver(vrid, true), null);
    }
    for (Captured f : frames) {
      int vrid = f.decode(decoder).advert().vrid();
      assertTrue(decoder.advert().hasHmacTrailer(), "frame " + f.frame());
      assertNull(right[vrid].validate(decoder, true, f.wallNanos()), "frame " + f.frame());
      seen[vrid]++;
    }
    assertEquals(4, seen[51]);
    assertEquals(4, seen[52]);
    assertEquals(4, seen[53]);
    for (Captured f : frames) {
      int vrid = f.decode(decoder).advert().vrid();
      assertEquals(
          VrrpDropReason.HMAC_REPLAYED,
          right[vrid].validate(decoder, true, f.wallNanos()),
          "replayed frame " + f.frame());
      VrrpAdvertValidator wrong = new VrrpAdvertValidator(receiver(vrid, false), null);
      assertEquals(
          VrrpDropReason.HMAC_BAD,
          wrong.validate(f.decode(decoder), true, f.wallNanos()),
          "wrong key, frame " + f.frame());
      VrrpAdvertValidator later = new VrrpAdvertValidator(receiver(vrid, true), null);
      assertEquals(
          VrrpDropReason.HMAC_STALE,
          later.validate(f.decode(decoder), true, f.wallNanos() + 3600_000_000_000L),
          "an hour later, frame " + f.frame());
    }
  }

  @Test
  void theEncoderWritesWhatKeepalivedSentTrailerAndChecksumIncluded() throws IOException {
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (Captured f : frames()) {
      VrrpAdvertDecoder advert = f.decode(decoder).advert();
      VrrpPacketEncoder encoder = new VrrpPacketEncoder(receiver(advert.vrid(), true));
      ByteBuffer out = ByteBuffer.allocate(f.bytes().limit());
      if (decoder.family() == IpFamily.IPV4) {
        encoder.encodeIpv4(
            out,
            0,
            advert.priority(),
            decoder.ipv4Source(),
            decoder.ipv4Destination(),
            decoder.ipIdentification(),
            0,
            advert.hmacSequence());
      } else {
        encoder.encodeIpv6(
            out, 0, advert.priority(), f.source(), f.destination(), advert.hmacSequence());
      }
      assertEquals(
          HexFormat.of().formatHex(f.bytes().array()),
          HexFormat.of().formatHex(out.array()),
          "frame " + f.frame());
    }
  }
}
