package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;

/**
 * Seeded properties of signed adverts over random versions, families, VRIDs, addresses, peers, keys
 * and clocks: they verify, once; the HMAC equals the JDK's HmacSHA256 over the input the draft
 * specifies; any changed byte of the VRRP message or trailer is refused, save a checksum turned
 * into another variant VRRPv3 over IPv4 accepts; the IPv6 checksum covers the trailer. Run with
 * {@code -Dfailover4j.seed=N} to replay a failure; the seed is in every failure message.
 */
class HmacPropertyTest {

  private static final int CASES = 10_000;

  private final long seed = Long.getLong("failover4j.seed", System.nanoTime());
  private final Random random = new Random(seed);

  @Test
  void signedAdvertsVerifyMatchTheJdkAndRefuseAnyChange() throws Exception {
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    Mac jdk = Mac.getInstance("HmacSHA256");
    for (int i = 0; i < CASES; i++) {
      int version = random.nextBoolean() ? 2 : 3;
      IpFamily family = version == 2 || random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6;
      int width = family.addressLength();
      HmacAuthentication.Builder keys =
          HmacAuthentication.builder()
              .antiReplay(random.nextBoolean() ? HmacAntiReplay.TIME : HmacAntiReplay.MONOTONIC);
      int keyCount = 1 + random.nextInt(3);
      byte[][] keyBytes = new byte[keyCount][];
      int firstId = 1 + random.nextInt(250);
      for (int k = 0; k < keyCount; k++) {
        keyBytes[k] = bytes(32 + random.nextInt(33));
        keys.key(firstId + k, keyBytes[k]);
      }
      int active = random.nextInt(keyCount);
      HmacAuthentication hmac = keys.activeKey(firstId + active).build();
      List<InetAddress> vips = new ArrayList<>();
      for (int v = 1 + random.nextInt(5); v > 0; v--) {
        vips.add(InetAddress.getByAddress(bytes(width)));
      }
      byte[] source = bytes(width);
      boolean unicast = random.nextBoolean();
      byte[] destination = unicast ? bytes(width) : family.advertGroup().getAddress();
      destination[0] = (byte) (unicast ? random.nextInt(224) : destination[0]);
      VrrpWireConfig.Builder common =
          VrrpWireConfig.builder()
              .version(version)
              .vrid(1 + random.nextInt(255))
              .interval(Duration.ofSeconds(1 + random.nextInt(5)))
              .virtualAddresses(vips)
              .hmacAuthentication(hmac);
      VrrpWireConfig sender =
          common
              .unicastPeers(unicast ? List.of(InetAddress.getByAddress(destination)) : List.of())
              .build();
      VrrpWireConfig receiver =
          common
              .unicastPeers(unicast ? List.of(InetAddress.getByAddress(source)) : List.of())
              .build();
      long wallNanos =
          (1_700_000_000L + random.nextInt(200_000_000)) * 1_000_000_000L
              + random.nextInt(1_000_000_000);
      long sequence = HmacReplayGuard.clockSequence(wallNanos) + random.nextInt(3);
      int priority = 1 + random.nextInt(254);
      VrrpPacketEncoder encoder = new VrrpPacketEncoder(sender);
      ByteBuffer packet = ByteBuffer.allocate(2048);
      int length =
          family == IpFamily.IPV4
              ? encoder.encodeIpv4(
                  packet,
                  0,
                  priority,
                  ByteBuffer.wrap(source).getInt(),
                  ByteBuffer.wrap(destination).getInt(),
                  1 + random.nextInt(65535),
                  0,
                  sequence)
              : encoder.encodeIpv6(packet, 0, priority, source, destination, sequence);
      int messageAt = family == IpFamily.IPV4 ? 20 : 0;
      int messageLength = encoder.advertLength();
      String where = "seed " + seed + ", case " + i + ": " + sender;
      try {
        // The HMAC, computed the JDK's way over the draft's input.
        byte[] input = new byte[20 + messageLength + 28];
        input[0] = (byte) (family == IpFamily.IPV4 ? 4 : 6);
        input[1] = (byte) version;
        input[2] = (byte) sender.vrid();
        System.arraycopy(source, 0, input, 4, width);
        packet.get(messageAt, input, 20, messageLength + 12);
        input[20 + 6] = 0;
        input[20 + 7] = 0;
        jdk.init(new SecretKeySpec(keyBytes[active], "HmacSHA256"));
        byte[] expected = java.util.Arrays.copyOf(jdk.doFinal(input), 16);
        byte[] sent = new byte[16];
        packet.get(messageAt + messageLength + 12, sent);
        assertArrayEquals(expected, sent, where);
        assertEquals(firstId + active, packet.get(messageAt + messageLength + 1) & 0xFF, where);
        assertEquals(sequence, packet.getLong(messageAt + messageLength + 4), where);
        if (family == IpFamily.IPV6) {
          assertTrue(VrrpChecksum.verifyIpv6(packet, 0, length, source, destination), where);
        }

        VrrpAdvertValidator fresh = new VrrpAdvertValidator(receiver, null);
        assertNull(
            fresh.validate(
                wrap(decoder, packet, length, family, source, destination), true, wallNanos),
            where);
        assertEquals(
            VrrpDropReason.HMAC_REPLAYED,
            fresh.validate(
                wrap(decoder, packet, length, family, source, destination), true, wallNanos),
            where);

        int at = messageAt + random.nextInt(messageLength + 28);
        packet.put(at, (byte) (packet.get(at) ^ (1 + random.nextInt(255))));
        VrrpAdvertValidator other = new VrrpAdvertValidator(receiver, null);
        VrrpDropReason changed =
            other.validate(
                wrap(decoder, packet, length, family, source, destination), true, wallNanos);
        if (changed == null && version == 3 && family == IpFamily.IPV4) {
          // The HMAC leaves the checksum out (it is zeroed in its input), and VRRPv3 over IPv4
          // accepts three checksum variants: a checksum byte changed into another accepted
          // variant's value is the same advert, sent the way another router would.
          int checksumAt = messageAt + 6;
          assertTrue(at == checksumAt || at == checksumAt + 1, where + ", byte " + at + " changed");
          assertNotEquals(sender.checksumMode(), other.matchedChecksumMode(), where);
        } else {
          assertNotNull(changed, where + ", byte " + at + " changed");
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(where, e);
      }
    }
  }

  private static VrrpPacketDecoder wrap(
      VrrpPacketDecoder decoder,
      ByteBuffer packet,
      int length,
      IpFamily family,
      byte[] source,
      byte[] destination) {
    return family == IpFamily.IPV4
        ? decoder.wrapIpv4(packet, 0, length)
        : decoder.wrapIpv6(packet, 0, length, source, destination, 255);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
