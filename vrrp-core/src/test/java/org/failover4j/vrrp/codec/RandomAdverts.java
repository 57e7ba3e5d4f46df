package org.failover4j.vrrp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.failover4j.api.platform.IpFamily;

/**
 * Random valid adverts of every version, family, authentication type, destination mode and checksum
 * variant, from a seeded {@link Random}: the property and tshark tests share them.
 */
final class RandomAdverts {

  private static final byte[] GROUP4 = {(byte) 224, 0, 0, 18};
  private static final byte[] GROUP6 = {
    (byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12
  };
  private static final String PASSWORD_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Random random;

  RandomAdverts(Random random) {
    this.random = random;
  }

  /** One advert: the sender's configuration, the receiver's, and the per-packet values. */
  record Advert(
      VrrpWireConfig config,
      VrrpWireConfig receiver,
      int priority,
      byte[] source,
      byte[] destination,
      int identification,
      long sequence,
      byte[] password) {

    /** The IPv4 datagram, or the IPv6 VRRP message, the encoder writes. */
    ByteBuffer encode() {
      VrrpPacketEncoder encoder = new VrrpPacketEncoder(config);
      if (config.family() == IpFamily.IPV4) {
        ByteBuffer b = ByteBuffer.allocate(encoder.ipv4Length());
        encoder.encodeIpv4(
            b,
            0,
            priority,
            ByteBuffer.wrap(source).getInt(),
            ByteBuffer.wrap(destination).getInt(),
            identification,
            sequence);
        return b;
      }
      ByteBuffer b = ByteBuffer.allocate(encoder.advertLength());
      encoder.encodeIpv6(b, 0, priority, source, destination);
      return b;
    }

    /** Wraps what {@link #encode()} wrote, as a receiver's socket would deliver it. */
    VrrpPacketDecoder decode(VrrpPacketDecoder decoder, ByteBuffer b) {
      return config.family() == IpFamily.IPV4
          ? decoder.wrapIpv4(b, 0, b.limit())
          : decoder.wrapIpv6(b, 0, b.limit(), source, destination, config.ttl());
    }
  }

  /** The next random advert. */
  Advert next() {
    IpFamily family = random.nextInt(3) == 0 ? IpFamily.IPV6 : IpFamily.IPV4;
    int version = family == IpFamily.IPV6 || random.nextBoolean() ? 3 : 2;
    int count = random.nextInt(10) == 0 ? 1 + random.nextInt(255) : 1 + random.nextInt(8);
    List<InetAddress> vips = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      vips.add(address(family));
    }
    byte[] source = unicastAddress(family).getAddress();
    boolean unicast = random.nextBoolean();
    InetAddress peer = unicastAddress(family);
    byte[] destination =
        unicast ? peer.getAddress() : family == IpFamily.IPV4 ? GROUP4.clone() : GROUP6.clone();
    VrrpWireConfig.Builder sender =
        VrrpWireConfig.builder()
            .version(version)
            .vrid(1 + random.nextInt(255))
            .virtualAddresses(vips)
            .checksumMode(ChecksumMode.values()[random.nextInt(3)])
            .interval(
                version == 2
                    ? Duration.ofSeconds(1 + random.nextInt(255))
                    : Duration.ofMillis(10L * (1 + random.nextInt(4095))));
    byte[] password = new byte[0];
    if (version == 2) {
      AuthType auth = AuthType.values()[random.nextInt(3)];
      if (auth != AuthType.NONE) {
        password = new byte[1 + random.nextInt(8)];
        for (int i = 0; i < password.length; i++) {
          password[i] =
              (byte) PASSWORD_CHARACTERS.charAt(random.nextInt(PASSWORD_CHARACTERS.length()));
        }
        sender.authentication(auth, password);
      }
    }
    if (unicast) {
      sender.unicastPeers(List.of(peer)).ttl(1 + random.nextInt(255));
    }
    VrrpWireConfig config = sender.build();
    // The receiver is the peer: the same settings, with the sender as its peer.
    VrrpWireConfig receiver = unicast ? sender.unicastPeers(List.of(inet(source))).build() : config;
    long sequence = 1 + (random.nextLong() & 0x7FFFFFFFL) + random.nextInt(2) * 0x7FFFFFFFL;
    return new Advert(
        config,
        receiver,
        random.nextInt(256),
        source,
        destination,
        1 + random.nextInt(65535),
        sequence,
        password);
  }

  private InetAddress address(IpFamily family) {
    byte[] bytes = new byte[family.addressLength()];
    random.nextBytes(bytes);
    return inet(bytes);
  }

  private InetAddress unicastAddress(IpFamily family) {
    InetAddress a;
    do {
      a = address(family);
    } while (a.isMulticastAddress());
    return a;
  }

  static InetAddress inet(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
