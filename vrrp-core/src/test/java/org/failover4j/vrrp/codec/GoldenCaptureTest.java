package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.capture.CaptureFormat;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
import org.failover4j.capture.LinkType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the codec against what keepalived 2.2.7 really sent (see {@link GoldenCapture}): every
 * frame decodes, its checksum verifies in the variant keepalived uses, AH ICVs verify with the
 * right key and fail with a wrong one, the validator accepts the whole stream, and the encoder,
 * given the same inputs, writes the very same bytes.
 */
class GoldenCaptureTest {

  private static final byte[] WRONG_KEY = "wrong".getBytes(StandardCharsets.US_ASCII);

  /** One captured VRRP packet, copied out of its frame, and when it was captured. */
  record Captured(
      long frame,
      int version,
      ByteBuffer bytes,
      byte[] source,
      byte[] destination,
      int ttl,
      java.time.Instant time) {

    VrrpPacketDecoder decode(VrrpPacketDecoder decoder) {
      return version == 4
          ? decoder.wrapIpv4(bytes, 0, bytes.limit())
          : decoder.wrapIpv6(bytes, 0, bytes.limit(), source, destination, ttl);
    }

    /** {@return the capture time in nanoseconds since the epoch} */
    long wallNanos() {
      return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }
  }

  /** The VRRP packets of a golden capture: IPv4 datagrams, or IPv6 payloads with addresses. */
  static List<Captured> packets(GoldenCapture golden) throws IOException {
    return packets(golden.bytes());
  }

