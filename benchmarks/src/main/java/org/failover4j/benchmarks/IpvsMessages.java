package org.failover4j.benchmarks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.ipvs.ConnectionFlags;
import org.failover4j.ipvs.PersistenceData;
import org.failover4j.ipvs.SequenceAdjustment;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.SyncMessageWriter;
import org.failover4j.ipvs.SyncVersion;
import org.failover4j.ipvs.TcpState;

/** Connections and full sync messages for the IPVS benchmarks. */
final class IpvsMessages {

  private IpvsMessages() {}

  /** Connection {@code n}: TCP, IPv4 or IPv6, optionally with sequence data or a SIP template. */
  static SyncConnection connection(int n, boolean ipv6, boolean options) {
    SyncConnection.Builder b =
        SyncConnection.builder()
            .client(client(ipv6, n), 1024 + n % 60_000)
            .virtual(address(ipv6, 100), 80)
            .destination(address(ipv6, 21 + n % 8), 8080)
            .state(TcpState.ESTABLISHED)
            .timeout(Duration.ofSeconds(900));
    if (options && n % 2 == 0) {
      b.flags(ConnectionFlags.SEQ_MASK)
          .sequences(new SequenceAdjustment(n, 16, 8), new SequenceAdjustment(-n, -16, -8));
    } else if (options) {
      b.protocol(17)
          .flags(ConnectionFlags.TEMPLATE)
          .state(0)
          .persistence(new PersistenceData("sip", ("call-" + n + "@192.0.2.1").getBytes()));
    }
    return b.build();
  }

  /** {@code count} connections from number {@code first}, as full messages of {@code version}. */
  static List<ByteBuffer> messages(
      SyncVersion version, int first, int count, boolean ipv6, boolean options) {
    List<ByteBuffer> messages = new ArrayList<>();
    SyncMessageWriter writer = new SyncMessageWriter(version, ByteOrder.LITTLE_ENDIAN);
    ByteBuffer current = ByteBuffer.allocate(1472);
    writer.begin(current, 0, 1472, 9);
    for (int n = first; n < first + count; n++) {
      SyncConnection c = connection(n, ipv6, options);
      if (!writer.add(c)) {
        messages.add(ByteBuffer.wrap(current.array(), 0, writer.length()).slice());
        current = ByteBuffer.allocate(1472);
        writer.begin(current, 0, 1472, 9);
        writer.add(c);
      }
    }
    messages.add(ByteBuffer.wrap(current.array(), 0, writer.length()).slice());
    return messages;
  }

  private static InetAddress client(boolean ipv6, int n) {
    byte[] b =
        ipv6
            ? new byte[] {
              0x20,
              0x01,
              0x0d,
              (byte) 0xb8,
              0,
              0x0c,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              (byte) (n >>> 8),
              (byte) n
            }
            : new byte[] {(byte) 198, 51, 100, (byte) n};
    return of(b);
  }

  private static InetAddress address(boolean ipv6, int last) {
    return of(
        ipv6
            ? new byte[] {
              0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) last
            }
            : new byte[] {(byte) 192, 0, 2, (byte) last});
  }

  private static InetAddress of(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
