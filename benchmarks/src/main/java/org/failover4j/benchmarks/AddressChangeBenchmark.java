package org.failover4j.benchmarks;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.failover4j.netlink.rtnl.AddressSpec;
import org.failover4j.netlink.rtnl.RtNetlink;
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
 * Moving a virtual address: one add plus one delete of 192.0.2.100/24, through rtnetlink versus
 * through two {@code ip addr} subprocesses, on a veth in a throw-away namespace. Needs root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AddressChangeBenchmark {

  private BenchNamespace namespace;
  private RtNetlink rtnetlink;
  private AddressSpec address;

  /** Creates the namespace, a veth pair and the netlink socket inside it. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    namespace = BenchNamespace.create("addr");
    namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
    namespace.ip("link", "set", "v0", "up");
    rtnetlink = namespace.call(RtNetlink::open);
    int ifindex = rtnetlink.link("v0").orElseThrow().index();
    address =
        AddressSpec.builder(InetAddress.getByName("192.0.2.100"), ifindex).prefixLength(24).build();
  }

  /** Closes the socket and deletes the namespace. */
  @TearDown(Level.Trial)
  public void tearDown() {
    rtnetlink.close();
    namespace.close();
  }

  /** Add and delete through rtnetlink: two request/acknowledgement round trips. */
  @Benchmark
  public boolean netlink() throws Exception {
    if (!rtnetlink.addAddress(address)) {
      throw new IllegalStateException("address was already there");
    }
    return rtnetlink.deleteAddress(address);
  }

  /** Add and delete the way scripts do it: {@code ip -n <ns> addr add/del}. */
  @Benchmark
  public void ipSubprocess() throws Exception {
    BenchNamespace.run("ip", "-n", namespace.name(), "addr", "add", "192.0.2.100/24", "dev", "v0");
    BenchNamespace.run("ip", "-n", namespace.name(), "addr", "del", "192.0.2.100/24", "dev", "v0");
  }
}
