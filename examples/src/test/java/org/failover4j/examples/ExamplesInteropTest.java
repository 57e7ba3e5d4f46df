package org.failover4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * The examples with {@code --real}: each runs as its own process in a lab namespace, on the real
 * kernel, and does what its simulated run shows.
 */
@Interop
class ExamplesInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /**
   * Starts {@code example}'s main with {@code args} as a process of its own inside {@code host}.
   */
  static LabProcess example(Host host, String name, Class<?> example, String... args) {
    return host.start(name, javaCommand(example, args));
  }

  /** The command line that runs {@code example}'s main on this JVM's class path. */
  static List<String> javaCommand(Class<?> example, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(example.getName());
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void leaderElectsOnRealInterfacesAndHandsOverOnSigterm(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    LabProcess nodeA = example(a, "leader-a", LeaderElection.class, "--real", "eth0", "150");
    nodeA.awaitOutput("node becameMaster: serving 192.0.2.100", WAIT);
    LabProcess nodeB = example(b, "leader-b", LeaderElection.class, "--real", "eth0", "100");
    nodeB.awaitOutput("node becameBackup", WAIT);
    assertTrue(a.hasAddress("eth0", lan.ipv4(100)), nodeA.output());
    assertFalse(b.hasAddress("eth0", lan.ipv4(100)), nodeB.output());

    nodeA.signal("TERM"); // Ctrl-C's path: the shutdown hook closes the router (priority 0)
    // 143: the JVM's status after SIGTERM, once its shutdown hooks (the router's close) ran.
    assertEquals(OptionalInt.of(143), nodeA.waitFor(WAIT), nodeA.output());
    nodeB.awaitOutput("node becameMaster: serving 192.0.2.100 \\(priority-zero\\)", WAIT);
    assertTrue(b.hasAddress("eth0", lan.ipv4(100)), nodeB.output());
    assertFalse(a.hasAddress("eth0", lan.ipv4(100)), "the leaving node removed its address");
    nodeB.stop(WAIT);
  }

  @Test
  void ipsecGatewaySaysWhichKernelItUsedAndInstallsTheSyncedStateOnTakeover(Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    String addrA = a.ipv4(lan).getHostAddress();
    String addrB = b.ipv4(lan).getHostAddress();
    LabProcess gwA =
        example(
            a,
            "gw-a",
            IpsecGatewayPair.class,
            "--real",
            "eth0",
            addrA,
            addrB,
            "203.0.113.7",
            "0x1000",
            "150");
    gwA.awaitOutput("gw MASTER", WAIT);
    LabProcess gwB =
        example(
            b,
            "gw-b",
            IpsecGatewayPair.class,
            "--real",
            "eth0",
            addrB,
            addrA,
            "203.0.113.7",
            "0x1000",
            "100");
    gwB.awaitOutput("gw BACKUP", WAIT);
    // No ESP SA can exist here: both say they fell back to the simulated kernel.
    assertTrue(gwA.output().contains("SA state: simulated kernel"), gwA.output());
    assertTrue(gwB.output().contains("SA state: simulated kernel"), gwB.output());

    gwA.signal("TERM");
    gwB.awaitOutput("gw MASTER", WAIT);
    gwB.awaitOutput("gw takeover: esp 0x00001000 to 203.0.113.7 synced oseq 0, installed", WAIT);
    gwA.waitFor(WAIT);
    gwB.stop(WAIT);
  }

  @Test
  void carpHealthCheckOnRealInterfacesMovesTheMaster(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    // The service each host checks: something listening on 127.0.0.1:8080 in its namespace.
    LabProcess serviceA =
        a.start("svc-a", "python3", "-m", "http.server", "8080", "--bind", "127.0.0.1");
    LabProcess serviceB =
        b.start("svc-b", "python3", "-m", "http.server", "8080", "--bind", "127.0.0.1");
    LabProcess hostA = example(a, "carp-a", CarpHealthDemotion.class, "--real", "eth0", "0");
    LabProcess hostB = example(b, "carp-b", CarpHealthDemotion.class, "--real", "eth0", "100");
    hostA.awaitOutput("host MASTER", WAIT);
    hostB.awaitOutput("host BACKUP", WAIT);

    serviceA.stop(WAIT); // a's check fails within a second: demotion 50, b takes over at once
    hostB.awaitOutput("host MASTER \\(demoted-master\\)", WAIT);
    hostA.awaitOutput("host BACKUP", WAIT);
    assertTrue(b.hasAddress("eth0", lan.ipv4(100)), hostB.output());
    assertFalse(a.hasAddress("eth0", lan.ipv4(100)), hostA.output());
    hostA.stop(WAIT);
    hostB.stop(WAIT);
    serviceB.stop(WAIT);
  }
}
