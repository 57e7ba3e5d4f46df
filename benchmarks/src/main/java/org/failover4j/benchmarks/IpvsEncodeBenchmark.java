package org.failover4j.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.SyncMessageWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding a master's connections: one operation is one IPv4 entry appended to a v1 message, 40 to
 * a message. The connections are built once; what is allocated is the encoder's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpvsEncodeBenchmark {

  private static final int ENTRIES = 40;

  private final SyncMessageWriter writer = new SyncMessageWriter();
  private final ByteBuffer buffer = ByteBuffer.allocate(1472);
  private final SyncConnection[] connections = new SyncConnection[ENTRIES];

  /** Builds the connections. */
  @Setup
  public void setUp() {
    for (int i = 0; i < ENTRIES; i++) {
      connections[i] = IpvsMessages.connection(i, false, false);
    }
  }

  /** Writes one full message. */
  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public int v1Ipv4() {
    writer.begin(buffer, 0, 1472, 9);
    for (SyncConnection c : connections) {
      writer.add(c);
    }
    return writer.length();
  }
}
