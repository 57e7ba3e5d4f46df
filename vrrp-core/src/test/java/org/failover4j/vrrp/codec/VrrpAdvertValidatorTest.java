package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.failover4j.api.platform.IpFamily;
import org.junit.jupiter.api.Test;

/** Each check of {@link VrrpAdvertValidator}, and that they come in keepalived's order. */
class VrrpAdvertValidatorTest {

  private static final int SOURCE = 0xc000020b; // 192.0.2.11
  private static final int PEER = 0xc000020c; // 192.0.2.12
  private static final int GROUP = 0xe0000012;
  private static final int IP = 0;
  private static final int AH = 20;

  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static VrrpWireConfig.Builder v2() {
    return VrrpWireConfig.builder()
        .version(2)
        .vrid(51)
        .virtualAddresses(ip("192.0.2.100"), ip("192.0.2.101"));
  }

  private static VrrpWireConfig ah() {
    return v2().authentication(AuthType.IPSEC_AH, "secret12").build();
  }

  private static VrrpWireConfig v3Unicast() {
    return VrrpWireConfig.builder()
        .version(3)
        .vrid(60)
        .interval(Duration.ofMillis(500))
        .virtualAddresses(ip("192.0.2.100"))
        .unicastPeers(List.of(ip("192.0.2.11")))
        .build();
  }

  /** A VRRPv3 sender with the VRID and addresses of {@link #v2()}. */
  private static VrrpWireConfig v3Multicast() {
    return VrrpWireConfig.builder()
        .version(3)
        .vrid(51)
        .virtualAddresses(ip("192.0.2.100"), ip("192.0.2.101"))
        .build();
  }

  /** A packet {@code sender} writes, changed by {@code change}, with checksum and ICV redone. */
  private static ByteBuffer packet(
      VrrpWireConfig sender, int destination, long sequence, Consumer<ByteBuffer> change) {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(sender);
    ByteBuffer b = ByteBuffer.allocate(encoder.ipv4Length());
    encoder.encodeIpv4(b, 0, 100, SOURCE, destination, 1, sequence);
    change.accept(b);
    reseal(b, sender);
    return b;
  }

  /** Recomputes the VRRP checksum and the ICV of a possibly changed IPv4 packet. */
  private static void reseal(ByteBuffer b, VrrpWireConfig sender) {
    boolean ah = b.get(9) == 51;
    int vrrp = ah ? 44 : 20;
    int count = b.get(vrrp + 3) & 0xFF;
    int version = (b.get(vrrp) & 0xF0) >>> 4;
    int length =
        Math.min(b.limit() - vrrp, VrrpAdvertEncoder.length(version, IpFamily.IPV4, count));
    if (length >= 8) {
      b.putShort(
          vrrp + 6,
          (short)
              VrrpChecksum.computeIpv4(
                  b, vrrp, length, version, sender.checksumMode(), b.getInt(12), b.getInt(16)));
    }
    if (ah) {
      new AhAuthenticator("secret12".getBytes()).sign(b, 0, b.limit(), sender.isUnicast());
    }
  }

  private static ByteBuffer resized(ByteBuffer b, int delta) {
    ByteBuffer copy = ByteBuffer.allocate(b.limit() + delta);
    copy.put(b.duplicate().limit(Math.min(b.limit(), copy.limit())));
    copy.putShort(2, (short) copy.limit());
    return copy.clear();
  }

  private VrrpDropReason check(VrrpWireConfig config, ByteBuffer packet) {
    return new VrrpAdvertValidator(config, new AhSequenceCounter())
        .validate(decoder.wrapIpv4(packet, 0, packet.limit()));
  }

  @Test
  void acceptsWhatTheSameConfigurationSends() {
    for (VrrpWireConfig config :
        List.of(
            v2().build(),
            v2().authentication(AuthType.SIMPLE_TEXT, "pw").build(),
            ah(),
            v3Unicast())) {
      int destination = config.isUnicast() ? PEER : GROUP;
      ByteBuffer sent = packet(config, destination, 1, b -> {});
      VrrpWireConfig receiver = config;
      if (config.isUnicast()) {
        receiver =
            VrrpWireConfig.builder()
                .version(3)
                .vrid(60)
                .interval(Duration.ofMillis(500))
                .virtualAddresses(config.virtualAddresses())
                .unicastPeers(List.of(ip("192.0.2.11")))
                .build();
      }
      assertNull(check(receiver, sent), config.toString());
    }
  }

