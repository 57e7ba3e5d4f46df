package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.ipvs.ConnectionEvent;
import org.failover4j.ipvs.ConnectionTable;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.SyncReceiver;
import org.failover4j.ipvs.SyncSender;
import org.failover4j.ipvs.TcpState;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * A load-balancer pair: VRRP decides which node holds the service address, and the IPVS connection
 * sync follows the role (the master sends its connections, the backup keeps them), so the backup's
 * table is full when it takes over. The sync channel is nothing but a role listener.
 *
 * <p>Real ({@code --real eth0}, as root): {@link IpvsSyncChannel} on {@code eth0}'s multicast group
 * (what the kernel's {@code ipvsadm --start-daemon} speaks). Simulated: the same {@link SyncSender}
 * and {@link SyncReceiver} the channel runs, wired through memory.
 */
public final class LoadBalancerPair {

  private LoadBalancerPair() {}

  /**
   * Runs the example, printing to standard output.
   *
   * @param args {@code [--real IFACE [PRIORITY]]}
   * @throws Exception when the example cannot run
   */
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
    if (setup.real()) {
      int priority = setup.rest().isEmpty() ? 100 : Integer.parseInt(setup.rest().get(0));
      NetworkInterface nic = NetworkInterface.getByName(setup.iface(0));
      IpvsSyncChannel channel =
          IpvsSyncChannel.open(SyncConfig.builder().syncId(9).networkInterface(nic).build());
      channel.addListener(e -> print(out, "lb", e), Runnable::run);
      VrrpRouter router =
          VrrpRouter.builder()
              .ownedPlatform(Setup.kernel())
              .instance(config(setup.iface(0), priority))
              .build();
      router.instance("lb").addListener(channel); // MASTER sends, BACKUP receives
      router.start();
      Setup.runUntilStopped(router, channel);
      return;
    }
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    SyncConfig sync = SyncConfig.builder().syncId(9).build();
    SimSync a = new SimSync(loop, sync, "lb-a", out);
    SimSync b = new SimSync(loop, sync, "lb-b", out);
    a.peer = b;
    b.peer = a;
    VrrpRouter routerA =
        VrrpRouter.builder()
            .platform(
                new SimulatedPlatform(loop)
                    .attach("eth0", lan.addHost("lb-a", InetAddress.getByName("192.0.2.1"))))
            .instance(config("eth0", 150))
            .build();
    VrrpRouter routerB =
        VrrpRouter.builder()
            .platform(
                new SimulatedPlatform(loop)
                    .attach("eth0", lan.addHost("lb-b", InetAddress.getByName("192.0.2.2"))))
            .instance(config("eth0", 100))
            .build();
    routerA.instance("lb").addListener(a, Runnable::run);
    routerB.instance("lb").addListener(b, Runnable::run);
    routerA.start();
    routerB.start();
    loop.advanceBy(Duration.ofSeconds(2));
    for (int client = 1; client <= 3; client++) { // clients arrive at whichever node is master
      (a.role == Role.MASTER ? a : b).accept(client);
      loop.advanceBy(Duration.ofSeconds(1));
    }
    loop.advanceBy(Duration.ofSeconds(2)); // the sender's flush period: the last message leaves
    out.println("lb-a leaves; lb-b takes over with " + b.table.size() + " connections");
    routerA.close();
    loop.advanceBy(Duration.ofSeconds(2));
    routerB.close();
  }

  private static VrrpInstanceConfig config(String iface, int priority) {
    return VrrpInstanceConfig.builder("lb")
        .iface(iface)
        .vrid(53)
        .priority(priority)
        .advertInterval(Duration.ofMillis(100))
        .virtualAddress("192.0.2.10/24")
        .build();
  }

  private static void print(PrintStream out, String node, ConnectionEvent e) {
    SyncConnection c = e.connection();
    out.printf(
        "%s table: %s %s:%d -> %s:%d%n",
        node,
        e.getClass().getSimpleName().toLowerCase(),
        c.clientAddress().getHostAddress(),
        c.clientPort(),
        c.destinationAddress().getHostAddress(),
        c.destinationPort());
  }

  /** One node's sync, as {@link IpvsSyncChannel} does it, with memory for the wire. */
  private static final class SimSync implements RoleListener {
    final VirtualTimeEventLoop loop;
    final String name;
    final ConnectionTable table;
    final SyncReceiver receiver;
    final SyncSender sender;
    SimSync peer;
    Role role = Role.INITIALIZE;

    SimSync(VirtualTimeEventLoop loop, SyncConfig config, String name, PrintStream out) {
      this.loop = loop;
      this.name = name;
      this.table = new ConnectionTable(loop);
      this.receiver = new SyncReceiver(config, table);
      this.sender = new SyncSender(loop, config, message -> peer.deliver(copy(message)));
      table.addListener(e -> print(out, name, e), Runnable::run);
    }

    @Override
    public void roleChanged(RoleChangeEvent event) {
      role = event.to(); // MASTER sends, BACKUP receives, others neither
    }

    void accept(int client) throws Exception {
      sender.submit(
          SyncConnection.builder()
              .client(InetAddress.getByName("198.51.100." + client), 40000 + client)
              .virtual(InetAddress.getByName("192.0.2.10"), 80)
              .destination(InetAddress.getByName("192.0.2." + (20 + client % 2)), 8080)
              .state(TcpState.ESTABLISHED)
              .timeout(Duration.ofMinutes(15))
              .build());
    }

    void deliver(ByteBuffer message) {
      loop.execute(
          () -> {
            if (role == Role.BACKUP) receiver.receive(message, 0, message.limit());
          });
    }

    private static ByteBuffer copy(ByteBuffer message) {
      ByteBuffer copy = ByteBuffer.allocate(message.remaining());
      copy.put(message.duplicate()).flip();
      return copy;
    }
  }
}