  /** The VRRP packets of the capture file {@code file}. */
  static List<Captured> packets(byte[] file) throws IOException {
    List<Captured> packets = new ArrayList<>();
    IpPacket ip = new IpPacket();
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        assertTrue(ip.wrapFrame(frame), "frame " + frame.number() + " holds an IP packet");
        int from = ip.version() == 4 ? ip.headerOffset() : ip.payloadOffset();
        int to = ip.payloadOffset() + ip.payloadLength();
        byte[] copy = new byte[to - from];
        ip.buffer().get(from, copy);
        byte[] source = new byte[ip.addressLength()];
        byte[] destination = new byte[ip.addressLength()];
        ip.buffer().get(ip.sourceOffset(), source);
        ip.buffer().get(ip.destinationOffset(), destination);
        packets.add(
            new Captured(
                frame.number(),
                ip.version(),
                ByteBuffer.wrap(copy),
                source,
                destination,
                ip.ttl(),
                frame.timestamp()));
      }
    }
    return packets;
  }

  static VrrpWireConfig observerConfig(GoldenCapture golden) throws IOException {
    VrrpWireConfig.Builder builder =
        VrrpWireConfig.builder()
            .version(golden.version)
            .vrid(golden.vrid)
            .interval(Duration.ofMillis((long) (Double.parseDouble(golden.advertInterval) * 1000)))
            .virtualAddresses(addresses(golden.addresses()));
    if (golden.auth != AuthType.NONE) {
      builder.authentication(golden.auth, golden.passwordBytes());
    }
    if (golden.unicast) {
      builder.unicastPeers(addresses(List.of("192.0.2.11", "192.0.2.12")));
    }
    return builder.build();
  }

  private static List<InetAddress> addresses(List<String> literals) throws IOException {
    List<InetAddress> list = new ArrayList<>();
    for (String literal : literals) {
      list.add(InetAddress.getByName(literal));
    }
    return list;
  }

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void everyFrameDecodesWithTheScenarioFields(GoldenCapture golden) throws IOException {
    List<Captured> packets = packets(golden);
    assertTrue(packets.size() >= 8, golden.file + " holds " + packets.size() + " frames");
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    Set<Integer> priorities = new java.util.HashSet<>();
    for (Captured captured : packets) {
      VrrpAdvertDecoder advert = captured.decode(decoder).advert().requireWellFormed();
      String where = golden.file + " frame " + captured.frame();
      assertEquals(golden.version, advert.version(), where);
      assertEquals(golden.vrid, advert.vrid(), where);
      assertEquals(golden.addresses(), literals(advert.addresses()), where);
      assertEquals(
          (int) (Double.parseDouble(golden.advertInterval) * 100),
          advert.intervalCentiseconds(),
          where);
      assertEquals(golden.family(), decoder.family(), where);
      assertEquals(255, decoder.ttl(), where);
      assertEquals(!golden.unicast, decoder.isMulticastDestination(), where);
      assertEquals(golden.auth == AuthType.IPSEC_AH, decoder.hasAh(), where);
      if (golden.version == 2) {
        assertEquals(golden.auth.code(), advert.authTypeCode(), where);
        byte[] authData = new byte[8];
        advert.copyAuthData(authData, 0);
        byte[] expected = new byte[8];
        if (golden.auth == AuthType.SIMPLE_TEXT) {
          System.arraycopy(golden.passwordBytes(), 0, expected, 0, golden.password.length());
        }
        assertArrayEquals(expected, authData, where);
      } else {
        assertEquals(0, advert.reservedBits(), where);
      }
      priorities.add(advert.priority());
    }
    assertEquals(Set.of(150, 100, 0), priorities, "master, backup taking over, and goodbyes");
  }

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void checksumsVerifyInTheVariantKeepalivedUses(GoldenCapture golden) throws IOException {
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (Captured captured : packets(golden)) {
      captured.decode(decoder);
      String where = golden.file + " frame " + captured.frame();
      assertTrue(decoder.checksumValid(ChecksumMode.PSEUDO_HEADER), where);
      if (golden.version == 3 && golden.family() == IpFamily.IPV4) {
        // keepalived 2.2.7 uses the pseudo-header with the actual destination: in multicast that
        // is the group, in unicast the peer, which tells the variants apart.
        assertEquals(
            !golden.unicast, decoder.checksumValid(ChecksumMode.PSEUDO_HEADER_GROUP), where);
        assertFalse(decoder.checksumValid(ChecksumMode.NO_PSEUDO_HEADER), where);
      }
      ByteBuffer bytes = captured.bytes();
      int vrrpChecksum = decoder.advert().offset() + VrrpAdvertDecoder.CHECKSUM_OFFSET;
      bytes.put(vrrpChecksum, (byte) (bytes.get(vrrpChecksum) ^ 0x40));
      assertFalse(decoder.checksumValid(ChecksumMode.PSEUDO_HEADER), where + " altered");
      bytes.put(vrrpChecksum, (byte) (bytes.get(vrrpChecksum) ^ 0x40));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = GoldenCapture.class,
      names = {"V2_AH_MULTICAST", "V2_AH_UNICAST"})
  void ahIcvsVerifyWithTheRightKeyOnly(GoldenCapture golden) throws IOException {
    AhAuthenticator right = new AhAuthenticator(golden.passwordBytes());
    AhAuthenticator wrong = new AhAuthenticator(WRONG_KEY);
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    long previous = 0;
    for (Captured captured : packets(golden)) {
      captured.decode(decoder);
      ByteBuffer b = captured.bytes();
      String where = golden.file + " frame " + captured.frame();
      assertTrue(right.verify(b, 0, b.limit(), golden.unicast), where);
      assertFalse(right.verify(b, 0, b.limit(), !golden.unicast), where + " other TTL rule");
      assertFalse(wrong.verify(b, 0, b.limit(), golden.unicast), where + " wrong key");
      assertEquals(decoder.ipv4Source(), decoder.ahSpi(), "SPI = source, " + where);
      assertEquals(112, decoder.ahNextHeader(), where);
      assertEquals(4, decoder.ahPayloadLength(), where);
      long sequence = decoder.ahSequence() & 0xFFFFFFFFL;
      assertEquals(previous + 1, sequence, "the backup continues the master's count, " + where);
      previous = sequence;
    }
  }

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void theValidatorAcceptsTheWholeStreamAndAWrongKeyAcceptsNone(GoldenCapture golden)
      throws IOException {
    VrrpWireConfig config = observerConfig(golden);
    VrrpAdvertValidator validator = new VrrpAdvertValidator(config, new AhSequenceCounter());
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    List<Captured> packets = packets(golden);
    for (Captured captured : packets) {
      assertNull(
          validator.validate(captured.decode(decoder)), golden.file + " frame " + captured.frame());
    }
    for (Captured captured : packets) {
      assertEquals(
          golden.auth == AuthType.IPSEC_AH ? VrrpDropReason.REPLAYED_SEQUENCE : null,
          validator.validate(captured.decode(decoder)),
          "replayed " + captured.frame());
    }
    if (golden.auth != AuthType.NONE) {
      VrrpWireConfig wrongKey =
          VrrpWireConfig.builder()
              .version(2)
              .vrid(golden.vrid)
              .virtualAddresses(config.virtualAddresses())
              .unicastPeers(config.unicastPeers())
              .authentication(golden.auth, WRONG_KEY)
              .build();
      VrrpAdvertValidator wrong = new VrrpAdvertValidator(wrongKey, new AhSequenceCounter());
      for (Captured captured : packets) {
        assertEquals(
            golden.auth == AuthType.IPSEC_AH ? VrrpDropReason.BAD_ICV : VrrpDropReason.AUTH_FAILURE,
            wrong.validate(captured.decode(decoder)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void theEncoderWritesWhatKeepalivedSent(GoldenCapture golden) throws IOException {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(observerConfig(golden));
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (Captured captured : packets(golden)) {
      captured.decode(decoder);
      int priority = decoder.advert().priority();
      ByteBuffer out = ByteBuffer.allocate(captured.bytes().limit());
      if (golden.family() == IpFamily.IPV4) {
        encoder.encodeIpv4(
            out,
            0,
            priority,
            decoder.ipv4Source(),
            decoder.ipv4Destination(),
            decoder.ipIdentification(),
            golden.auth == AuthType.IPSEC_AH ? decoder.ahSequence() & 0xFFFFFFFFL : 0);
      } else {
        encoder.encodeIpv6(out, 0, priority, captured.source(), captured.destination());
      }
      assertEquals(
          HexFormat.of().formatHex(captured.bytes().array()),
          HexFormat.of().formatHex(out.array()),
          golden.file + " frame " + captured.frame());
    }
  }

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void theCapturesCoverEveryFormatAndLinkTypeTheReaderSupports(GoldenCapture golden)
      throws IOException {
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(golden.bytes()))) {
      CaptureFormat expectedFormat =
          golden.file.endsWith(".pcapng") ? CaptureFormat.PCAPNG : CaptureFormat.PCAP;
      assertEquals(expectedFormat, reader.format());
      LinkType expectedLink =
          switch (golden.style) {
            case BRIDGE_PCAP, BRIDGE_PCAPNG -> LinkType.ETHERNET;
            case HOST_SLL -> LinkType.LINUX_SLL;
            case HOST_SLL2 -> LinkType.LINUX_SLL2;
          };
      assertEquals(expectedLink.code(), reader.next().linkType());
    }
  }

  private static List<String> literals(List<InetAddress> addresses) {
    return addresses.stream()
        .map(InetAddress::getHostAddress)
        .map(GoldenCaptureTest::compress)
        .toList();
  }

  /** Java writes 2001:db8:0:0:0:0:0:160; the scenarios write 2001:db8::160. */
  private static String compress(String literal) {
    return literal.replace(":0:0:0:0:0:", "::");
  }
}
