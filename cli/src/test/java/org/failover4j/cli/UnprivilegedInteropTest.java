package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Keepalived;
import org.failover4j.lab.KeepalivedConfig;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code failover4j vrrp} as an unprivileged user with exactly CAP_NET_ADMIN and CAP_NET_RAW, as
 * the systemd unit of docs/UNPRIVILEGED.md runs it: util-linux's {@code setpriv} drops to uid 65534
 * with those two capabilities ambient and nothing else in the bounding set. It becomes master next
 * to keepalived, holds its address and advertises; without the capabilities it stops at once with a
 * message that names them.
 */
@Interop(peers = {"setpriv", "keepalived"})
class UnprivilegedInteropTest {

  /** {@code nobody} on Debian; any uid without a home or files of its own would do. */
  private static final String UID = "65534";

  private static final long CAP_NET_ADMIN = 1L << 12;
  private static final long CAP_NET_RAW = 1L << 13;

  private static Path readable;
  private static String classPath;

  /**
   * The test class path copied where that user can read it (the build's local repository and
   * worktree need not be), and a directory it may write for JNA's native library.
   */
  @BeforeAll
  static void copyClassPathForTheUser() throws IOException {
    readable = Files.createTempDirectory("failover4j-unprivileged");
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = readable.resolve("cp" + n++ + "-" + from.getFileName());
      copy(from, to);
      entries.add(to.toString());
    }
    classPath = String.join(File.pathSeparator, entries);
    Files.createDirectory(
        readable.resolve("jna"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    try (Stream<Path> all = Files.walk(readable)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    Files.setPosixFilePermissions(
        readable.resolve("jna"), PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      Files.copy(from, to);
      return;
    }
    try (Stream<Path> tree = Files.walk(from)) {
      for (Path p : (Iterable<Path>) tree::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @AfterAll
  static void deleteCopy() throws IOException {
    if (readable != null) {
      try (Stream<Path> all = Files.walk(readable)) {
        for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private LabProcess cli(Host host, String name, List<String> setpriv) {
    List<String> command =
        new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups"));
    command.addAll(setpriv);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djna.tmpdir=" + readable.resolve("jna"),
            "-cp",
            classPath,
            Main.class.getName(),
            "vrrp",
            "--interface",
            "eth0",
            "--vrid",
            "62",
            "--priority",
            "150",
            "--vip",
            "192.0.2.100/24",
            "--interval",
            "100ms",
            "--json"));
    return host.start(name, command);
  }

  @Test
  void runsWithExactlyNetAdminAndNetRaw(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host kadHost = lab.host("kad", lan);
    Host javaHost = lab.host("java", lan);

    LabProcess cli =
        cli(
            javaHost,
            "cli",
            List.of(
                "--inh-caps=-all,+net_admin,+net_raw",
                "--ambient-caps=+net_admin,+net_raw",
                "--bounding-set=-all,+net_admin,+net_raw"));
    cli.awaitOutput("\"to\":\"MASTER\"", Duration.ofSeconds(20));
    String status = Files.readString(Path.of("/proc", Long.toString(cli.pid()), "status"));
    assertTrue(
        status.matches("(?s).*\\nUid:\\s+" + UID + "\\s+" + UID + "\\s+" + UID + ".*"), status);
    long effective = capabilities(status, "CapEff");
    assertEquals(CAP_NET_ADMIN | CAP_NET_RAW, effective, status);
    assertEquals(CAP_NET_ADMIN | CAP_NET_RAW, capabilities(status, "CapBnd"), status);
    assertTrue(javaHost.hasAddress("eth0", lan.ipv4(100)), "it holds its address");

    // keepalived, lower, hears its adverts and stays backup.
    KeepalivedConfig config = new KeepalivedConfig("kad");
    config
        .instance("VI_1")
        .iface("eth0")
        .vrid(62)
        .priority(100)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .vip("192.0.2.100/24");
    try (Keepalived kad = Keepalived.start(kadHost, config)) {
      kad.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
      Thread.sleep(2_000);
      assertEquals(0, kad.countState("VI_1", "MASTER"), kad.log());

      cli.signal("TERM");
      assertEquals(OptionalInt.of(0), cli.waitFor(Duration.ofSeconds(10)), cli.output());
      assertFalse(javaHost.hasAddress("eth0", lan.ipv4(100)), "it removed its address");
      kad.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
    }
  }

  @Test
  void withoutTheCapabilitiesItSaysWhichItNeeds(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host javaHost = lab.host("java", lan);
    LabProcess cli = cli(javaHost, "cli", List.of("--inh-caps=-all", "--bounding-set=-all"));
    OptionalInt exit = cli.waitFor(Duration.ofSeconds(20));
    assertEquals(OptionalInt.of(1), exit, cli.output());
    assertTrue(cli.output().contains("CAP_NET_RAW"), cli.output());
    assertFalse(cli.output().contains("\"to\":\"MASTER\""), cli.output());
    assertFalse(javaHost.hasAddress("eth0", lan.ipv4(100)));
  }

  private static long capabilities(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseUnsignedLong(line.substring(field.length() + 1).strip(), 16);
      }
    }
    throw new AssertionError(field + " missing in " + status);
  }
}
