package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ucarp from generated arguments: the less skewed host becomes master and holds the VIP. */
@Interop(peers = {"ucarp", "tshark"})
class UcarpSmokeTest {

  @Test
  void theFasterHostBecomesMaster(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host fast = lab.host("fast", lan);
    Host slow = lab.host("slow", lan);
    Capture capture = lan.capture("carp", "ip proto 112");
    Ucarp fastCarp = Ucarp.start(fast, config(fast, lan, 0));
    fastCarp.awaitMaster(Duration.ofSeconds(10));
    Ucarp slowCarp = Ucarp.start(slow, config(slow, lan, 100));
    Thread.sleep(2_500);

    assertTrue(fast.hasAddress("eth0", lan.ipv4(100)));
    assertFalse(slow.hasAddress("eth0", lan.ipv4(100)));
    assertFalse(slowCarp.log().contains("ucarp-up"), slowCarp.log());
    List<List<String>> adverts =
        capture.fields(Capture.DECODE_CARP, "carp", "ip.src", "carp.vhid", "carp.advskew");
    assertTrue(adverts.size() >= 2, adverts.toString());
    assertEquals(List.of("192.0.2.11", "7", "0"), adverts.get(adverts.size() - 1));
  }

  private static UcarpConfig config(Host host, Lan lan, int advskew) {
    return new UcarpConfig()
        .sourceAddress(host.ipv4(lan).getHostAddress())
        .vhid(7)
        .password("lab-secret")
        .virtualAddress(lan.ipv4(100).getHostAddress(), 24)
        .advskew(advskew)
        .preempt();
  }
}
