package org.failover4j.ipvs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Random;

/**
 * Connections of a plausible load balancer for the lab tests: clients from 198.51.100.0/24 and
 * 2001:db8:c::/64, services on 192.0.2.100 and 2001:db8::100, real servers .21 to .28; TCP with and
 * without sequence data, UDP, SCTP, persistence and SIP templates. Flags stay within what a backup
 * keeps, so the backup's entry is the master's with {@code SYNC} added.
 */
final class LabConnections {

  private static final int[] FORWARDING = {0, 2, 3};

  private final Random random;

  LabConnections(Random random) {
    this.random = random;
  }

  /** Connection number {@code n}: unique client address and port. */
  SyncConnection next(int n) {
    boolean ipv6 = n % 5 == 4;
    int kind = random.nextInt(10);
    SyncConnection.Builder b =
        SyncConnection.builder()
            .client(client(ipv6, n), 1024 + n % 60_000)
            .virtual(service(ipv6), 80)
            .destination(server(ipv6, random.nextInt(8)), 8080)
            .flags(FORWARDING[random.nextInt(FORWARDING.length)])
            .timeout(Duration.ofSeconds(600 + random.nextInt(600)));
    switch (kind) {
      case 0 -> b.protocol(17).state(UdpState.NORMAL).virtual(service(ipv6), 53);
      case 1 -> b.protocol(132).state(SctpState.ESTABLISHED);
      case 2 ->
          b.flags(ConnectionFlags.TEMPLATE)
              .state(TemplateState.ASSURED)
              .virtual(service(ipv6), 443);
      case 3 ->
          b.protocol(17)
              .flags(ConnectionFlags.TEMPLATE | 3)
              .virtual(service(ipv6), 5060)
              .persistence(new PersistenceData("sip", ("call-" + n).getBytes()));
      case 4 ->
          b.flags(ConnectionFlags.SEQ_MASK)
              .state(TcpState.ESTABLISHED)
              .sequences(sequence(), sequence());
      default -> b.state(random.nextInt(3) == 0 ? TcpState.SYN_RECV : TcpState.ESTABLISHED);
    }
    return b.build();
  }

  /** The same connection in a later state: the backup updates it in place. */
  SyncConnection updated(SyncConnection c) {
    SyncConnection.Builder b = c.toBuilder().timeout(Duration.ofSeconds(900 + random.nextInt(60)));
    if (c.isTemplate()) {
      return b.build();
    }
    if (c.protocol() == 6) {
      b.state(random.nextBoolean() ? TcpState.FIN_WAIT : TcpState.CLOSE_WAIT)
          .flags(c.flags().raw() ^ ConnectionFlags.INACTIVE);
      if (c.flags().hasSequenceData()) {
        b.sequences(sequence(), sequence());
      }
    }
    return b.build();
  }

  /** The same client and service, now on another real server: the backup replaces it. */
  SyncConnection moved(SyncConnection c) {
    return c.toBuilder()
        .destination(server(c.ipv6(), 8 + random.nextInt(4)), 8081)
        .flags(c.flags().raw() & ~ConnectionFlags.INACTIVE)
        .build();
  }

  /** The connection's last sync: the backup expires it one second later. */
  SyncConnection closing(SyncConnection c) {
    return c.toBuilder()
        .state(c.protocol() == 6 && !c.isTemplate() ? TcpState.CLOSE.value() : c.state())
        .timeout(Duration.ofSeconds(1))
        .build();
  }

  private SequenceAdjustment sequence() {
    return new SequenceAdjustment(random.nextInt(), random.nextInt(1000), random.nextInt(1000));
  }

  private static InetAddress client(boolean ipv6, int n) {
    return ipv6
        ? address(16, 0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, n >>> 8, n)
        : address(4, 198, 51, 100, n & 0xFF);
  }

  private static InetAddress service(boolean ipv6) {
    return ipv6
        ? address(16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)
        : address(4, 192, 0, 2, 100);
  }

  private static InetAddress server(boolean ipv6, int i) {
    return ipv6
        ? address(16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x21 + i)
        : address(4, 192, 0, 2, 21 + i);
  }

  private static InetAddress address(int length, int... bytes) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) bytes[bytes.length - length + i];
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
