package org.failover4j.carp.interop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.lab.Host;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.platform.NetlinkPlatform;

/**
 * A {@link CarpHost} on the real kernel inside a lab host (VHID 10, passphrase {@code s3cr3t},
 * {@value #VIP}/24), started, with the events its listener saw.
 */
final class JavaCarp implements AutoCloseable {

  /** The virtual address every interop test of this package holds. */
  static final String VIP = "192.0.2.100";

  final CarpHost host;
  final NetlinkPlatform platform;
  final List<RoleChangeEvent> events = new CopyOnWriteArrayList<>();

  JavaCarp(Host lab, Lan lan, int advskew, boolean preempt, CounterMode mode) throws Exception {
    CarpHostConfig config =
        CarpHostConfig.builder()
            .iface(lab.iface(lan))
            .vhid(10)
            .passphrase("s3cr3t")
            .virtualAddress(VIP + "/24")
            .advskew(advskew)
            .preempt(preempt)
            .counterMode(mode)
            .build();
    platform = lab.call(NetlinkPlatform::open);
    host = CarpHost.builder().platform(platform).config(config).build();
    host.addListener(
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent event) {
            events.add(event);
          }
        },
        Runnable::run);
    lab.call(
        () -> {
          host.start();
          return null;
        });
  }

  boolean awaitRole(Role role, Duration timeout) throws InterruptedException {
    return host.awaitRole(role, timeout);
  }

  long becameMasterAtMillis() {
    return events.stream()
        .filter(e -> e.to() == Role.MASTER)
        .reduce((a, b) -> b)
        .orElseThrow()
        .time()
        .toEpochMilli();
  }

  @Override
  public void close() throws Exception {
    host.close();
    platform.close();
  }
}
