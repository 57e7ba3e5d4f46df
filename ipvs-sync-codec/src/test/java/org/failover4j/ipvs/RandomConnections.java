package org.failover4j.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Random;

/** Random but valid connections for property tests, from a seeded {@link Random}. */
final class RandomConnections {

  private static final int[] PROTOCOLS = {6, 6, 6, 17, 17, 132, 50, 51};
  private static final String[] ENGINES = {"sip", "sip", "x", "abcdefghijklmnop"};

  private final Random random;

  RandomConnections(Random random) {
    this.random = random;
  }

  /** Any connection or template the kernel could send in {@code version}. */
  SyncConnection next(SyncVersion version, int clientPort) {
    boolean ipv6 = version == SyncVersion.V1 && random.nextBoolean();
    boolean template = random.nextInt(5) == 0;
    int protocol = template && random.nextBoolean() ? random.nextInt(256) : pick(PROTOCOLS);
    int flags = random.nextInt();
    if (version == SyncVersion.V0) {
      flags &= 0xFFFF;
    }
    flags &= ~ConnectionFlags.ONE_PACKET;
    flags = template ? flags | ConnectionFlags.TEMPLATE : flags & ~ConnectionFlags.TEMPLATE;
    int state =
        template ? random.nextInt(4) : random.nextInt(IpvsProtocol.of(protocol).stateCount());
    SyncConnection.Builder b =
        SyncConnection.builder()
            .protocol(protocol)
            .client(address(ipv6), clientPort)
            .virtual(address(ipv6), random.nextInt(0x10000))
            .destination(address(ipv6), random.nextInt(0x10000))
            .flags(flags)
            .state(state)
            .firewallMark(random.nextInt())
            .timeout(Duration.ofSeconds(random.nextInt(4) == 0 ? 0 : random.nextLong() >>> 32))
            .sequences(sequence(), sequence());
    if (version == SyncVersion.V1 && random.nextInt(4) == 0) {
      byte[] data = new byte[1 + random.nextInt(255)];
      random.nextBytes(data);
      b.persistence(new PersistenceData(pick(ENGINES), data));
    }
    return b.build();
  }

  /**
   * {@code c} as the master would resend it later: same addresses, ports, protocol and kind, with a
   * new state, timeout, flags and sequence data.
   */
  SyncConnection changed(SyncVersion version, SyncConnection c) {
    int flags = random.nextInt();
    if (version == SyncVersion.V0) {
      flags &= 0xFFFF;
    }
    flags &= ~(ConnectionFlags.ONE_PACKET | ConnectionFlags.TEMPLATE);
    flags |= c.flags().raw() & ConnectionFlags.TEMPLATE;
    int state =
        c.isTemplate()
            ? random.nextInt(4)
            : random.nextInt(IpvsProtocol.of(c.protocol()).stateCount());
    return c.toBuilder()
        .flags(flags)
        .state(state)
        .timeout(Duration.ofSeconds(random.nextInt(4) == 0 ? 0 : random.nextLong() >>> 32))
        .sequences(sequence(), sequence())
        .build();
  }

  /** A random IPv4 or IPv6 address (IPv4-mapped IPv6 ones included). */
  InetAddress address(boolean ipv6) {
    byte[] bytes = new byte[ipv6 ? 16 : 4];
    random.nextBytes(bytes);
    if (ipv6 && random.nextInt(8) == 0) {
      System.arraycopy(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1}, 0, bytes, 0, 12);
    }
    try {
      return ipv6 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  SequenceAdjustment sequence() {
    return new SequenceAdjustment(random.nextInt(), random.nextInt(), random.nextInt());
  }

  private int pick(int[] values) {
    return values[random.nextInt(values.length)];
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
