package org.failover4j.vrrp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;

/**
 * Sync groups and tracking against keepalived 2.2.7: two routers on two LANs, one instance per LAN,
 * grouped on both sides. A link failure on one LAN moves the whole group.
 */
@Interop(peers = {"keepalived"})
class KeepalivedSyncGroupInteropTest {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  @Test
  void aLinkFailureOnOneLanMovesTheWholeGroup(Lab lab) throws Exception {
    Lan inside = lab.lan("inside");
    Lan outside = lab.lan("outside");
    Host kadHost = lab.host("kad", inside, outside);
    Host javaHost = lab.host("java", inside, outside);

    KeepalivedConfig kadConfig = new KeepalivedConfig("kad");
    kadInstance(kadConfig, "VI_IN", "eth0", 70, "192.0.2.100/24");
    kadInstance(kadConfig, "VI_OUT", "eth1", 71, "198.51.100.100/24");
    kadConfig.syncGroup("G1", "VI_IN", "VI_OUT");

    JavaRouter java =
        JavaRouter.start(
            javaHost,
            VrrpRouter.builder()
                .instance(javaInstance("VI_IN", "eth0", 70, "192.0.2.100/24"))
                .instance(javaInstance("VI_OUT", "eth1", 71, "198.51.100.100/24"))
                .syncGroup("G1", "VI_IN", "VI_OUT"));
    List<String> groupEvents = new CopyOnWriteArrayList<>();
    java.router
        .syncGroup("G1")
        .addListener(
            new RoleListener() {
              @Override
              public void roleChanged(RoleChangeEvent e) {
                groupEvents.add(e.to() + " " + e.reason().token());
              }
            },
            Runnable::run);
    assertTrue(java.router.syncGroup("G1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    Keepalived kad = Keepalived.start(kadHost, kadConfig);
    kad.awaitState("VI_OUT", "BACKUP", Duration.ofSeconds(5));
    Thread.sleep(500);
    assertTrue(javaHost.hasAddress("eth0", inside.ipv4(100)));
    assertTrue(javaHost.hasAddress("eth1", outside.ipv4(100)));
    assertEquals(0, kad.countState("VI_IN", "MASTER"));

    // The outside link fails: failover4j's whole group goes to FAULT, keepalived's to MASTER.
    javaHost.linkDown(outside);
    assertTrue(java.router.syncGroup("G1").awaitRole(Role.FAULT, Duration.ofSeconds(3)));
    assertEquals(Role.FAULT, java.instance("VI_IN").role(), "the inside instance follows");
    kad.awaitState("VI_IN", "MASTER", Duration.ofSeconds(3));
    kad.awaitState("VI_OUT", "MASTER", Duration.ofSeconds(3));
    Thread.sleep(300);
    assertTrue(kadHost.hasAddress("eth0", inside.ipv4(100)));
    assertTrue(kadHost.hasAddress("eth1", outside.ipv4(100)));
    assertFalse(javaHost.hasAddress("eth0", inside.ipv4(100)));

    // The link returns: failover4j rejoins and, with the higher priority, takes both back.
    javaHost.linkUp(outside);
    assertTrue(java.router.syncGroup("G1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    kad.awaitState("VI_IN", "BACKUP", Duration.ofSeconds(3));
    Thread.sleep(300);
    assertTrue(javaHost.hasAddress("eth0", inside.ipv4(100)));
    assertFalse(kadHost.hasAddress("eth1", outside.ipv4(100)));
    // The listener first got the role current at registration; the rest is what the test caused.
    assertEquals(
        List.of("FAULT member-fault", "BACKUP fault-cleared", "MASTER all-members-master"),
        groupEvents.subList(groupEvents.size() - 3, groupEvents.size()),
        groupEvents.toString());
    java.close();
    assertEquals(List.of(), kad.rejections());
  }

  @Test
  void aTrackedInterfaceGoingDownPutsFailover4jInFaultAndKeepalivedTakesOver(Lab lab)
      throws Exception {
    Lan inside = lab.lan("inside");
    Lan uplink = lab.lan("uplink");
    Host kadHost = lab.host("kad", inside);
    Host javaHost = lab.host("java", inside, uplink);
    KeepalivedConfig kadConfig = new KeepalivedConfig("kad");
    kadInstance(kadConfig, "VI_1", "eth0", 72, "192.0.2.100/24");
    Keepalived kad = Keepalived.start(kadHost, kadConfig);
    JavaRouter java =
        JavaRouter.start(
            javaHost,
            VrrpRouter.builder()
                .instance(
                    VrrpInstanceConfig.builder("VI_1")
                        .iface("eth0")
                        .vrid(72)
                        .priority(150)
                        .advertInterval(INTERVAL)
                        .virtualAddress("192.0.2.100/24")
                        .trackInterface("eth1", 0)
                        .build()));
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));

    javaHost.linkDown(uplink);
    assertTrue(java.instance("VI_1").awaitRole(Role.FAULT, Duration.ofSeconds(3)));
    assertEquals("interface-down", java.events.get(java.events.size() - 1).reason().token());
    kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
    assertEquals(1, java.instance("VI_1").statistics().priorityZeroSent());
    Thread.sleep(300);
    assertFalse(javaHost.hasAddress("eth0", inside.ipv4(100)));
    assertTrue(kadHost.hasAddress("eth0", inside.ipv4(100)));

    javaHost.linkUp(uplink);
    assertTrue(java.instance("VI_1").awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    java.close();
    assertEquals(List.of(), kad.rejections());
  }

  private static void kadInstance(
      KeepalivedConfig config, String name, String iface, int vrid, String vip) {
    config
        .instance(name)
        .iface(iface)
        .vrid(vrid)
        .priority(100)
        .version(3)
        .advertInterval(INTERVAL)
        .vip(vip);
  }

  private static VrrpInstanceConfig javaInstance(String name, String iface, int vrid, String vip) {
    return VrrpInstanceConfig.builder(name)
        .iface(iface)
        .vrid(vrid)
        .priority(150)
        .advertInterval(INTERVAL)
        .virtualAddress(vip)
        .build();
  }
}
