package org.failover4j.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.failover4j.api.EventLoop;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.failover4j.xfrm.NoSuchSaException;
import org.failover4j.xfrm.SaId;
import org.failover4j.xfrm.SaInstallResult;
import org.failover4j.xfrm.SaKernel;
import org.failover4j.xfrm.SaStateSync;
import org.failover4j.xfrm.SyncTransport;
import org.failover4j.xfrm.TakeoverMargin;
import org.failover4j.xfrm.TakeoverReport;
import org.failover4j.xfrm.UdpSyncTransport;
import org.failover4j.xfrm.XfrmAeventClient;

/**
 * An IPsec gateway pair: VRRP decides which gateway holds the tunnel address, and XFRM SA sync
 * ships the master's ESP sequence numbers to the backup, which installs them (moved ahead by a
 * safety margin) when it takes over, so the peer's replay window never sees a number twice. Like
 * the IPVS channel, the SA sync is a role listener.
 *
 * <p>Simulated (no arguments): two gateways, each with a {@link MemorySaKernel}; gw-a forwards
 * traffic, crashes, and gw-b takes over. Real ({@code --real eth0 LOCAL PEER SA_DST SPI
 * [PRIORITY]}, as root, with the SA installed on both gateways by an IKE daemon): the kernel's XFRM
 * ({@link XfrmAeventClient}) and UDP sync between LOCAL and PEER on port 5500; where the kernel has
 * no such SA (most machines here cannot install ESP SAs) it falls back to the simulated kernel.
 * Either way the example prints which kernel it used.
 */
public final class IpsecGatewayPair {

  private static final byte[] SYNC_KEY =
      "example-only sync key, 16+ bytes".getBytes(StandardCharsets.US_ASCII);

  private static final Duration SIMULATED_ADVERT_INTERVAL = Duration.ofMillis(100);

  private IpsecGatewayPair() {}

