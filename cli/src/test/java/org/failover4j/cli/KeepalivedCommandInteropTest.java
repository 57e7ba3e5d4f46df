package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * One keepalived.conf on two hosts: keepalived 2.2.7 on one, {@code failover4j keepalived -f} on
 * the other, the priorities swapped by {@code @ID} conditionals. Two instances in a sync group with
 * a track_script, notify scripts that append to a file. keepalived wins the election; when it is
 * frozen (SIGSTOP) failover4j takes over the whole group, and gives it back when keepalived
 * returns; the notify lines of each kind of transition are the same, in the same order, on both
 * hosts.
 */
@Interop(peers = {"keepalived"})
class KeepalivedCommandInteropTest {

  @Test
  void oneConfigurationOnKeepalivedAndFailover4j(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);
    InetAddress vip1 = lan.ipv4(61);
    InetAddress vip2 = lan.ipv4(62);
    Path note = lab.file("note.sh");
    // The script's pid orders the lines as the scripts were started, even where keepalived
    // starts them without waiting for each other.
    Files.writeString(note, "#!/bin/sh\nlog=$1\nshift\necho \"$$ $*\" >> \"$log\"\n");
    Files.setPosixFilePermissions(note, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path kadLog = lab.file("kad-notify.log");
    Path javaLog = lab.file("java-notify.log");
    Path conf = lab.file("keepalived.conf");
    Files.writeString(
        conf,
        """
        ! One file for both hosts: @kad lines for keepalived, @java lines for failover4j.
        global_defs {
          router_id lab
        }
        $NOTE=%s
        @kad $LOG=%s
        @java $LOG=%s
        @kad $IF=%s
        @java $IF=%s
        @kad $PRIO=150
        @java $PRIO=100

        vrrp_script chk {
          script "/bin/true"
          interval 1
          weight 2
        }

        vrrp_sync_group G {
          group {
            VI_1
            VI_2
          }
          notify_master "$NOTE $LOG G master"
          notify_backup "$NOTE $LOG G backup"
          notify "${NOTE} ${LOG}"
        }

        vrrp_instance VI_1 {
          state BACKUP
          interface $IF
          virtual_router_id 61
          priority $PRIO
          advert_int 1
          virtual_ipaddress {
            %s/24
          }
          track_script {
            chk
          }
          notify_master "$NOTE $LOG VI_1 master"
          notify_backup "$NOTE $LOG VI_1 backup"
          notify_stop "$NOTE $LOG VI_1 stop"
          notify "${NOTE} ${LOG}"
        }

        vrrp_instance VI_2 {
          state BACKUP
          interface $IF
          virtual_router_id 62
          priority $PRIO
          advert_int 1
          virtual_ipaddress {
            %s/24
          }
          notify "${NOTE} ${LOG}"
        }

        virtual_server %s 80 {
          real_server %s 80 {
            weight 1
          }
        }
        """
            .formatted(
                note,
                kadLog,
                javaLog,
                kadHost.iface(lan),
                javaHost.iface(lan),
                vip1.getHostAddress(),
                vip2.getHostAddress(),
                vip1.getHostAddress(),
                kadHost.ipv4(lan).getHostAddress()));
    String javaIf = javaHost.iface(lan);

    try (Keepalived kad = Keepalived.start(kadHost, conf, "--config-id", "kad")) {
      kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(15));
      kad.awaitState("VI_2", "MASTER", Duration.ofSeconds(15));

      LabProcess f4j = javaHost.start("failover4j", failover4j(conf));
      try {
        // 1. Election: keepalived's 150 (+2) wins, failover4j's group stays backup.
        awaitRole(f4j, "VI_1", "BACKUP", 1, Duration.ofSeconds(30));
        awaitRole(f4j, "VI_2", "BACKUP", 1, Duration.ofSeconds(10));
        assertFalse(javaHost.hasAddress(javaIf, vip1));

        // 2. keepalived hangs: failover4j takes over the whole sync group.
        kad.freeze();
        awaitRole(f4j, "VI_1", "MASTER", 1, Duration.ofSeconds(10));
        awaitRole(f4j, "VI_2", "MASTER", 1, Duration.ofSeconds(5));
        assertTrue(javaHost.hasAddress(javaIf, vip1), f4j.tail());
        assertTrue(javaHost.hasAddress(javaIf, vip2), f4j.tail());

        // 3. keepalived returns and preempts: the group moves back together.
        kad.thaw();
        awaitRole(f4j, "VI_1", "BACKUP", 2, Duration.ofSeconds(10));
        awaitRole(f4j, "VI_2", "BACKUP", 2, Duration.ofSeconds(5));
        Thread.sleep(2_000);
        assertFalse(javaHost.hasAddress(javaIf, vip1));
        assertTrue(kadHost.hasAddress(kadHost.iface(lan), vip1), kad.log());
        assertTrue(f4j.output().contains("LVS configuration ignored"), f4j.output());

        // SIGUSR1: one counters line per instance, as failover4j vrrp prints for its one.
        f4j.signal("USR1");
        f4j.awaitOutput("\"event\":\"counters\"[^\\n]*\"vrid\":62", Duration.ofSeconds(5));
        f4j.awaitOutput("\"event\":\"counters\"[^\\n]*\"vrid\":61", Duration.ofSeconds(1));
      } finally {
        assertEquals(0, f4j.stop(Duration.ofSeconds(15)), f4j.tail());
      }
      assertEquals(List.of(), kad.rejections(), "keepalived rejected nothing");
    }

