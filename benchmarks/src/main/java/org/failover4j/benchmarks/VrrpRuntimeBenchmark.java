package org.failover4j.benchmarks;

import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertChannels;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.AdvertSocket;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.LinkStateListener;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The VRRP runtime's steady state, through everything but the socket: a backup receiving its
 * master's advert (decode, keepalived's checks, state machine, timer re-arm) and a master's
 * periodic advert (timer, state machine, encoder, send). Both must allocate nothing.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar VrrpRuntime -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VrrpRuntimeBenchmark {

  private static final long INTERVAL_NANOS = 10_000_000L;

  private VirtualTimeEventLoop loop;
  private BenchPlatform masterPlatform;
  private BenchPlatform backupPlatform;
  private VrrpRouter master;
  private VrrpRouter backup;
  private final ReceivedDatagram received = new ReceivedDatagram();

  /** Two routers on one virtual-time loop; the master's first advert is kept for the backup. */
  @Setup
  public void setUp() throws Exception {
    loop = new VirtualTimeEventLoop();
    masterPlatform = new BenchPlatform(loop, "192.0.2.11");
    backupPlatform = new BenchPlatform(loop, "192.0.2.12");
    master = router(masterPlatform, 255);
    backup = router(backupPlatform, 100);
    master.start();
    backup.start();
    if (master.instance("VI_1").role() != Role.MASTER) {
      throw new IllegalStateException("the owner should be master at once");
    }
    ByteBuffer advert = masterPlatform.lastSent;
    received.reset(false);
    received.setIfindex(2);
    received.fillIpv4(advert, 0, masterPlatform.lastLength, masterPlatform.lastLength);
  }

  private VrrpRouter router(BenchPlatform platform, int priority) {
    return VrrpRouter.builder()
        .platform(platform)
        .instance(
            VrrpInstanceConfig.builder("VI_1")
                .iface("eth0")
                .vrid(60)
                .priority(priority)
                .advertInterval(java.time.Duration.ofMillis(INTERVAL_NANOS / 1_000_000))
                .virtualAddress("192.0.2.100/24")
                .virtualAddress("192.0.2.101/24")
                .build())
        .build();
  }

  /** A backup accepts its master's advert and re-arms Master_Down. */
  @Benchmark
  public int backupReceivesAdvert() {
    backupPlatform.sink.received(received);
    return backup.instance("VI_1").effectivePriority();
  }

  /** A master's Adver_Timer fires and it writes and sends one advert. */
  @Benchmark
  public int masterSendsPeriodicAdvert() {
    loop.advanceTo(loop.nanoTime() + INTERVAL_NANOS);
    return masterPlatform.lastLength;
  }

  /** Closes the routers. */
  @TearDown
  public void tearDown() {
    master.closeAbruptly();
    backup.closeAbruptly();
  }

  /**
   * A platform whose shared socket keeps the last packet sent and hands out its demultiplexer, so
   * that a benchmarked receive runs the same path as a kernel one after {@code recvmsg}.
   */
  private static final class BenchPlatform implements Platform {
    private final EventLoop loop;
    private final Inet4Address address;
    private final AdvertChannels channels = new AdvertChannels(this::openSocket);
    final ByteBuffer lastSent = ByteBuffer.allocateDirect(1500);
    int lastLength;
    AdvertSink sink;

    BenchPlatform(EventLoop loop, String address) throws Exception {
      this.loop = loop;
      this.address = (Inet4Address) InetAddress.getByName(address);
    }

    @Override
    public EventLoop eventLoop() {
      return loop;
    }

    @Override
    public InterfaceState interfaceState(String iface) {
      return new InterfaceState(iface, 2, new byte[] {2, 0, 0, 0, 0, 1}, true, address, null, null);
    }

    @Override
    public AdvertChannel openAdvertChannel(
        String iface, IpFamily family, AdvertOwner owner, AdvertSink advertSink)
        throws java.io.IOException {
      return channels.open(iface, family, owner, advertSink);
    }

    @Override
    public java.util.Map<AdvertDropReason, Long> advertDrops() {
      return channels.drops().snapshot();
    }

    private AdvertSocket openSocket(String iface, IpFamily family, AdvertSink demux) {
      this.sink = demux;
      return new AdvertSocket() {
        @Override
        public int addDestination(InetAddress destination, InetAddress source) {
          return 0;
        }

        @Override
        public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
          lastSent.put(0, packet, offset, length);
          lastLength = length;
          return SendOutcome.SENT;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void addAddress(String iface, InetAddress address, int prefixLength) {}

    @Override
    public void removeAddress(String iface, InetAddress address, int prefixLength) {}

    @Override
    public void announce(String iface, InetAddress address, byte[] mac) {}

    @Override
    public InterfaceState createVirtualMac(String name, String parent, byte[] mac) {
      throw new UnsupportedOperationException("not benchmarked");
    }

    @Override
    public void deleteVirtualMac(String name) {}

    @Override
    public Closeable watchLinks(LinkStateListener listener) {
      return () -> {};
    }

    @Override
    public Closeable watchAddresses(org.failover4j.api.platform.AddressListener listener) {
      return () -> {};
    }

    @Override
    public Executor checkExecutor() {
      return Runnable::run;
    }

    @Override
    public void close() {}
  }
}
