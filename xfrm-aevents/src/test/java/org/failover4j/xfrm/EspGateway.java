package org.failover4j.xfrm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.failover4j.api.Role;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * One IPsec gateway of {@link EspTakeoverInteropTest}, a process of its own so that the test can
 * kill or freeze it: VRRP (VRID 60, 1 s adverts: the one-CPU guest delays a busy JVM's timers by
 * hundreds of milliseconds) holds the virtual address, {@link SaStateSync} (when enabled) follows
 * the role and syncs both SAs over UDP port 5500, and once master (after the takeover report, with
 * sync) it sends UDP from the virtual address to the peer through the outbound ESP SA at {@value
 * #RATE} packets a second.
 *
 * <p>Arguments: {@code IFACE NODE_ID PRIORITY LOCAL PEER VIP/PREFIX PEER_C SPI_OUT SPI_IN
 * sync|nosync SKIP_AHEAD|NEAR_LIMIT CONTROL_DIR}. It prints {@code ready} once set up, starts VRRP
 * when {@code CONTROL_DIR/start} exists: on the guest's one CPU a JVM starting beside a VRRP master
 * would delay its adverts into a false takeover.
 */
final class EspGateway {

  static final byte[] KEY = "esp-takeover-test-key".getBytes(StandardCharsets.US_ASCII);

  private EspGateway() {}

  public static void main(String[] args) throws Exception {
    String iface = args[0];
    int nodeId = Integer.parseInt(args[1]);
    int priority = Integer.parseInt(args[2]);
    InetAddress local = InetAddress.getByName(args[3]);
    InetAddress peer = InetAddress.getByName(args[4]);
    String vipCidr = args[5];
    InetAddress vip = InetAddress.getByName(vipCidr.substring(0, vipCidr.indexOf('/')));
    InetAddress peerC = InetAddress.getByName(args[6]);
    SaId outbound = SaId.esp(peerC, Integer.decode(args[7]));
    SaId inbound = SaId.esp(vip, Integer.decode(args[8]));
    boolean sync = args[9].equals("sync");
    TakeoverPolicy policy = TakeoverPolicy.valueOf(args[10]);
    java.nio.file.Path control = java.nio.file.Path.of(args[11]);

    PollEventLoop loop = PollEventLoop.start("gateway");
    XfrmAeventClient xfrm = XfrmAeventClient.open();
    SaStateSync saSync = null;
    if (sync) {
      saSync =
          SaStateSync.builder()
              .loop(loop)
              .kernel(xfrm)
              .transport(
                  UdpSyncTransport.open(
                      new InetSocketAddress(local, 5500), new InetSocketAddress(peer, 5500)))
              .key(KEY)
              .nodeId(nodeId)
              .policy(policy)
              .margin(TakeoverMargin.defaults(AeventSysctls.read()))
              .build();
      saSync.addTakeoverListener(
          report -> {
            for (SaInstallResult r : report.results()) {
              if (r instanceof SaInstallResult.Installed in) {
                System.out.printf(
                    "takeover %s synced %d installed %d%n",
                    in.sa(), in.syncedSequence(), in.installedSequence());
              } else {
                System.out.println("takeover not installed: " + r);
              }
            }
            System.out.println("takeover done");
            System.out.println("serving");
          },
          Runnable::run);
      saSync.start();
      xfrm.subscribe(loop, saSync);
      saSync.track(outbound, null);
      saSync.track(inbound, null);
    }
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(NetlinkPlatform.open(loop))
            .instance(
                VrrpInstanceConfig.builder("gw")
                    .iface(iface)
                    .vrid(60)
                    .priority(priority)
                    .advertInterval(Duration.ofSeconds(1))
                    .virtualAddress(vipCidr)
                    .build())
            .build();
    router
        .instance("gw")
        .addListener(
            e -> {
              System.out.println("gw " + e.to());
              if (e.to() == Role.MASTER && !sync) {
                System.out.println("serving");
              }
            },
            Runnable::run);
    if (saSync != null) {
      router.instance("gw").addListener(saSync, Runnable::run);
    }
    System.out.println("ready");
    awaitFile(control.resolve("start-" + nodeId));
    router.start();
    Thread.currentThread().join(); // until killed
  }

  private static void awaitFile(java.nio.file.Path file) throws InterruptedException {
    while (!java.nio.file.Files.exists(file)) {
      Thread.sleep(20);
    }
  }
}
