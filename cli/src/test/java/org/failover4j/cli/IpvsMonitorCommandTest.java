package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IpvsMonitorCommandTest extends CommandTest {

  @Test
  void isListedInTheHelp() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("ipvs-monitor"));
  }

  @Test
  void hasItsOwnHelp() throws Exception {
    assertEquals(0, run("ipvs-monitor", "--help"));
    assertTrue(
        out.toString(StandardCharsets.UTF_8)
            .startsWith(
                "usage: failover4j ipvs-monitor [--group 224.0.0.81] [--port 8848]"
                    + " [--interface IF] [--syncid N] [--json]"));
  }

  @Test
  void badArgumentsNameTheFlag() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--port", "0"));
    assertEquals("failover4j ipvs-monitor: --port must be in 1..65535, was 0\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--syncid=256"));
    assertEquals("failover4j ipvs-monitor: --syncid must be in 0..255, was 256\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--group", "192.0.2.1"));
    assertEquals(
        "failover4j ipvs-monitor: --group must be a multicast address, was 192.0.2.1\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--group", "lb.example"));
    assertEquals(
        "failover4j ipvs-monitor: --group must be an IP address, was 'lb.example'\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--interface"));
    assertEquals("failover4j ipvs-monitor: --interface needs a value\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--interface", "nosuch0"));
    assertEquals("failover4j ipvs-monitor: --interface names no interface: nosuch0\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--verbose"));
    assertEquals("failover4j ipvs-monitor: unknown option --verbose\n", error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("ipvs-monitor", "--json=yes"));
    assertEquals("failover4j ipvs-monitor: --json takes no value\n", error());
  }
}
