package org.failover4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every example runs on the simulated network and prints what its Javadoc promises. The checks are
 * about what happened (who became master, which reason), never about timing.
 */
class ExamplesTest {

  private static String run(String name, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ExampleCatalog.find(name).orElseThrow().main().run(out, args);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void assertInOrder(String text, String... parts) {
    int at = 0;
    for (String part : parts) {
      int found = text.indexOf(part, at);
      assertTrue(found >= 0, "missing, or out of order: \"" + part + "\" in\n" + text);
      at = found + part.length();
    }
  }

  @Test
  void leaderElectsTheHigherPriorityThenTheOtherTakesOverAfterACrash() throws Exception {
    String text = run("leader");
    assertInOrder(
        text,
        "node-a becameMaster: serving 192.0.2.100",
        "node-a crashes",
        "node-b becameMaster: serving 192.0.2.100 (master-down)");
    assertTrue(text.contains("node-b becameBackup: standing by"), text);
  }

  @Test
  void syncGroupMovesBothInstancesWhenOneLinkFails() throws Exception {
    String text = run("sync-group");
    assertInOrder(
        text,
        "router-a group G1 -> MASTER",
        "router-a: eth1 link down",
        "router-a   VI_OUT -> FAULT (interface-down)",
        "router-a   VI_IN -> FAULT (sync-group)",
        "router-a: eth1 link up");
    String afterFailure =
        text.substring(text.indexOf("eth1 link down"), text.indexOf("eth1 link up"));
    assertTrue(afterFailure.contains("router-b   VI_IN -> MASTER"), afterFailure);
    assertTrue(afterFailure.contains("router-b   VI_OUT -> MASTER"), afterFailure);
    String afterRecovery = text.substring(text.indexOf("eth1 link up"));
    assertTrue(afterRecovery.contains("router-a group G1 -> MASTER"), afterRecovery);
  }

  @Test
  void healthCheckFaultsOnAFailedCheckAndYieldsOnADownedUplink() throws Exception {
    String text = run("health-check");
    assertInOrder(
        text,
        "router-a MASTER",
        "router-a: local service stops answering",
        "router-a FAULT (check-failed)",
        "router-b MASTER",
        "router-a: local service answers again",
        "router-a MASTER (preempt)",
        "router-a: uplink eth1 down",
        "router-b MASTER (preempt)");
  }

  @Test
  void loadBalancerBackupHoldsTheMastersConnectionsBeforeTakingOver() throws Exception {
    String text = run("load-balancer");
    assertInOrder(
        text,
        "lb-b table: added 198.51.100.1:40001 -> 192.0.2.21:8080",
        "lb-b table: added 198.51.100.2:40002 -> 192.0.2.20:8080",
        "lb-b table: added 198.51.100.3:40003 -> 192.0.2.21:8080",
        "lb-a leaves; lb-b takes over with 3 connections");
    assertTrue(!text.contains("lb-a table:"), "the master's own table stays empty:\n" + text);
  }

  @Test
  void rejectedAdvertsNamesTheReasonForEachBadAdvert() throws Exception {
    List<String> lines = run("rejected-adverts").lines().toList();
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).endsWith("accepted"), lines.get(0));
    assertTrue(lines.get(1).endsWith("rejected: AUTH_FAILURE"), lines.get(1));
    assertTrue(lines.get(2).endsWith("ttl 64: rejected: BAD_TTL"), lines.get(2));
    assertTrue(lines.get(3).endsWith("rejected: VIP_MISMATCH"), lines.get(3));
    assertTrue(
        lines.get(4).contains("vrid 52") && lines.get(4).endsWith("UNKNOWN_VRID"), lines.get(4));
  }

  @Test
  void carpHealthCheckMovesTheMasterAwayAndBack() throws Exception {
    String text = run("carp-health");
    assertInOrder(
        text,
        "host-a MASTER",
        "host-a: local service stops answering",
        "host-b MASTER (demoted-master)",
        "host-a: local service answers again",
        "host-a MASTER (preempt)");
  }

  @Test
  void vrrpOrCarpTellsTheSameStoryWithEitherProtocol() throws Exception {
    String text = run("vrrp-or-carp");
    assertInOrder(
        text,
        "[vrrp] node-a: serving 192.0.2.100",
        "[vrrp] node-a crashes",
        "[vrrp] node-b: serving 192.0.2.100",
        "[carp] node-a: serving 192.0.2.100",
        "[carp] node-a crashes",
        "[carp] node-b: serving 192.0.2.100");
  }

  @Test
  void ipsecGatewayInstallsTheSyncedSequenceNumbersOnTakeover() throws Exception {
    String text = run("ipsec-gateway");
    assertInOrder(
        text,
        "SA state: simulated kernel",
        "gw-a MASTER",
        "gw-a sent up to sequence number 30000, then crashes",
        "gw-b MASTER",
        // the kernel reports every 32 packets: the last 16 were never synced; the margin covers
        // them
        "gw-b takeover: esp 0x00001000 to 203.0.113.7 synced oseq 29984, installed 69984",
        "above everything gw-a sent, the peer accepts it");
  }

  @Test
  void springBootSaysWhereItLivesAndHowToRunIt() throws Exception {
    String text = run("spring-boot", "--real", "eth0");
    assertTrue(text.contains("-pl examples-spring-boot -am package"), text);
    assertTrue(text.contains("org.failover4j.examples.spring.ServeWhileMaster --real eth0"), text);
  }

  @Test
  void everyExampleHasAUniqueNameAndOneLine() {
    List<ExampleCatalog.Entry> all = ExampleCatalog.all();
    assertEquals(all.size(), all.stream().map(ExampleCatalog.Entry::name).distinct().count());
    for (ExampleCatalog.Entry e : all) {
      assertTrue(!e.summary().contains("\n") && e.summary().length() <= 100, e.name());
    }
  }
}
