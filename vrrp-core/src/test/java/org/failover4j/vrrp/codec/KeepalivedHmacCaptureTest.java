package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
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

  /** One captured advert: the IPv4 datagram or IPv6 payload, its addresses and capture time. */
  record Frame(
      long number,
      Instant time,
      int ipVersion,
      ByteBuffer bytes,
      byte[] source,
      byte[] destination,
      int ttl) {
    VrrpPacketDecoder decode(VrrpPacketDecoder decoder) {
      return ipVersion == 4
          ? decoder.wrapIpv4(bytes, 0, bytes.limit())
          : decoder.wrapIpv6(bytes, 0, bytes.limit(), source, destination, ttl);
    }

    long wallNanos() {
      return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }
  }

  static List<Frame> frames() throws IOException {
    byte[] file;
    try (InputStream in = KeepalivedHmacCaptureTest.class.getResourceAsStream(FILE)) {
      file = in.readAllBytes();
    }
    List<Frame> frames = new ArrayList<>();
    IpPacket ip = new IpPacket();
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        assertTrue(ip.wrapFrame(frame));
        int from = ip.version() == 4 ? ip.headerOffset() : ip.payloadOffset();
        byte[] copy = new byte[ip.payloadOffset() + ip.payloadLength() - from];
        ip.buffer().get(from, copy);
        byte[] source = new byte[ip.addressLength()];
        byte[] destination = new byte[ip.addressLength()];
        ip.buffer().get(ip.sourceOffset(), source);
        ip.buffer().get(ip.destinationOffset(), destination);
        frames.add(
            new Frame(
                frame.number(),
                frame.timestamp(),
                ip.version(),
                ByteBuffer.wrap(copy),
                source,
                destination,
                ip.ttl()));
      }
    }
    return frames;
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
    List<Frame> frames = frames();
    assertEquals(12, frames.size());
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    VrrpAdvertValidator[] right = new VrrpAdvertValidator[256];
    int[] seen = new int[256];
    for (int vrid = 51; vrid <= 53; vrid++) {
      right[vrid] = new VrrpAdvertValidator(receiver(vrid, true), null);
    }
    for (Frame f : frames) {
      int vrid = f.decode(decoder).advert().vrid();
      assertTrue(decoder.advert().hasHmacTrailer(), "frame " + f.number());
      assertNull(right[vrid].validate(decoder, true, f.wallNanos()), "frame " + f.number());
      seen[vrid]++;
    }
    assertEquals(4, seen[51]);
    assertEquals(4, seen[52]);
    assertEquals(4, seen[53]);
    for (Frame f : frames) {
      int vrid = f.decode(decoder).advert().vrid();
      assertEquals(
          VrrpDropReason.HMAC_REPLAYED,
          right[vrid].validate(decoder, true, f.wallNanos()),
          "replayed frame " + f.number());
      VrrpAdvertValidator wrong = new VrrpAdvertValidator(receiver(vrid, false), null);
      assertEquals(
          VrrpDropReason.HMAC_BAD,
          wrong.validate(f.decode(decoder), true, f.wallNanos()),
          "wrong key, frame " + f.number());
      VrrpAdvertValidator later = new VrrpAdvertValidator(receiver(vrid, true), null);
      assertEquals(
          VrrpDropReason.HMAC_STALE,
          later.validate(f.decode(decoder), true, f.wallNanos() + 3600_000_000_000L),
          "an hour later, frame " + f.number());
    }
  }

  @Test
  void theEncoderWritesWhatKeepalivedSentTrailerAndChecksumIncluded() throws IOException {
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (Frame f : frames()) {
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
          "frame " + f.number());
    }
  }
}
