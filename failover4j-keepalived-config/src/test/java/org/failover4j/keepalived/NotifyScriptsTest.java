package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.ThreadEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.failover4j.vrrp.VrrpRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration's notify scripts, run for real (as processes) on a router on the simulated LAN in
 * real time: each transition runs the state's script and then {@code notify} with keepalived's
 * arguments, in the router's order, and close runs the stop scripts.
 */
class NotifyScriptsTest {

  @TempDir Path dir;

  @Test
  void notifyScriptsRunInOrderWithKeepalivedsArguments() throws Exception {
    Path log = dir.resolve("notify.log");
    Path script = dir.resolve("note.sh");
    Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + log + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(
        conf,
        """
        $S=%s
        vrrp_sync_group G1 {
          group {
            A
            B
          }
          notify_master "$S group-master"
          notify ${S}
        }
        vrrp_instance A {
          interface eth0
          virtual_router_id 51
          priority 120
          version 3
          advert_int 0.1
          virtual_ipaddress { 192.0.2.100/24 }
          notify_master "$S A-master"
          notify_backup "$S A-backup"
          notify_stop "$S A-stop"
          notify ${S}
        }
        vrrp_instance B {
          interface eth1
          virtual_router_id 52
          priority 120
          version 3
          advert_int 0.1
          virtual_ipaddress { 198.51.100.100/24 }
        }
        """
            .formatted(script));
    KeepalivedConfig config = KeepalivedConfig.read(conf).checkHost(false).build();
    ThreadEventLoop loop = ThreadEventLoop.start("notify-test");
    SimulatedNetwork lan = new SimulatedNetwork(loop, 1);
    SimulatedNetwork lan2 = new SimulatedNetwork(loop, 2);
    SimulatedHost h1 = lan.addHost("h1", InetAddress.getByName("192.0.2.1"));
    SimulatedHost h2 = lan2.addHost("h1b", InetAddress.getByName("198.51.100.1"));
    SimulatedPlatform platform = new SimulatedPlatform(loop).attach("eth0", h1).attach("eth1", h2);
    VrrpRouter router = config.routerBuilder().platform(platform).build();
    NotifyScripts scripts = config.notifyScripts(router);
    router.start();
    assertTrue(router.syncGroup("G1").awaitRole(Role.MASTER, Duration.ofSeconds(10)));
    router.close();
    scripts.close();
    loop.close();
    List<String> lines = Files.readAllLines(log);
    System.out.println(String.join("\n", lines));
    // Each instance transition: its own script, then notify with INSTANCE NAME STATE PRIORITY.
    int backup = lines.indexOf("A-backup");
    assertEquals("INSTANCE A BACKUP 120", lines.get(backup + 1));
    int master = lines.indexOf("A-master");
    assertEquals("INSTANCE A MASTER 120", lines.get(master + 1));
    assertTrue(backup < master);
    int groupMaster = lines.indexOf("group-master");
    assertEquals("GROUP G1 MASTER 0", lines.get(groupMaster + 1));
    int stop = lines.indexOf("A-stop");
    assertEquals("INSTANCE A STOP 120", lines.get(stop + 1));
    assertTrue(master < stop);
    // As keepalived: at start groups first, then instances; at shutdown instances, then groups.
    assertEquals(lines.size() - 1, lines.indexOf("GROUP G1 STOP 0"), lines.toString());
    assertEquals(
        List.of(
            "GROUP G1 BACKUP 0",
            "A-backup",
            "INSTANCE A BACKUP 120",
            "A-master",
            "INSTANCE A MASTER 120",
            "group-master",
            "GROUP G1 MASTER 0",
            "A-stop",
            "INSTANCE A STOP 120",
            "GROUP G1 STOP 0"),
        lines);
  }
}
