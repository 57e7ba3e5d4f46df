package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * real time: each transition starts the state's script and then {@code notify} with keepalived's
 * arguments, in the router's order, without waiting for them; close runs the stop scripts, kills a
 * stop script that outlives keepalived's one second, and sends SIGTERM to the others still running.
 */
class NotifyScriptsTest {

  @TempDir Path dir;

  @Test
  void notifyScriptsRunInOrderWithKeepalivedsArguments() throws Exception {
    Path log = dir.resolve("notify.log");
    Path script = dir.resolve("note.sh");
    // Scripts are not waited for, so they may finish in any order: each line starts with the
    // script's pid, which orders them as they were started.
    Files.writeString(script, "#!/bin/sh\necho \"$$ $*\" >> " + log + "\n");
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
    // Close sends SIGTERM to scripts still running: let the seven transition lines be written
    // first, so that a loaded machine's slow shell start does not lose one.
    awaitLineCount(log, 7, Duration.ofSeconds(10));
    router.close();
    scripts.close();
    loop.close();
    List<String> lines = inStartOrder(log);
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

  @Test
  void aSlowScriptHoldsBackNothingAndScriptsStillRunningAreEndedAsKeepalivedEndsThem()
      throws Exception {
    Path log = dir.resolve("notify.log");
    // Each script writes its pid and arguments when it starts.
    Path note = script("note.sh", "echo \"$$ $*\" >> " + log);
    // Runs until SIGTERM, which it notes.
    Path slow =
        script(
            "slow.sh",
            "echo \"$$ $*\" >> "
                + log
                + "\nsleep 30 &\nchild=$!\ntrap 'kill $child; echo \"$$ terminated $*\" >> "
                + log
                + "; exit 0' TERM\nwait $child");
    // Ignores SIGTERM and starts a child: both must be killed a second after close.
    Path hang =
        script("hang.sh", "trap '' TERM\nsleep 30 &\necho \"$$ $* child $!\" >> " + log + "\nwait");
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(
        conf,
        """
        vrrp_instance A {
          interface eth0
          virtual_router_id 51
          priority 120
          version 3
          advert_int 0.1
          virtual_ipaddress { 192.0.2.100/24 }
          notify_backup "%s A-backup"
          notify_master "%s A-master"
          notify_stop "%s A-stop"
        }
        """
            .formatted(slow, note, hang));
    KeepalivedConfig config = KeepalivedConfig.read(conf).checkHost(false).build();
    ThreadEventLoop loop = ThreadEventLoop.start("notify-test");
    SimulatedPlatform platform =
        new SimulatedPlatform(loop)
            .attach(
                "eth0",
                new SimulatedNetwork(loop, 1).addHost("h1", InetAddress.getByName("192.0.2.1")));
    VrrpRouter router = config.routerBuilder().platform(platform).build();
    NotifyScripts scripts = config.notifyScripts(router);
    router.start();
    long backupScript = awaitLine(log, "A-backup", Duration.ofSeconds(10));
    // The backup script runs until SIGTERM: the master script starts beside it, about 0.35 s
    // later, never after waiting for it (the 5 s that notify scripts were once waited for).
    long masterScript = awaitLine(log, "A-master", Duration.ofSeconds(4));
    assertTrue(
        ProcessHandle.of(backupScript).map(ProcessHandle::isAlive).orElse(false),
        "the master script ran while the backup script was still running");
    router.close();
    scripts.close();
    loop.close();

    String[] stop =
        Files.readAllLines(log).stream()
            .filter(l -> l.contains("A-stop"))
            .findFirst()
            .orElseThrow()
            .split(" ");
    // Killed (SIGKILL is asynchronous: the kernel may take a moment), not left to end in 30 s.
    for (long pid : List.of(Long.parseLong(stop[0]), Long.parseLong(stop[3]))) {
      Optional<ProcessHandle> left = ProcessHandle.of(pid);
      if (left.isPresent()) {
        left.get().onExit().get(5, TimeUnit.SECONDS);
      }
    }
    List<String> lines = Files.readAllLines(log);
    assertTrue(lines.contains(backupScript + " terminated A-backup"), lines.toString());
    assertTrue(masterScript > backupScript, "started in transition order");
  }

  private Path script(String name, String body) throws Exception {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** The pid of the script that wrote a line ending with {@code words}, once one has. */
  private static long awaitLine(Path log, String words, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.endsWith(" " + words)) {
            return Long.parseLong(line.substring(0, line.indexOf(' ')));
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "no line " + words + " in " + (Files.exists(log) ? Files.readAllLines(log) : "[]"));
  }

  /** Returns once {@code log} has at least {@code count} lines. */
  private static void awaitLineCount(Path log, int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(log) || Files.readAllLines(log).size() < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "fewer than "
                + count
                + " lines in "
                + (Files.exists(log) ? Files.readAllLines(log) : "[]"));
      }
      Thread.sleep(20);
    }
  }

  /** The lines without their pid, in the order their scripts were started (by pid). */
  private static List<String> inStartOrder(Path log) throws Exception {
    return Files.readAllLines(log).stream()
        .sorted(Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))))
        .map(l -> l.substring(l.indexOf(' ') + 1))
        .toList();
  }
}
