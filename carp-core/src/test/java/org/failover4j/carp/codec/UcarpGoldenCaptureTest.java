package org.failover4j.carp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the codec against what ucarp 1.5.2 really sent (see {@link UcarpGolden}): every frame is a
 * CARP advert by the demux rule, decodes, passes the checksum, verifies its HMAC with the right key
 * and fails with a wrong key or a wrong address, and the encoder, given the same fields, writes the
 * very same 56 bytes, IPv4 header included.
 */
class UcarpGoldenCaptureTest {

  /** The IPv4 datagrams of a capture, copied out of their frames. */
  static List<ByteBuffer> datagrams(UcarpGolden golden) throws IOException {
    List<ByteBuffer> datagrams = new ArrayList<>();
    IpPacket ip = new IpPacket();
    try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(golden.bytes()))) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        assertTrue(ip.wrapFrame(frame), "frame " + frame.number());
        assertTrue(
            CarpAdvertDecoder.isCarpAdvert(ip.buffer(), ip.payloadOffset(), ip.payloadLength()),
            "frame " + frame.number() + " is CARP by the demux rule");
        byte[] copy = new byte[ip.declaredLength()];
        ip.buffer().get(ip.headerOffset(), copy);
        datagrams.add(ByteBuffer.wrap(copy));
      }
    }
    return datagrams;
  }

  @ParameterizedTest
  @EnumSource(UcarpGolden.class)
  void everyFrameDecodesAndItsHmacVerifiesOnlyWithTheRightKey(UcarpGolden golden) throws Exception {
    List<ByteBuffer> datagrams = datagrams(golden);
    assertTrue(datagrams.size() >= 6, datagrams.size() + " frames");
    CarpHmac hmac = new CarpHmac();
    CarpKey right = golden.key();
    CarpKey wrongKey = CarpTestKeys.key(golden.vhid, golden.password + "x", golden.vip);
    CarpKey wrongAddress = CarpTestKeys.key(golden.vhid, golden.password, "192.0.2.99");
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    for (ByteBuffer datagram : datagrams) {
      CarpAdvertDecoder advert = decoder.wrapIpv4(datagram, 0, datagram.limit()).advert();
      assertEquals(255, decoder.ttl());
      assertNull(advert.structuralProblem());
      assertTrue(advert.checksumValid());
      assertEquals(golden.vhid, advert.vhid());
      assertEquals(1, advert.advbase());
      assertEquals(0, advert.demote(), "ucarp sends no demotion");
      assertTrue(hmac.verify(right, advert));
      assertFalse(hmac.verify(wrongKey, advert));
      assertFalse(hmac.verify(wrongAddress, advert));
    }
  }

  @ParameterizedTest
  @EnumSource(UcarpGolden.class)
  void theEncoderWritesUcarpsBytes(UcarpGolden golden) throws Exception {
    CarpAdvertEncoder encoder = new CarpAdvertEncoder(new CarpHmac(), golden.key());
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    for (ByteBuffer datagram : datagrams(golden)) {
      CarpAdvertDecoder advert = decoder.wrapIpv4(datagram, 0, datagram.limit()).advert();
      ByteBuffer ours = ByteBuffer.allocate(CarpAdvertEncoder.IPV4_LENGTH);
      encoder.encodeIpv4(
          ours,
          0,
          datagram.getInt(12),
          datagram.getInt(16),
          datagram.getShort(4) & 0xFFFF,
          advert.advbase(),
          advert.advskew(),
          advert.demote(),
          advert.counter());
      assertEquals(
          HexFormat.of().formatHex(datagram.array()), HexFormat.of().formatHex(ours.array()));
    }
  }

  /**
   * ucarp 1.5.2 draws a fresh random counter for every advert until it first receives one ({@code
   * sc_init_counter} is cleared only on receipt): a lone master's counters jump at random. The
   * backup adopted the last one it heard and, as master, counts on from it by one.
   */
  @ParameterizedTest
  @EnumSource(UcarpGolden.class)
  void aLoneUcarpMasterSendsRandomCountersAndItsSuccessorCountsOnByOne(UcarpGolden golden)
      throws Exception {
    List<ByteBuffer> datagrams = datagrams(golden);
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    long previous = 0;
    int consecutive = 0;
    int first = -1;
    for (ByteBuffer datagram : datagrams) {
      decoder.wrapIpv4(datagram, 0, datagram.limit());
      int source = datagram.getInt(12);
      if (first == -1) {
        first = source;
      }
      long counter = decoder.advert().counter();
      if (counter == previous + 1) {
        consecutive++;
        assertTrue(source != first, "only the successor counts by one");
      }
      previous = counter;
    }
    assertTrue(consecutive >= 2, consecutive + " consecutive counters");
  }

  @ParameterizedTest
  @EnumSource(UcarpGolden.class)
  void theStreamPassesTheValidatorInBothModesAndAReplayOnlyInUcarpMode(UcarpGolden golden)
      throws Exception {
    List<ByteBuffer> datagrams = datagrams(golden);
    byte[] observer = {(byte) 192, 0, 2, 99};
    CarpHmac hmac = new CarpHmac();
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    SendCounter ucarpCounter = new SendCounter(CounterMode.UCARP_COMPATIBLE, new Random(1));
    CarpAdvertValidator ucarp =
        new CarpAdvertValidator(golden.key(), hmac, ucarpCounter, null, observer);
    CarpAdvertValidator protectedMode =
        new CarpAdvertValidator(
            golden.key(),
            hmac,
            new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1)),
            new ReplayGuard(4),
            observer);
    for (ByteBuffer datagram : datagrams) {
      assertNull(ucarp.validate(decoder.wrapIpv4(datagram, 0, datagram.limit())));
      assertEquals(decoder.advert().counter() + 1, ucarpCounter.next(0), "adopted");
      // ucarp's counters are not monotonic (see below): some fail the replay check, none the HMAC.
      CarpDropReason reason =
          protectedMode.validate(decoder.wrapIpv4(datagram, 0, datagram.limit()));
      assertTrue(reason == null || reason == CarpDropReason.REPLAYED_COUNTER, "" + reason);
    }
    for (ByteBuffer datagram : datagrams) {
      assertNull(ucarp.validate(decoder.wrapIpv4(datagram, 0, datagram.limit())), "replay");
      assertEquals(
          CarpDropReason.REPLAYED_COUNTER,
          protectedMode.validate(decoder.wrapIpv4(datagram, 0, datagram.limit())));
    }
  }
}
