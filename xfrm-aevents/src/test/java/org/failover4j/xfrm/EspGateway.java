package org.failover4j.xfrm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.failover4j.api.Role;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * One IPsec gateway of {@link EspTakeoverInteropTest}, a process of its own so that the test can
 * kill or freeze it: VRRP (VRID 60, adverts every {@code ADVERT_MILLIS}) holds an IPv4 virtual
 * address and, beside it, an IPv6 one (keepalived's excluded address: held, not advertised), and
 * {@link SaStateSync} (when enabled) follows the role and syncs the four SAs over UDP port 5500:
 * IPv4 with a 32-packet window ({@link #SPI_OUT4}, {@link #SPI_IN4}) and IPv6 ESN with a
 * 1,024-packet window ({@link #SPI_OUT6}, {@link #SPI_IN6}). With {@code hook} the sync is also the
 * instance's {@link org.failover4j.api.BeforeTakeover} hook: the counters go in before the
 * addresses.
 *
 * <p>Arguments: {@code IFACE NODE_ID PRIORITY LOCAL PEER VIP4/PREFIX VIP6/PREFIX PEER_C4 PEER_C6
 * sync|nosync hook|nohook ADVERT_MILLIS CONTROL_DIR}. It prints {@code ready} once set up and
 * starts VRRP when {@code CONTROL_DIR/start-NODE_ID} exists: on the guest's one CPU a JVM starting
 * beside a VRRP master would delay its adverts into a false takeover. It prints {@code gw ROLE} on
 * each transition, {@code takeover SA synced N installed M} per SA, and {@code serving} once it may
 * send.
 */
final class EspGateway {

  static final byte[] KEY = "esp-takeover-test-key".getBytes(StandardCharsets.US_ASCII);
  static final int SPI_OUT4 = 0x2001; // from the IPv4 virtual address to the peer
  static final int SPI_IN4 = 0x2002;
  static final int SPI_OUT6 = 0x3001; // from the IPv6 virtual address to the peer, ESN
  static final int SPI_IN6 = 0x3002;

  private EspGateway() {}

  public static void main(String[] args) throws Exception {
    String iface = args[0];
    int nodeId = Integer.parseInt(args[1]);
    int priority = Integer.parseInt(args[2]);
    InetAddress local = InetAddress.getByName(args[3]);
    InetAddress peer = InetAddress.getByName(args[4]);
    String vip4Cidr = args[5];
    VirtualAddress vip4 = VirtualAddress.parse(vip4Cidr);
    VirtualAddress vip6 = VirtualAddress.parse(args[6]);
    InetAddress peer4 = InetAddress.getByName(args[7]);
    InetAddress peer6 = InetAddress.getByName(args[8]);
    boolean sync = args[9].equals("sync");
    boolean hook = args[10].equals("hook");
    Duration advert = Duration.ofMillis(Long.parseLong(args[11]));
    java.nio.file.Path control = java.nio.file.Path.of(args[12]);

    PollEventLoop loop = PollEventLoop.start("gateway");
    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(NetlinkPlatform.open(loop))
            .instance(
                VrrpInstanceConfig.builder("gw")
                    .iface(iface)
                    .vrid(60)
                    .priority(priority)
                    .advertInterval(advert)
                    .virtualAddress(vip4Cidr)
                    .excludedAddress(vip6)
                    .build())
            .build();
    VrrpInstance instance = router.instance("gw");
    instance.addListener(
        e -> {
          System.out.println("gw " + e.to());
          if (e.to() == Role.MASTER && !sync) {
            System.out.println("serving");
          }
        },
        Runnable::run);
    if (sync) {
      XfrmAeventClient xfrm = XfrmAeventClient.open();
      SaStateSync saSync =
          SaStateSync.builder()
              .loop(loop)
              .kernel(xfrm)
              .transport(
                  UdpSyncTransport.open(
                      new InetSocketAddress(local, 5500), new InetSocketAddress(peer, 5500)))
              .key(KEY)
              .nodeId(nodeId)
              .margin(TakeoverMargin.defaults(AeventSysctls.read()))
              .build();
      saSync.addTakeoverListener(EspGateway::print, Runnable::run);
      saSync.start();
      xfrm.subscribe(loop, saSync);
      saSync.track(SaId.esp(peer4, SPI_OUT4), null);
      saSync.track(SaId.esp(vip4.address(), SPI_IN4), null);
      saSync.track(SaId.esp(peer6, SPI_OUT6), null);
      saSync.track(SaId.esp(vip6.address(), SPI_IN6), null);
      if (hook) {
        instance.addBeforeTakeover(saSync);
      }
      instance.addListener(saSync, Runnable::run);
    }
    System.out.println("ready");
    awaitFile(control.resolve("start-" + nodeId));
    router.start();
    Thread.currentThread().join(); // until killed
  }

  private static void print(TakeoverReport report) {
    for (SaInstallResult r : report.results()) {
      if (r instanceof SaInstallResult.Installed in) {
        System.out.printf(
            "takeover %s synced %d installed %d%n",
            in.sa(), in.syncedSequence(), in.installedSequence());
      } else {
        System.out.println("takeover not installed: " + r);
      }
    }
    System.out.println("serving");
  }

  private static void awaitFile(java.nio.file.Path file) throws InterruptedException {
    while (!java.nio.file.Files.exists(file)) {
      Thread.sleep(20);
    }
  }
}
