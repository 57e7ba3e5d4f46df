package org.failover4j.carp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.Role;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.codec.CarpDropReason;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.junit.jupiter.api.Test;

/**
 * One CARP virtual host with an IPv4 and an IPv6 address, as OpenBSD allows, between two failover4j
 * hosts on the real kernel: the master advertises on 224.0.0.18 and on ff02::12, the backup accepts
 * both (one HMAC over both address lists), the backup takes both addresses over when the master
 * leaves, and gives both back when the preempting master returns. About 11 s with the lab.
 */
@Interop(peers = {"tshark"})
class CarpDualFamilyInteropTest {

  private static final InetAddress VIP4 = inet("192.0.2.100");
  private static final InetAddress VIP6 = inet("2001:db8::100");

  private static InetAddress inet(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A dual-family CarpHost opened inside a lab host's namespace; closing twice is harmless. */
  private record DualCarp(CarpHost host, NetlinkPlatform platform, AtomicBoolean closed)
      implements AutoCloseable {
    static DualCarp start(Host lab, Lan lan, int advskew) throws Exception {
      CarpHostConfig config =
          CarpHostConfig.builder()
              .iface(lab.iface(lan))
              .vhid(10)
              .passphrase("s3cr3t")
              .virtualAddress("192.0.2.100/24")
              .virtualAddress("2001:db8::100/64")
              .advskew(advskew)
              .preempt(true)
              .build();
      NetlinkPlatform platform = lab.call(NetlinkPlatform::open);
      CarpHost host = CarpHost.builder().platform(platform).config(config).build();
      lab.call(
          () -> {
            host.start();
            return null;
          });
      return new DualCarp(host, platform, new AtomicBoolean());
    }

    boolean holdsBoth(Host lab, Lan lan) {
      return lab.hasAddress(lab.iface(lan), VIP4) && lab.hasAddress(lab.iface(lan), VIP6);
    }

    boolean holdsNeither(Host lab, Lan lan) {
      return !lab.hasAddress(lab.iface(lan), VIP4) && !lab.hasAddress(lab.iface(lan), VIP6);
    }

    @Override
    public void close() {
      if (closed.getAndSet(true)) {
        return;
      }
      host.close();
      platform.close();
    }
  }

  @Test
  void theBackupTakesBothFamiliesOverAndGivesBothBack(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host j1 = lab.host("j1", lan);
    Host j2 = lab.host("j2", lan);
    Capture wire = lan.capture("carp-dual", "ip proto 112 or ip6 proto 112");
    DualCarp first = DualCarp.start(j1, lan, 0);
    try (DualCarp second = DualCarp.start(j2, lan, 100)) {
      assertTrue(first.host().awaitRole(Role.MASTER, Duration.ofSeconds(5)));
      Thread.sleep(1_500);
      assertEquals(Role.BACKUP, second.host().role());
      assertTrue(first.holdsBoth(j1, lan), j1.addresses(j1.iface(lan)).toString());
      assertTrue(second.holdsNeither(j2, lan), j2.addresses(j2.iface(lan)).toString());
      // The backup accepted the master's adverts of both families: the HMAC verifies on either.
      assertEquals(
          0L,
          second.host().statistics().drops().get(CarpDropReason.BAD_HMAC),
          "" + second.host().statistics().drops());
      long accepted = second.host().statistics().advertsReceived();
      assertTrue(accepted >= 2, "adverts accepted: " + accepted);

      // The master leaves (255/255 on both families): the backup takes both addresses at once.
      first.close();
      assertTrue(second.host().awaitRole(Role.MASTER, Duration.ofSeconds(2)));
      assertTrue(second.holdsBoth(j2, lan), j2.addresses(j2.iface(lan)).toString());
      assertTrue(first.holdsNeither(j1, lan), j1.addresses(j1.iface(lan)).toString());

      // It comes back, preempts the slower master at its first advert, and both addresses move.
      try (DualCarp back = DualCarp.start(j1, lan, 0)) {
        assertTrue(back.host().awaitRole(Role.MASTER, Duration.ofSeconds(3)));
        assertTrue(second.host().awaitRole(Role.BACKUP, Duration.ofSeconds(2)));
        assertTrue(back.holdsBoth(j1, lan), j1.addresses(j1.iface(lan)).toString());
        assertTrue(second.holdsNeither(j2, lan), j2.addresses(j2.iface(lan)).toString());
      }
    } finally {
      first.close();
    }
    wire.stop();
    // One tshark pass: every protocol-112 datagram's addresses of either family.
    String a1 = j1.ipv4(lan).getHostAddress();
    List<List<String>> adverts =
        wire.fields("ip.proto == 112 || ipv6.nxt == 112", "ip.src", "ip.dst", "ipv6.dst");
    long ipv4 =
        adverts.stream().filter(f -> f.get(0).equals(a1) && f.get(1).equals("224.0.0.18")).count();
    long ipv6 = adverts.stream().filter(f -> f.get(2).equals("ff02::12")).count();
    assertTrue(ipv4 >= 2, "IPv4 adverts to 224.0.0.18: " + adverts);
    assertTrue(ipv6 >= 4, "IPv6 adverts to ff02::12: " + adverts);
    assertEquals(
        ipv6,
        adverts.stream().filter(f -> !f.get(2).isEmpty()).count(),
        "every IPv6 advert goes to ff02::12");
  }
}