  @Test
  void eachCheckHasItsReason() {
    VrrpWireConfig none = v2().build();
    VrrpWireConfig ah = ah();
    assertEquals(
        VrrpDropReason.UNKNOWN_VRID,
        check(none, packet(none, GROUP, 0, b -> b.put(21, (byte) 52))));
    assertEquals(VrrpDropReason.AH_MISMATCH, check(none, packet(ah, GROUP, 1, b -> {})));
    assertEquals(VrrpDropReason.AH_MISMATCH, check(ah, packet(none, GROUP, 0, b -> {})));
    assertEquals(
        VrrpDropReason.LENGTH_MISMATCH, check(none, resized(packet(none, GROUP, 0, b -> {}), 1)));
    assertEquals(
        VrrpDropReason.LENGTH_MISMATCH,
        check(none, packet(none, GROUP, 0, b -> b.put(23, (byte) 3))));
    assertEquals(
        VrrpDropReason.BAD_TTL, check(none, packet(none, GROUP, 0, b -> b.put(8, (byte) 254))));
    // A v3 packet is 8 bytes shorter (no authentication data): keepalived's length check uses
    // the version in the packet, so only a true v3 packet reaches the version check.
    assertEquals(
        VrrpDropReason.LENGTH_MISMATCH,
        check(none, packet(none, GROUP, 0, b -> b.put(20, (byte) 0x31))));
    assertEquals(
        VrrpDropReason.VERSION_MISMATCH, check(none, packet(v3Multicast(), GROUP, 0, b -> {})));
    assertEquals(
        VrrpDropReason.INVALID_AUTH_TYPE,
        check(none, packet(none, GROUP, 0, b -> b.put(24, (byte) 3))));
    assertEquals(
        VrrpDropReason.AUTH_TYPE_MISMATCH,
        check(none, packet(none, GROUP, 0, b -> b.put(24, (byte) 1))));
    VrrpWireConfig pass = v2().authentication(AuthType.SIMPLE_TEXT, "pw").build();
    assertEquals(
        VrrpDropReason.AUTH_FAILURE,
        check(pass, packet(pass, GROUP, 0, b -> b.put(b.limit() - 1, (byte) 'x'))));
    assertEquals(
        VrrpDropReason.AH_NOT_VRRP, check(ah, packet(ah, GROUP, 1, b -> b.put(AH, (byte) 6))));
    ByteBuffer tampered = packet(ah, GROUP, 1, b -> {});
    tampered.put(46, (byte) 101); // priority changed after signing
    assertEquals(VrrpDropReason.BAD_ICV, check(ah, tampered));
    assertEquals(
        VrrpDropReason.BAD_SPI, check(ah, packet(ah, GROUP, 1, b -> b.putInt(AH + 4, PEER))));
    assertEquals(
        VrrpDropReason.INTERVAL_MISMATCH,
        check(none, packet(none, GROUP, 0, b -> b.put(25, (byte) 2))));
    assertEquals(
        VrrpDropReason.INVALID_TYPE,
        check(none, packet(none, GROUP, 0, b -> b.put(20, (byte) 0x22))));
    VrrpWireConfig one = v2().virtualAddresses(ip("192.0.2.100")).build();
    assertEquals(
        VrrpDropReason.ADDRESS_COUNT_MISMATCH, check(one, packet(none, GROUP, 0, b -> {})));
    assertEquals(
        VrrpDropReason.IP_LENGTH_MISMATCH,
        check(none, packet(none, GROUP, 0, b -> b.putShort(2, (short) 99))));
    ByteBuffer badChecksum = packet(none, GROUP, 0, b -> {});
    badChecksum.put(27, (byte) (badChecksum.get(27) ^ 1));
    assertEquals(VrrpDropReason.BAD_CHECKSUM, check(none, badChecksum));
    assertEquals(VrrpDropReason.DESTINATION_MISMATCH, check(none, packet(none, PEER, 0, b -> {})));
    assertEquals(
        VrrpDropReason.VIP_MISMATCH, check(none, packet(none, GROUP, 0, b -> b.put(35, (byte) 7))));
    VrrpWireConfig strangers =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(60)
            .interval(Duration.ofMillis(500))
            .virtualAddresses(ip("192.0.2.100"))
            .unicastPeers(List.of(ip("192.0.2.99")))
            .build();
    assertEquals(
        VrrpDropReason.UNKNOWN_PEER, check(strangers, packet(v3Unicast(), PEER, 0, b -> {})));
  }

