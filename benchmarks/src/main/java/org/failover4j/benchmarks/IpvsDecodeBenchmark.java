package org.failover4j.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.failover4j.ipvs.SyncEntry;
import org.failover4j.ipvs.SyncMessageReader;
import org.failover4j.ipvs.SyncVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding IPVS sync entries: one operation is one entry, validated and every field read (the
 * addresses copied out), from full messages as a kernel master sends them. The allocation target is
 * 0 bytes per entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpvsDecodeBenchmark {

  /** Entries in a full 1472-byte v1 message of IPv4 entries without options. */
  private static final int V1_IPV4_ENTRIES = 40;

  /** Entries in a full v1 message of IPv6 entries without options. */
  private static final int V1_IPV6_ENTRIES = 20;

  /** Entries in a full v0 message. */
  private static final int V0_ENTRIES = 61;

  /** Entries in a full v1 message of IPv6 entries with sequence data or SIP persistence data. */
  private static final int V1_OPTIONS_ENTRIES = 14;

  private final SyncMessageReader reader = new SyncMessageReader();
  private final byte[] address = new byte[16];
  private ByteBuffer v1Ipv4;
  private ByteBuffer v1Ipv6;
  private ByteBuffer v0;
  private ByteBuffer v1Options;

  /** Builds one full message of each kind and checks its entry count. */
  @Setup
  public void setUp() {
    v1Ipv4 = IpvsMessages.messages(SyncVersion.V1, 0, V1_IPV4_ENTRIES, false, false).get(0);
    v1Ipv6 = IpvsMessages.messages(SyncVersion.V1, 0, V1_IPV6_ENTRIES, true, false).get(0);
    v0 = IpvsMessages.messages(SyncVersion.V0, 0, V0_ENTRIES, false, false).get(0);
    v1Options = IpvsMessages.messages(SyncVersion.V1, 0, V1_OPTIONS_ENTRIES, true, true).get(0);
    check(v1Ipv4, V1_IPV4_ENTRIES);
    check(v1Ipv6, V1_IPV6_ENTRIES);
    check(v0, V0_ENTRIES);
    check(v1Options, V1_OPTIONS_ENTRIES);
  }

  private void check(ByteBuffer message, int entries) {
    reader.wrap(message, 0, message.limit());
    if (reader.entryCount() != entries || message.limit() > 1472) {
      throw new IllegalStateException(
          "expected a full message of " + entries + ", got " + reader.entryCount());
    }
  }

  /** v1, IPv4, no options: the common case. */
  @Benchmark
  @OperationsPerInvocation(V1_IPV4_ENTRIES)
  public void v1Ipv4(Blackhole bh) {
    decode(v1Ipv4, bh);
  }

  /** v1, IPv6, no options. */
  @Benchmark
  @OperationsPerInvocation(V1_IPV6_ENTRIES)
  public void v1Ipv6(Blackhole bh) {
    decode(v1Ipv6, bh);
  }

  /** v1, IPv6, sequence data or persistence data and engine name in every entry. */
  @Benchmark
  @OperationsPerInvocation(V1_OPTIONS_ENTRIES)
  public void v1Ipv6WithOptions(Blackhole bh) {
    decode(v1Options, bh);
  }

  /** v0, IPv4. */
  @Benchmark
  @OperationsPerInvocation(V0_ENTRIES)
  public void v0(Blackhole bh) {
    decode(v0, bh);
  }

  private void decode(ByteBuffer message, Blackhole bh) {
    reader.wrap(message, 0, message.limit());
    SyncEntry e = reader.entry();
    while (reader.advance()) {
      bh.consume(e.skipReason());
      bh.consume(e.protocol() + e.clientPort() + e.virtualPort() + e.destinationPort());
      bh.consume(e.flags() + e.state() + e.firewallMark() + e.timeoutSeconds());
      e.copyClientAddress(address, 0);
      e.copyVirtualAddress(address, 0);
      e.copyDestinationAddress(address, 0);
      bh.consume(address[3]);
      if (e.hasSequence()) {
        bh.consume(e.inInitSeq() + e.inDelta() + e.outInitSeq() + e.outDelta());
      }
      bh.consume(e.persistenceEngine());
      bh.consume(e.persistenceDataLength());
    }
  }
}
