package org.failover4j.examples;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * Tracking, as keepalived's {@code track_script} and {@code track_interface}: the router gives up
 * the address when the local service stops answering (weight 0: FAULT) and lowers its priority by
 * 50 when its uplink goes down, so a better-connected peer takes over.
 */
public final class HealthCheckedRouter {

  private HealthCheckedRouter() {}

  /** Runs until Ctrl-C. */
  public static void main(String[] args) throws Exception {
    VrrpInstanceConfig config =
        VrrpInstanceConfig.builder("web")
            .iface("eth0")
            .vrid(52)
            .priority(150)
            .virtualAddress("192.0.2.80/24")
            .trackCheck("http", 0, HealthCheckedRouter::httpAnswers, Duration.ofSeconds(1))
            .trackInterface("eth1", -50)
            .build();
    try (VrrpRouter router =
        VrrpRouter.builder().ownedPlatform(NetlinkPlatform.open()).instance(config).build()) {
      router.start();
      Thread.currentThread().join();
    }
  }

  /** The check: something listens on port 8080. */
  private static boolean httpAnswers() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 8080), 200);
      return true;
    }
  }
}