  @Test
  void replaysAreDroppedAndTheCounterAdvancesOnlyForward() {
    VrrpWireConfig ah = ah();
    AhSequenceCounter counter = new AhSequenceCounter();
    VrrpAdvertValidator validator = new VrrpAdvertValidator(ah, counter);
    ByteBuffer five = packet(ah, GROUP, 5, b -> {});
    ByteBuffer four = packet(ah, GROUP, 4, b -> {});
    assertNull(validator.validate(decoder.wrapIpv4(five, 0, five.limit())));
    assertEquals(5, counter.current());
    assertEquals(
        VrrpDropReason.REPLAYED_SEQUENCE,
        validator.validate(decoder.wrapIpv4(five, 0, five.limit())));
    assertEquals(
        VrrpDropReason.REPLAYED_SEQUENCE,
        validator.validate(decoder.wrapIpv4(four, 0, four.limit())));
    assertEquals(5, counter.current());
  }

  @Test
  void checksComeInKeepalivedsOrder() {
    VrrpWireConfig none = v2().build();
    // Each packet breaks two checks; the earlier one in keepalived's order is reported.
    assertEquals(
        VrrpDropReason.UNKNOWN_VRID,
        check(none, resized(packet(none, GROUP, 0, b -> b.put(21, (byte) 9)), 3)));
    assertEquals(
        VrrpDropReason.LENGTH_MISMATCH,
        check(none, resized(packet(none, GROUP, 0, b -> b.put(8, (byte) 1)), 4)));
    assertEquals(
        VrrpDropReason.BAD_TTL,
        check(none, packet(v3Multicast(), GROUP, 0, b -> b.put(8, (byte) 1))));
    assertEquals(
        VrrpDropReason.VERSION_MISMATCH,
        check(none, packet(v3Multicast(), GROUP, 0, b -> b.put(20, (byte) 0x32))));
    assertEquals(
        VrrpDropReason.INTERVAL_MISMATCH,
        check(none, packet(none, GROUP, 0, b -> b.put(25, (byte) 3).put(20, (byte) 0x22))));
    assertEquals(
        VrrpDropReason.INVALID_TYPE,
        check(none, packet(none, GROUP, 0, b -> b.put(20, (byte) 0x22).put(35, (byte) 7))));
    ByteBuffer badChecksumWrongVip = packet(none, GROUP, 0, b -> b.put(35, (byte) 7));
    badChecksumWrongVip.put(27, (byte) (badChecksumWrongVip.get(27) ^ 1));
    assertEquals(VrrpDropReason.BAD_CHECKSUM, check(none, badChecksumWrongVip));
    // keepalived reads the password where the IP total length says it ends, before checking
    // that length: a wrong total length then fails authentication first.
    VrrpWireConfig pass = v2().authentication(AuthType.SIMPLE_TEXT, "pw").build();
    assertEquals(
        VrrpDropReason.AUTH_FAILURE,
        check(pass, packet(pass, GROUP, 0, b -> b.putShort(2, (short) 40))));
  }

  @Test
  void theAhCounterMovesEvenWhenALaterCheckDrops() {
    VrrpWireConfig ah = ah();
    AhSequenceCounter counter = new AhSequenceCounter();
    VrrpAdvertValidator validator = new VrrpAdvertValidator(ah, counter);
    ByteBuffer wrongInterval = packet(ah, GROUP, 9, b -> b.put(49, (byte) 2));
    assertEquals(
        VrrpDropReason.INTERVAL_MISMATCH,
        validator.validate(decoder.wrapIpv4(wrongInterval, 0, wrongInterval.limit())));
    assertEquals(9, counter.current());
  }

