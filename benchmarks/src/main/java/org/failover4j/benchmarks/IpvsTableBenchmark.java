package org.failover4j.benchmarks;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.ipvs.ConnectionTable;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncReceiver;
import org.failover4j.ipvs.SyncVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A backup's table updates: a table of {@code size} connections receives the master's refresh of
 * them, one full v1 message (40 entries) per invocation, through {@link SyncReceiver} as the
 * channel does. One operation is one entry: decoded, found, updated and its expiry timer re-armed.
 * No listener is registered, so nothing should be allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpvsTableBenchmark {

  private static final int ENTRIES_PER_MESSAGE = 40;

  /** Connections in the table. */
  @Param({"10000", "100000"})
  public int size;

  private VirtualTimeEventLoop loop;
  private ConnectionTable table;
  private SyncReceiver receiver;
  private ByteBuffer[] messages;
  private int next;

  /** Fills the table with every connection once. */
  @Setup(Level.Trial)
  public void setUp() {
    loop = new VirtualTimeEventLoop();
    table = new ConnectionTable(loop);
    receiver = new SyncReceiver(SyncConfig.builder().build(), table);
    List<ByteBuffer> all = IpvsMessages.messages(SyncVersion.V1, 0, size, false, false);
    messages = all.toArray(ByteBuffer[]::new);
    for (ByteBuffer m : messages) {
      receiver.receive(m, 0, m.limit());
    }
    if (table.size() != size || messages.length * ENTRIES_PER_MESSAGE != size) {
      throw new IllegalStateException("table of " + table.size() + " from " + messages.length);
    }
  }

  /** Refreshes 40 existing connections. */
  @Benchmark
  @OperationsPerInvocation(ENTRIES_PER_MESSAGE)
  public int refresh() {
    ByteBuffer m = messages[next];
    next = next + 1 == messages.length ? 0 : next + 1;
    return receiver.receive(m, 0, m.limit());
  }
}
