package org.failover4j.carp.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;
import org.junit.jupiter.api.Test;

/**
 * Encoding, decoding, HMAC verification and the replay check allocate nothing per advert: counted
 * with the JVM's per-thread allocation counter after a warm-up (bytes, never time).
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
  void sendAndReceiveAllocateNothing() {
    CarpHmac senderHmac = new CarpHmac();
    CarpHmac receiverHmac = new CarpHmac();
    CarpKey key = CarpTestKeys.key(10, "s3cr3t", "192.0.2.100", "2001:db8::100");
    CarpAdvertEncoder encoder = new CarpAdvertEncoder(senderHmac, key);
    SendCounter sendCounter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1));
    CarpAdvertValidator validator =
        new CarpAdvertValidator(
            key,
            receiverHmac,
            new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(2)),
            new ReplayGuard(8),
            new byte[] {(byte) 192, 0, 2, 12});
    CarpPacketDecoder decoder = new CarpPacketDecoder();
    ByteBuffer packet = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
    int source = CarpTestKeys.ipv4(CarpTestKeys.SOURCE);
    int group = CarpTestKeys.ipv4(CarpTestKeys.GROUP);
    long[] clock = {1_700_000_000L};
    Runnable ipv4 =
        () -> {
          encoder.encodeIpv4(packet, 0, source, group, 1, 1, 0, 0, sendCounter.next(clock[0]++));
          if (validator.validate(decoder.wrapIpv4(packet, 0, CarpAdvertEncoder.IPV4_LENGTH))
              != null) {
            throw new AssertionError("IPv4 advert dropped");
          }
        };
    byte[] source6 = CarpTestKeys.inet("fe80::11").getAddress();
    Runnable ipv6 =
        () -> {
          encoder.encode(packet, 4, 1, 0, 0, sendCounter.next(clock[0]));
          if (validator.validate(decoder.wrapIpv6(packet, 4, 36, source6, 255)) != null) {
            throw new AssertionError("IPv6 advert dropped");
          }
        };
    Runnable demux =
        () -> {
          if (!CarpAdvertDecoder.isCarpAdvert(packet, 4, 36)) {
            throw new AssertionError("not CARP");
          }
        };
    assertNonePer("encode + decode + verify + replay check over IPv4", allocatedBy(ipv4));
    assertNonePer("encode + decode + verify + replay check over IPv6", allocatedBy(ipv6));
    assertNonePer("demux rule", allocatedBy(demux));
  }

  /** The smallest object takes 16 bytes: under one byte per packet means no packet allocated. */
  private static void assertNonePer(String path, long bytes) {
    assertTrue(bytes < MEASURED, path + ": " + bytes + " bytes for " + MEASURED + " packets");
  }
}