    List<String> kadLines = notes(kadLog);
    List<String> javaLines = notes(javaLog);
    // keepalived: backup, master, stop. failover4j: backup, master, backup again, stop.
    int lastMaster = -1;
    int firstStop = javaLines.size();
    for (int i = 0; i < javaLines.size(); i++) {
      if (javaLines.get(i).contains("STOP") || javaLines.get(i).contains("stop")) {
        firstStop = Math.min(firstStop, i);
      } else if (firstStop == javaLines.size()
          && (javaLines.get(i).contains("MASTER") || javaLines.get(i).contains("master"))) {
        lastMaster = i;
      }
    }
    List<String> backupAgain = new ArrayList<>(javaLines.subList(lastMaster + 1, firstStop));
    List<String> sameEvents = new ArrayList<>(javaLines.subList(0, lastMaster + 1));
    sameEvents.addAll(javaLines.subList(firstStop, javaLines.size()));
    String both =
        "keepalived:\n"
            + String.join("\n", kadLines)
            + "\nfailover4j:\n"
            + String.join("\n", javaLines);
    assertEquals(kadLines, sameEvents, both);
    // Leaving the group's MASTER as keepalived's vrrp_sync_backup() does: members, then group.
    assertEquals(
        List.of(
            "VI_1 backup",
            "INSTANCE VI_1 BACKUP P",
            "INSTANCE VI_2 BACKUP P",
            "G backup",
            "GROUP G BACKUP 0"),
        backupAgain,
        both);
    assertTrue(kadLines.contains("INSTANCE VI_1 MASTER P"), both);
    assertTrue(kadLines.contains("GROUP G MASTER 0"), both);
  }

  /** The command line that runs this build's CLI in a JVM of its own inside the lab host. */
  static List<String> failover4j(Path conf) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        java,
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName(),
        "keepalived",
        "-f",
        conf.toString(),
        "-i",
        "java",
        "--json");
  }

  /** Waits until {@code instance} has printed its {@code nth} change to {@code role}. */
  private static void awaitRole(
      LabProcess f4j, String instance, String role, int nth, Duration timeout)
      throws InterruptedException {
    java.util.regex.Pattern change =
        java.util.regex.Pattern.compile(
            "\"to\":\"" + role + "\"[^\\n]*\"instance\":\"" + instance + "\"");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (change.matcher(f4j.output()).results().count() < nth) {
      if (!f4j.isAlive() || System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            instance
                + " did not become "
                + role
                + " ("
                + nth
                + ") in "
                + timeout
                + ":\n"
                + f4j.tail());
      }
      Thread.sleep(50);
    }
  }

  /**
   * The notify lines in the order their scripts started, priorities as P (keepalived's effective
   * priority includes the track_script's weight once it has run, which races the first notify).
   * Within each run of instance lines, the instances are put in name order, each keeping the order
   * of its own lines: which member's timer fires first, and so leads a group transition, is timing
   * on either side; the order of a member's scripts, and of instances against groups, is not.
   */
  private static List<String> notes(Path log) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.sort(Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))));
    List<String> out = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String line : lines) {
      String text = line.substring(line.indexOf(' ') + 1);
      text = text.matches("INSTANCE .* \\d+") ? text.replaceAll("\\d+$", "P") : text;
      boolean group = text.startsWith("G ") || text.startsWith("GROUP ");
      if (group || (!run.isEmpty() && !state(run.get(0)).equals(state(text)))) {
        out.addAll(byInstance(run));
        run.clear();
      }
      if (group) {
        out.add(text);
      } else {
        run.add(text);
      }
    }
    out.addAll(byInstance(run));
    return out;
  }

  /** The state a line is about: MASTER for both "VI_1 master" and "INSTANCE VI_1 MASTER P". */
  private static String state(String line) {
    String[] words = line.split(" ");
    String last = words[words.length - 1];
    return (last.equals("P") ? words[words.length - 2] : last).toUpperCase(java.util.Locale.ROOT);
  }

  private static List<String> byInstance(List<String> run) {
    List<String> sorted = new ArrayList<>(run);
    // A stable sort: each instance's own lines keep their order.
    sorted.sort(Comparator.comparing(l -> l.contains("VI_1") ? 1 : 2));
    return sorted;
  }
}
