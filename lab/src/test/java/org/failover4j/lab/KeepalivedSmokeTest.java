package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves the lab against reality: two keepalived 2.2.7 (VRRPv3, 100 ms adverts) elect one master,
 * the VIP is on that host only, only the master advertises, and when the master's keepalived stops
 * the other host holds the VIP within a second.
 */
@Interop(peers = {"keepalived", "tshark"})
class KeepalivedSmokeTest {

  private static KeepalivedConfig config(String routerId, int priority) {
    KeepalivedConfig config = new KeepalivedConfig(routerId);
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(51)
        .priority(priority)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip("192.0.2.100/24");
    return config;
  }

  @Test
  void twoKeepalivedElectOneMasterAndFailOver(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host first = lab.host("kad1", lan);
    Host second = lab.host("kad2", lan);
    InetAddress vip = lan.ipv4(100);

    Keepalived master = Keepalived.start(first, config("kad1", 150));
    master.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
    Keepalived backup = Keepalived.start(second, config("kad2", 100));
    backup.awaitState("VI_1", "BACKUP", Duration.ofSeconds(10));

    Capture capture = lan.capture("vrrp", "ip proto 112");
    Thread.sleep(1_000);
    assertTrue(first.hasAddress("eth0", vip), first.addresses("eth0").toString());
    assertFalse(second.hasAddress("eth0", vip), second.addresses("eth0").toString());
    assertEquals(0, backup.countState("VI_1", "MASTER"), backup.log());
    List<List<String>> adverts = capture.fields("vrrp", "ip.src", "vrrp.prio", "vrrp.version");
    assertTrue(adverts.size() >= 8, "about 10 adverts a second, saw " + adverts.size());
    Set<String> senders = new HashSet<>();
    adverts.forEach(row -> senders.add(row.get(0)));
    assertEquals(Set.of(first.ipv4(lan).getHostAddress()), senders);
    assertEquals(List.of("192.0.2.11", "150", "3"), adverts.get(0));

    long stoppedAt = System.nanoTime();
    master.close();
    while (!second.hasAddress("eth0", vip)) {
      assertTrue(System.nanoTime() - stoppedAt < Duration.ofSeconds(1).toNanos(), backup.log());
      Thread.sleep(10);
    }
    assertFalse(first.hasAddress("eth0", vip), "keepalived removes the VIP when it stops");
  }
}
