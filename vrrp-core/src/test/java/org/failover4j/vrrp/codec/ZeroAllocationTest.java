package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing per packet: decode and validate (v3 over IPv4 and IPv6, v2 with
 * AH), AH verification, {@code auth_hmac} signing and verification, and encoding. Counted with the
 * JVM's per-thread allocation counter after a warm-up; this measures bytes, never time.
 */
class ZeroAllocationTest {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 10_000;

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private long allocatedBy(Runnable perPacket) {
    for (int i = 0; i < WARM_UP; i++) {
      perPacket.run();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < MEASURED; i++) {
      perPacket.run();
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void decodingValidatingVerifyingAndEncodingAllocateNothing() throws Exception {
    VrrpWireConfig v3 =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(60)
            .interval(Duration.ofMillis(500))
            .virtualAddresses(
                InetAddress.getByName("192.0.2.140"), InetAddress.getByName("192.0.2.141"))
            .unicastPeers(java.util.List.of(InetAddress.getByName("192.0.2.12")))
            .checksumMode(ChecksumMode.PSEUDO_HEADER_GROUP) // found after one failed variant
            .build();
    VrrpPacketEncoder v3Encoder = new VrrpPacketEncoder(v3);
    ByteBuffer v3Packet = ByteBuffer.allocateDirect(v3Encoder.ipv4Length());
    v3Encoder.encodeIpv4(v3Packet, 0, 100, 0xc000020c, 0xc000020b, 1, 0);
    VrrpAdvertValidator v3Validator = new VrrpAdvertValidator(v3, null);
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    Runnable receiveV3 =
        () -> {
          if (v3Validator.validate(decoder.wrapIpv4(v3Packet, 0, v3Packet.limit())) != null) {
            throw new AssertionError("v3 advert dropped");
          }
        };

    VrrpWireConfig v6 =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(62)
            .virtualAddresses(InetAddress.getByName("2001:db8::160"))
            .build();
    VrrpPacketEncoder v6Encoder = new VrrpPacketEncoder(v6);
    ByteBuffer v6Packet = ByteBuffer.allocate(v6Encoder.advertLength());
    byte[] src = InetAddress.getByName("fe80::11").getAddress();
    byte[] group = InetAddress.getByName("ff02::12").getAddress();
    v6Encoder.encodeIpv6(v6Packet, 0, 100, src, group);
    VrrpAdvertValidator v6Validator = new VrrpAdvertValidator(v6, null);
    Runnable receiveV6 =
        () -> {
          decoder.wrapIpv6(v6Packet, 0, v6Packet.limit(), src, group, 255);
          if (v6Validator.validate(decoder) != null) {
            throw new AssertionError("v6 advert dropped");
          }
        };

    VrrpPacketEncoder ahEncoder = new VrrpPacketEncoder(SanityVector.config());
    AhSequenceCounter sendCounter = new AhSequenceCounter();
    ByteBuffer ahPacket = ByteBuffer.allocate(ahEncoder.ipv4Length());
    Runnable sendAh =
        () ->
            ahEncoder.encodeIpv4(
                ahPacket, 0, 100, 0x0a000001, 0xe0000012, 1, sendCounter.nextForSend());
    AhSequenceCounter receiveCounter = new AhSequenceCounter();
    VrrpAdvertValidator ahValidator =
        new VrrpAdvertValidator(SanityVector.config(), receiveCounter);
    Runnable sendAndReceiveAh =
        () -> {
          sendAh.run();
          if (ahValidator.validate(decoder.wrapIpv4(ahPacket, 0, ahPacket.limit())) != null) {
            throw new AssertionError("AH advert dropped");
          }
        };

    HmacAuthentication hmac =
        HmacAuthentication.builder()
            .key(1, HmacAdvertsTest.KEY_1)
            .key(2, HmacAdvertsTest.KEY_2)
            .activeKey(2)
            .build();
    VrrpWireConfig signedV6 =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(63)
            .virtualAddresses(InetAddress.getByName("2001:db8::163"))
            .hmacAuthentication(hmac)
            .build();
    VrrpPacketEncoder hmacEncoder = new VrrpPacketEncoder(signedV6);
    HmacReplayGuard sendGuard = new HmacReplayGuard(hmac, 100, 0);
    VrrpAdvertValidator hmacValidator = new VrrpAdvertValidator(signedV6, null);
    ByteBuffer hmacPacket = ByteBuffer.allocateDirect(hmacEncoder.ipv6Length());
    long[] wall = {1_796_641_170_000_000_000L};
    Runnable sendAndReceiveHmac =
        () -> {
          wall[0] += 1_000_000L;
          hmacEncoder.encodeIpv6(
              hmacPacket, 0, 100, src, group, sendGuard.nextSendSequence(wall[0]));
          decoder.wrapIpv6(hmacPacket, 0, hmacPacket.limit(), src, group, 255);
          if (hmacValidator.validate(decoder, true, wall[0]) != null) {
            throw new AssertionError("HMAC advert dropped");
          }
        };

    assertNonePer("decode + validate VRRPv3 over IPv4", allocatedBy(receiveV3));
    assertNonePer("sign, decode, verify + validate auth_hmac", allocatedBy(sendAndReceiveHmac));
    assertNonePer("decode + validate VRRPv3 over IPv6", allocatedBy(receiveV6));
    assertNonePer("encode, decode, verify + validate VRRPv2 AH", allocatedBy(sendAndReceiveAh));
  }

  /**
   * The smallest object takes 16 bytes: under one byte per packet means no packet allocated. (The
   * JVM may charge a few bytes of its own to the thread once, such as when it deoptimizes.)
   */
  private static void assertNonePer(String path, long bytes) {
    assertTrue(bytes < MEASURED, path + ": " + bytes + " bytes for " + MEASURED + " packets");
  }
}