  /** Runs {@link #run} on standard output, with the command line's arguments. */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE LOCAL PEER SA_DST SPI [PRIORITY]]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    Setup setup = Setup.parse(args);
    if (setup.real()) {
      List<String> r = setup.rest(); // LOCAL PEER SA_DST SPI [PRIORITY]
      SaId sa = SaId.esp(InetAddress.getByName(r.get(2)), Integer.decode(r.get(3)));
      PollEventLoop loop = PollEventLoop.start("ipsec-gateway");
      XfrmAeventClient xfrm = XfrmAeventClient.open();
      SaKernel kernel = xfrm;
      try {
        xfrm.getAe(sa, null, Set.of());
        out.println("SA state: the kernel's XFRM, " + sa);
      } catch (NoSuchSaException e) {
        out.println("SA state: simulated kernel (the kernel has no " + sa + ": no ESP here?)");
        MemorySaKernel memory = new MemorySaKernel(32);
        memory.addSa(sa);
        kernel = memory;
      }
      SyncTransport udp =
          UdpSyncTransport.open(
              new InetSocketAddress(r.get(0), 5500), new InetSocketAddress(r.get(1), 5500));
      SaStateSync sync = sync("gw", loop, kernel, udp, r.get(0).hashCode(), out);
      if (kernel == xfrm) {
        xfrm.subscribe(loop, sync);
      }
      sync.track(sa, null); // hold (and, as master, ship) its state before its first event
      int priority = r.size() > 4 ? Integer.parseInt(r.get(4)) : 100;
      VrrpRouter router =
          gateway(
              "gw",
              NetlinkPlatform.open(loop),
              setup.iface(0),
              priority,
              Setup.PAIR_ADVERT_INTERVAL,
              sync,
              out);
      Setup.runUntilStopped(router, sync, xfrm, loop);
      return;
    }
    out.println("SA state: simulated kernel (MemorySaKernel)");
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    SaId sa = SaId.esp(InetAddress.getByName("203.0.113.7"), 0x1000); // to the remote peer
    MemorySyncTransport[] link = MemorySyncTransport.pair();
    MemorySaKernel kernelA = new MemorySaKernel(32);
    MemorySaKernel kernelB = new MemorySaKernel(32);
    kernelA.addSa(sa); // installed on both by the IKE daemon (keys, SPIs); counters at 0
    kernelB.addSa(sa);
    var hostA = lan.addHost("gw-a", InetAddress.getByName("192.0.2.1"));
    var hostB = lan.addHost("gw-b", InetAddress.getByName("192.0.2.2"));
    SaStateSync syncA = sync("gw-a", loop, kernelA, link[0], 1, out);
    SaStateSync syncB = sync("gw-b", loop, kernelB, link[1], 2, out);
    kernelA.subscribe(syncA); // each kernel's events go to its node's sync
    kernelB.subscribe(syncB);
    VrrpRouter a =
        gateway(
            "gw-a",
            new SimulatedPlatform(loop).attach("eth0", hostA),
            "eth0",
            150,
            SIMULATED_ADVERT_INTERVAL,
            syncA,
            out);
    VrrpRouter b =
        gateway(
            "gw-b",
            new SimulatedPlatform(loop).attach("eth0", hostB),
            "eth0",
            100,
            SIMULATED_ADVERT_INTERVAL,
            syncB,
            out);
    loop.advanceBy(Duration.ofSeconds(2));
    for (int second = 0; second < 3; second++) {
      kernelA.send(sa, 10_000, 1400); // gw-a forwards 10,000 packets a second through the tunnel
      loop.advanceBy(Duration.ofSeconds(1));
    }
    out.println(
        "gw-a sent up to sequence number " + kernelA.outboundSequence(sa) + ", then crashes");
    hostA.crash();
    link[0].setUp(false);
    loop.advanceBy(Duration.ofSeconds(2));
    kernelB.send(sa, 1, 1400);
    out.println(
        "gw-b's first packet carries "
            + kernelB.outboundSequence(sa)
            + (kernelB.outboundSequence(sa) > kernelA.outboundSequence(sa)
                ? ": above everything gw-a sent, the peer accepts it"
                : ": a number gw-a already used, the peer drops it as a replay"));
    a.closeAbruptly();
    b.close();
  }

  private static SaStateSync sync(
      String name,
      EventLoop loop,
      SaKernel kernel,
      SyncTransport transport,
      int nodeId,
      PrintStream out)
      throws Exception {
    SaStateSync sync =
        SaStateSync.builder()
            .loop(loop)
            .kernel(kernel)
            .transport(transport)
            .key(SYNC_KEY) // shared by both gateways; from your secret store in real life
            .nodeId(nodeId)
            .margin(new TakeoverMargin(2, Duration.ofSeconds(1), 10_000, 3))
            .build();
    sync.addTakeoverListener(report -> print(name, report, out), Runnable::run);
    sync.start();
    return sync;
  }

  private static VrrpRouter gateway(
      String name,
      Platform platform,
      String iface,
      int priority,
      Duration advertInterval,
      SaStateSync sync,
      PrintStream out)
      throws Exception {
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(platform)
            .instance(
                VrrpInstanceConfig.builder("gw")
                    .iface(iface)
                    .vrid(54)
                    .priority(priority)
                    .advertInterval(advertInterval)
                    .virtualAddress("192.0.2.254/24")
                    .build())
            .build();
    router
        .instance("gw")
        .addListener(
            e -> out.println(name + " " + e.to() + " (" + e.reason() + ")"), Runnable::run);
    router.instance("gw").addListener(sync, Runnable::run); // the election decides who syncs what
    router.start();
    return router;
  }

  private static void print(String name, TakeoverReport report, PrintStream out) {
    for (SaInstallResult result : report.results()) {
      if (result instanceof SaInstallResult.Installed in) {
        out.printf(
            "%s takeover: %s synced oseq %d, installed %d%n",
            name, in.sa(), in.syncedSequence(), in.installedSequence());
      } else if (result instanceof SaInstallResult.NotInstalled not) {
        out.printf("%s takeover: %s not installed: %s%n", name, not.sa(), not.reason());
      }
    }
  }
}
