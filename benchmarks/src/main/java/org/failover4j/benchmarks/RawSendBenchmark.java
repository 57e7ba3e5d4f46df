package org.failover4j.benchmarks;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.RawSocketOption;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sending a 40-byte VRRPv2 advert (20-byte IPv4 header built by the caller, IP_HDRINCL, as with
 * IPsec-AH) to 224.0.0.18 out of a veth in a throw-away namespace: the per-advert cost of the raw
 * socket path, and its allocation (expected: none). Needs root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawSendBenchmark {

  private BenchNamespace namespace;
  private RawIpSocket socket;
  private IpDestination group;
  private ByteBuffer advert;

  /** Creates the namespace, a veth pair with both ends up, and the socket. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    namespace = BenchNamespace.create("send");
    namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
    namespace.ip("link", "set", "v0", "up");
    namespace.ip("link", "set", "v1", "up");
    namespace.ip("addr", "add", "192.0.2.11/24", "dev", "v0");
    socket =
        namespace.call(
            () -> {
              RawIpSocket s = RawIpSocket.open(StandardProtocolFamily.INET, IpProtocol.VRRP);
              s.bindToDevice("v0");
              s.setOption(RawSocketOption.HEADER_INCLUDED, true);
              s.setOption(RawSocketOption.MULTICAST_LOOP, false);
              return s;
            });
    group = IpDestination.of(InetAddress.getByName("224.0.0.18"));
    advert = ByteBuffer.allocateDirect(40);
    advert.put(Ipv4Header.VERSION_IHL_OFFSET, (byte) 0x45).put(Ipv4Header.TOS_OFFSET, (byte) 0xc0);
    ByteAccess.put16(advert, Ipv4Header.TOTAL_LENGTH_OFFSET, 40);
    advert.put(Ipv4Header.TTL_OFFSET, (byte) 255);
    advert.put(Ipv4Header.PROTOCOL_OFFSET, (byte) IpProtocol.VRRP);
    advert.put(Ipv4Header.SOURCE_OFFSET, InetAddress.getByName("192.0.2.11").getAddress());
    advert.put(Ipv4Header.DESTINATION_OFFSET, InetAddress.getByName("224.0.0.18").getAddress());
    advert.put(20, (byte) 0x21).put(21, (byte) 7).put(22, (byte) 100).put(23, (byte) 1);
    advert.put(25, (byte) 1);
    advert.put(28, InetAddress.getByName("192.0.2.100").getAddress());
  }

  /** Closes the socket and deletes the namespace. */
  @TearDown(Level.Trial)
  public void tearDown() {
    socket.close();
    namespace.close();
  }

  /** One advert. */
  @Benchmark
  public int send() throws Exception {
    advert.clear();
    return socket.send(advert, group);
  }
}
