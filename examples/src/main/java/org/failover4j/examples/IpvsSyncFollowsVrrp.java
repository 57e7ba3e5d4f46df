package org.failover4j.examples;

import java.net.NetworkInterface;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * A load balancer pair: the VRRP master sends its IPVS connection table to the backup, and the
 * direction flips with the VRRP role. The sync channel is just a role listener.
 */
public final class IpvsSyncFollowsVrrp {

  private IpvsSyncFollowsVrrp() {}

  /** Runs until Ctrl-C. */
  public static void main(String[] args) throws Exception {
    SyncConfig sync =
        SyncConfig.builder().syncId(9).networkInterface(NetworkInterface.getByName("eth0")).build();
    try (IpvsSyncChannel channel = IpvsSyncChannel.open(sync);
        VrrpRouter router =
            VrrpRouter.builder()
                .ownedPlatform(NetlinkPlatform.open())
                .instance(
                    VrrpInstanceConfig.builder("lb")
                        .iface("eth0")
                        .vrid(53)
                        .virtualAddress("192.0.2.10/24")
                        .build())
                .build()) {
      router.instance("lb").addListener(channel); // MASTER sends, BACKUP receives
      channel.addListener(event -> System.out.println(event), Runnable::run);
      router.start();
      Thread.currentThread().join();
    }
  }
}
