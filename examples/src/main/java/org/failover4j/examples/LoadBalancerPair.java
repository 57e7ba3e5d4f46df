package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import org.failover4j.api.AddressText;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.ipvs.ConnectionEvent;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.TcpState;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * A load-balancer pair: VRRP decides which node holds the service address, and the IPVS connection
 * sync follows the role (the master sends its connections, the backup keeps them), so the backup's
 * table is full when it takes over. The sync channel is nothing but a role listener.
 *
 * <p>Real ({@code --real eth0 [PRIORITY]}, as root): {@link IpvsSyncChannel} on {@code eth0}'s
 * multicast group, the format of the kernel's {@code ipvsadm --start-daemon}; the backup prints its
 * table as it fills (from the kernel's master daemon, {@code ipvsadm --start-daemon master --syncid
 * 9}, on the master's node), and each node prints its role with the table's size. Simulated: {@link
 * MemorySyncChannel}, the same sender and receiver through memory, with three clients arriving at
 * the master before it leaves.
 */
public final class LoadBalancerPair {

  private LoadBalancerPair() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE [PRIORITY]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    SyncConfig.Builder sync = SyncConfig.builder().syncId(9);
    if (setup.real()) {
      int priority = setup.rest().isEmpty() ? 100 : Integer.parseInt(setup.rest().get(0));
      IpvsSyncChannel channel =
          IpvsSyncChannel.builder()
              .config(sync.networkInterface(NetworkInterface.getByName(setup.iface(0))).build())
              .build();
      channel.start();
      channel.addListener(e -> print(out, "lb", e), Runnable::run);
      VrrpRouter router =
          VrrpRouter.builder()
              .ownedPlatform(Setup.kernel())
              .instance(config(setup.iface(0), priority, Setup.PAIR_ADVERT_INTERVAL))
              .build();
      router.instance("lb").addListener(channel); // MASTER sends, BACKUP receives
      router // on the library's listener threads: the table is read on the channel's loop
          .instance("lb")
          .addListener(
              e ->
                  out.printf(
                      "lb %s (%s), %d connections in the table%n",
                      e.to(), e.reason(), channel.snapshot().join().size()));
      router.start();
      Setup.runUntilStopped(router, channel);
      return;
    }
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    MemorySyncChannel a = new MemorySyncChannel(loop, sync.build());
    MemorySyncChannel b = new MemorySyncChannel(loop, sync.build());
    MemorySyncChannel.connect(a, b);
    a.addListener(e -> print(out, "lb-a", e), Runnable::run);
    b.addListener(e -> print(out, "lb-b", e), Runnable::run);
    VrrpRouter routerA = node(loop, lan, "192.0.2.1", 150, a);
    VrrpRouter routerB = node(loop, lan, "192.0.2.2", 100, b);
    loop.advanceBy(Duration.ofSeconds(2));
    for (int client = 1; client <= 3; client++) { // clients reach whichever node is master
      MemorySyncChannel master = routerA.instance("lb").role() == Role.MASTER ? a : b;
      master.sync(connection(client));
      loop.advanceBy(Duration.ofSeconds(1));
    }
    loop.advanceBy(Duration.ofSeconds(2)); // the sender's flush period: the last message leaves
    out.println("lb-a leaves; lb-b takes over with " + b.table().size() + " connections");
    routerA.close();
    loop.advanceBy(Duration.ofSeconds(2));
    routerB.close();
  }

  private static VrrpRouter node(
      VirtualTimeEventLoop loop,
      SimulatedNetwork lan,
      String ip,
      int priority,
      MemorySyncChannel sync)
      throws Exception {
    SimulatedPlatform platform =
        new SimulatedPlatform(loop).attach("eth0", lan.addHost(ip, InetAddress.getByName(ip)));
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(config("eth0", priority, Duration.ofMillis(100)))
            .build();
    router.instance("lb").addListener(sync, Runnable::run);
    router.start();
    return router;
  }

  private static VrrpInstanceConfig config(String iface, int priority, Duration advertInterval) {
    return VrrpInstanceConfig.builder("lb")
        .iface(iface)
        .vrid(53)
        .priority(priority)
        .advertInterval(advertInterval)
        .virtualAddress("192.0.2.10/24")
        .build();
  }

  /** What a user-space balancer would hand the channel for each new client connection. */
  private static SyncConnection connection(int client) throws Exception {
    return SyncConnection.builder()
        .client(InetAddress.getByName("198.51.100." + client), 40000 + client)
        .virtual(InetAddress.getByName("192.0.2.10"), 80)
        .destination(InetAddress.getByName("192.0.2." + (20 + client % 2)), 8080)
        .state(TcpState.ESTABLISHED)
        .timeout(Duration.ofMinutes(15))
        .build();
  }

  private static void print(PrintStream out, String node, ConnectionEvent e) {
    SyncConnection c = e.connection();
    out.printf(
        "%s table: %s %s:%d -> %s:%d%n",
        node,
        e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT),
        AddressText.of(c.clientAddress()),
        c.clientPort(),
        AddressText.of(c.destinationAddress()),
        c.destinationPort());
  }
}