  @Test
  void addressChecksCanBeSkippedButZeroAddressesNeverPass() {
    VrrpWireConfig none = v2().build();
    VrrpAdvertValidator validator = new VrrpAdvertValidator(none, null);
    ByteBuffer otherVips = packet(none, GROUP, 0, b -> b.put(35, (byte) 7));
    assertNull(validator.validate(decoder.wrapIpv4(otherVips, 0, otherVips.limit()), false));
    VrrpWireConfig sender = v2().virtualAddresses(ip("192.0.2.100")).build();
    ByteBuffer noAddress =
        resized(packet(sender, GROUP, 0, b -> {}), -4); // drop the address, keep 8 auth bytes
    noAddress.put(23, (byte) 0);
    reseal(noAddress, sender);
    assertEquals(
        VrrpDropReason.NO_ADDRESSES,
        validator.validate(decoder.wrapIpv4(noAddress, 0, noAddress.limit()), false));
    assertEquals(
        VrrpDropReason.ADDRESS_COUNT_MISMATCH,
        validator.validate(decoder.wrapIpv4(noAddress, 0, noAddress.limit()), true));
  }

  @Test
  void unicastInstancesSkipTheTtlCheck() {
    VrrpWireConfig receiver = v3Unicast();
    assertNull(check(receiver, packet(v3Unicast(), PEER, 0, b -> b.put(8, (byte) 64))));
  }

  @Test
  void everyAcceptedChecksumVariantPassesAndTheMatchIsReported() {
    for (ChecksumMode sent : ChecksumMode.values()) {
      VrrpWireConfig sender =
          VrrpWireConfig.builder()
              .version(3)
              .vrid(60)
              .interval(Duration.ofMillis(500))
              .virtualAddresses(ip("192.0.2.100"))
              .unicastPeers(List.of(ip("192.0.2.11")))
              .checksumMode(sent)
              .build();
      ByteBuffer b = packet(sender, PEER, 0, x -> {});
      VrrpAdvertValidator lenient = new VrrpAdvertValidator(v3Unicast(), null);
      assertNull(lenient.validate(decoder.wrapIpv4(b, 0, b.limit())), sent.name());
      assertEquals(sent, lenient.matchedChecksumMode());
      VrrpWireConfig strict =
          VrrpWireConfig.builder()
              .version(3)
              .vrid(60)
              .interval(Duration.ofMillis(500))
              .virtualAddresses(ip("192.0.2.100"))
              .unicastPeers(List.of(ip("192.0.2.11")))
              .acceptedChecksumModes(EnumSet.of(ChecksumMode.PSEUDO_HEADER))
              .build();
      VrrpAdvertValidator keepalived227 = new VrrpAdvertValidator(strict, null);
      assertEquals(
          sent == ChecksumMode.PSEUDO_HEADER ? null : VrrpDropReason.BAD_CHECKSUM,
          keepalived227.validate(decoder.wrapIpv4(b, 0, b.limit())),
          sent.name());
    }
  }

  @Test
  void ipv6AdvertsAreCheckedWithTheirHopLimitAndPseudoHeader() {
    VrrpWireConfig config =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(62)
            .interval(Duration.ofMillis(500))
            .virtualAddresses(ip("2001:db8::160"))
            .build();
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(config);
    ByteBuffer b = ByteBuffer.allocate(encoder.advertLength());
    byte[] src = ip("fe80::11").getAddress();
    byte[] group = ip("ff02::12").getAddress();
    encoder.encodeIpv6(b, 0, 100, src, group);
    VrrpAdvertValidator validator = new VrrpAdvertValidator(config, null);
    assertNull(validator.validate(decoder.wrapIpv6(b, 0, b.limit(), src, group, 255)));
    assertNull(
        validator.validate(
            decoder.wrapIpv6(b, 0, b.limit(), src, group, VrrpPacketDecoder.HOP_LIMIT_UNKNOWN)));
    assertEquals(
        VrrpDropReason.BAD_TTL,
        validator.validate(decoder.wrapIpv6(b, 0, b.limit(), src, group, 1)));
    byte[] otherSource = ip("fe80::12").getAddress();
    assertEquals(
        VrrpDropReason.BAD_CHECKSUM,
        validator.validate(decoder.wrapIpv6(b, 0, b.limit(), otherSource, group, 255)));
    ByteBuffer v4 = packet(v2().build(), GROUP, 0, x -> {});
    assertEquals(
        VrrpDropReason.ADDRESS_FAMILY_MISMATCH,
        validator.validate(decoder.wrapIpv4(v4, 0, v4.limit())));
  }

  @Test
  void anAhInstanceNeedsItsCounter() {
    assertThrows(IllegalArgumentException.class, () -> new VrrpAdvertValidator(ah(), null));
  }
}
