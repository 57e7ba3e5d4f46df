package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.junit.jupiter.api.Test;

/**
 * Where VRRPv3 unicast adverts over IPv6 come from: the host's own global address by default, as
 * peers list it; an instance without one does not start; a configured source the host lacks sends
 * nothing, counted per advert, and the instance carries on.
 */
class Ipv6UnicastSourceSimulationTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedNetwork network = new SimulatedNetwork(loop, 7);

  private VrrpRouter router(
      String name, String address, int priority, UnaryOperator<VrrpInstanceConfig.Builder> tweak)
      throws IOException {
    SimulatedPlatform platform =
        new SimulatedPlatform(loop).attach("eth0", network.addHost(name, ip(address)));
    return VrrpRouter.builder()
        .platform(platform)
        .instance(
            tweak
                .apply(
                    VrrpInstanceConfig.builder("VI_6")
                        .iface("eth0")
                        .vrid(51)
                        .priority(priority)
                        .version(3)
                        .advertInterval(Duration.ofMillis(200))
                        .virtualAddress("2001:db8::100/64"))
                .build())
        .build();
  }

  @Test
  void peersListedByGlobalAddressHearEachOtherFromTheirDefaultSource() throws Exception {
    VrrpRouter first = router("a", "2001:db8::11", 200, b -> b.unicastPeer(ip("2001:db8::12")));
    VrrpRouter second = router("b", "2001:db8::12", 100, b -> b.unicastPeer(ip("2001:db8::11")));
    first.start();
    second.start();
    loop.advanceBy(Duration.ofSeconds(5));
    VrrpInstance backup = second.instance("VI_6");
    assertEquals(Role.MASTER, first.instance("VI_6").role());
    assertEquals(Role.BACKUP, backup.role(), backup.statistics().toString());
    assertEquals(0, backup.statistics().totalDropped(), backup.statistics().toString());
    assertTrue(backup.statistics().advertsReceived() >= 20, backup.statistics().toString());
  }

  @Test
  void anInterfaceWithoutAGlobalAddressCannotStartWithoutUnicastSource() throws Exception {
    VrrpRouter router = router("a", "fe80::11", 200, b -> b.unicastPeer(ip("2001:db8::12")));
    IOException refused = assertThrows(IOException.class, router::start);
    assertTrue(refused.getMessage().contains("IPv6 global"), refused.getMessage());
    assertTrue(refused.getMessage().contains("unicastSource"), refused.getMessage());

    VrrpRouter sourced =
        router(
            "b",
            "fe80::12",
            200,
            b -> b.unicastPeer(ip("2001:db8::12")).unicastSource(ip("fe80::12")));
    sourced.start();
    loop.advanceBy(Duration.ofSeconds(2));
    assertEquals(Role.MASTER, sourced.instance("VI_6").role());
    assertTrue(sourced.instance("VI_6").statistics().advertsSent() >= 5);
  }

  @Test
  void aSourceTheHostLacksSendsNothingAndIsCountedPerAdvert() throws Exception {
    VrrpRouter lacking =
        router(
            "a",
            "2001:db8::11",
            200,
            b -> b.unicastPeer(ip("2001:db8::12")).unicastSource(ip("2001:db8::99")));
    VrrpRouter peer = router("b", "2001:db8::12", 100, b -> b.unicastPeer(ip("2001:db8::11")));
    lacking.start();
    peer.start();
    loop.advanceBy(Duration.ofSeconds(5));
    VrrpInstance instance = lacking.instance("VI_6");
    assertEquals(Role.MASTER, instance.role());
    assertEquals(Role.MASTER, peer.instance("VI_6").role(), "it heard nothing");
    assertEquals(0, instance.statistics().advertsSent());
    long refused = instance.statistics().dropped(VrrpDropReason.SEND_REFUSED);
    assertTrue(refused >= 20, instance.statistics().toString());
    assertEquals(refused, lacking.statistics().drops().get(AdvertDropReason.SOURCE_UNAVAILABLE));
  }

  private static InetAddress ip(String literal) {
    return SimulatedLan.ip(literal);
  }
}
