package org.failover4j.examples;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * A Java service that owns a virtual address with VRRP on a real interface, next to keepalived or
 * other failover4j routers: it starts serving in {@code becameMaster} and stops in {@code
 * becameBackup}. Run as root: {@code EmbeddedVrrpRouter eth0 192.0.2.100/24 150}.
 */
public final class EmbeddedVrrpRouter {

  private EmbeddedVrrpRouter() {}

  /** Runs until Ctrl-C, then leaves gracefully (priority 0, address removed). */
  public static void main(String[] args) throws Exception {
    String iface = args.length > 0 ? args[0] : "eth0";
    String vip = args.length > 1 ? args[1] : "192.0.2.100/24";
    int priority = args.length > 2 ? Integer.parseInt(args[2]) : 100;

    VrrpRouter router =
        VrrpRouter.builder()
            .ownedPlatform(NetlinkPlatform.open())
            .instance(
                VrrpInstanceConfig.builder("service")
                    .iface(iface)
                    .vrid(51)
                    .priority(priority)
                    .advertInterval(Duration.ofMillis(100))
                    .virtualAddress(vip)
                    .build())
            .build();

    router
        .instance("service")
        .addListener(
            new RoleListener() {
              @Override
              public void becameMaster(RoleChangeEvent e) {
                System.out.println("serving " + vip + " (" + e.reason() + ")");
              }

              @Override
              public void becameBackup(RoleChangeEvent e) {
                System.out.println("standing by (" + e.reason() + ")");
              }
            });

    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  router.close();
                  stop.countDown();
                }));
    router.start();
    stop.await();
  }
}
