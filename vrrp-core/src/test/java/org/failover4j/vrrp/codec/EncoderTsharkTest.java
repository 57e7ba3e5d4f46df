package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.failover4j.api.capture.CaptureReader;
import org.failover4j.api.capture.CapturedFrame;
import org.failover4j.api.capture.IpPacket;
import org.failover4j.api.capture.LinkType;
import org.failover4j.api.capture.PcapWriter;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Interop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames the encoder writes, in keepalived's eyes as far as possible without a raw socket: tshark's
 * dissectors read every field as we meant it and find the IPv4 and VRRP checksums good, and the AH
 * verifier that the golden captures proved against keepalived accepts the AH frames after their
 * trip through a pcap file (and refuses them with another key).
 */
@Interop(peers = "tshark")
class EncoderTsharkTest {

  private static final int FRAMES = 400;
  private static final List<String> CHECK_IP = List.of("-o", "ip.check_checksum:TRUE");
  private static final List<String> V3_AS_V2 = List.of("-o", "vrrp.v3_checksum_as_in_v2:TRUE");

  @TempDir Path dir;

  @Test
  void tsharkReadsWhatTheEncoderWrote() throws IOException {
    long seed = Long.getLong("failover4j.seed", System.nanoTime());
    RandomAdverts adverts = new RandomAdverts(new Random(seed));
    List<RandomAdverts.Advert> written = new ArrayList<>();
    List<ByteBuffer> packets = new ArrayList<>();
    Path file = dir.resolve("encoded.pcap");
    Path noPseudoHeader = dir.resolve("encoded-no-pseudo-header.pcap");
    try (PcapWriter all = PcapWriter.create(file, LinkType.RAW);
        PcapWriter rfc9568 = PcapWriter.create(noPseudoHeader, LinkType.RAW)) {
      for (int i = 0; i < FRAMES; i++) {
        RandomAdverts.Advert advert = adverts.next();
        ByteBuffer packet = advert.encode();
        written.add(advert);
        packets.add(packet);
        ByteBuffer frame = withIpHeader(advert, packet);
        all.write(Instant.EPOCH, frame);
        if (usesMode(advert, ChecksumMode.NO_PSEUDO_HEADER)) {
          rfc9568.write(Instant.EPOCH, frame);
        }
      }
    }
    List<String> fields = new ArrayList<>(List.of(GoldenCaptureTsharkTest.FIELDS));
    fields.add("ip.checksum.status");
    List<List<String>> rows = Capture.read(file, CHECK_IP, "", fields.toArray(String[]::new));
    assertEquals(FRAMES, rows.size(), "seed " + seed);
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (int i = 0; i < FRAMES; i++) {
      RandomAdverts.Advert advert = written.get(i);
      String where = "seed " + seed + ", frame " + (i + 1) + ": " + advert.config();
      advert.decode(decoder, packets.get(i));
      List<String> expected = GoldenCaptureTsharkTest.ours(i + 1, decoder);
      List<String> actual = GoldenCaptureTsharkTest.normalize(rows.get(i));
      for (int f = 0; f < GoldenCaptureTsharkTest.FIELDS.length; f++) {
        assertEquals(
            expected.get(f), actual.get(f), where + " " + GoldenCaptureTsharkTest.FIELDS[f]);
      }
      boolean tsharkMode =
          advert.config().version() == 2
              || advert.config().family() == IpFamily.IPV6
              || usesMode(advert, ChecksumMode.PSEUDO_HEADER)
              || (usesMode(advert, ChecksumMode.PSEUDO_HEADER_GROUP)
                  && !advert.config().isUnicast());
      assertEquals(tsharkMode ? "1" : "0", actual.get(17), "tshark's checksum verdict, " + where);
      String ipChecksum = rows.get(i).get(fields.size() - 1);
      assertEquals(advert.config().family() == IpFamily.IPV4 ? "1" : "", ipChecksum, where);
    }
    // RFC 9568's variant: tshark checks it when told VRRPv3 checksums are computed as in v2.
    for (List<String> row : Capture.read(noPseudoHeader, V3_AS_V2, "", "vrrp.checksum.status")) {
      assertEquals(List.of("1"), row, "seed " + seed);
    }
  }

  @Test
  void theAhVerifierAcceptsEncodedFramesReadBackFromAPcap() throws IOException {
    long seed = Long.getLong("failover4j.seed", System.nanoTime());
    RandomAdverts adverts = new RandomAdverts(new Random(seed));
    List<RandomAdverts.Advert> ah = new ArrayList<>();
    Path file = dir.resolve("ah.pcap");
    try (PcapWriter writer = PcapWriter.create(file, LinkType.RAW)) {
      while (ah.size() < 100) {
        RandomAdverts.Advert advert = adverts.next();
        if (advert.config().authType() == AuthType.IPSEC_AH) {
          ah.add(advert);
          writer.write(Instant.EPOCH, advert.encode());
        }
      }
    }
    List<List<String>> tshark = Capture.read(file, List.of(), "ah", "ah.spi", "vrrp.prio");
    assertEquals(100, tshark.size(), "tshark sees IPv4 | AH | VRRP in every frame");
    IpPacket ip = new IpPacket();
    AhAuthenticator wrong = new AhAuthenticator("wrong".getBytes());
    try (CaptureReader reader = CaptureReader.open(file)) {
      int i = 0;
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next(), i++) {
        RandomAdverts.Advert advert = ah.get(i);
        String where = "seed " + seed + ", frame " + frame.number();
        assertTrue(ip.wrapFrame(frame), where);
        boolean unicast = advert.config().isUnicast();
        int length = ip.payloadOffset() + ip.payloadLength() - ip.headerOffset();
        AhAuthenticator right = new AhAuthenticator(advert.password());
        assertTrue(right.verify(ip.buffer(), ip.headerOffset(), length, unicast), where);
        assertFalse(wrong.verify(ip.buffer(), ip.headerOffset(), length, unicast), where);
        assertEquals(Integer.toString(advert.priority()), tshark.get(i).get(1), where);
      }
    }
  }

  private static boolean usesMode(RandomAdverts.Advert advert, ChecksumMode mode) {
    return advert.config().version() == 3
        && advert.config().family() == IpFamily.IPV4
        && advert.config().checksumMode() == mode;
  }

  /** IPv4 datagrams are whole; IPv6 messages get the header the kernel would add. */
  private static ByteBuffer withIpHeader(RandomAdverts.Advert advert, ByteBuffer packet) {
    if (advert.config().family() == IpFamily.IPV4) {
      return packet.duplicate().clear();
    }
    ByteBuffer frame = ByteBuffer.allocate(40 + packet.limit());
    frame.putInt(0x60000000).putShort((short) packet.limit()).put((byte) 112);
    frame.put((byte) advert.config().ttl()).put(advert.source()).put(advert.destination());
    frame.put(packet.duplicate().clear());
    return frame.clear();
  }
}
