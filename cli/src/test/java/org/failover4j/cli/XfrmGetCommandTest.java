package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XfrmGetCommandTest extends CommandTest {

  @Test
  void bothCommandsAreListedAndHaveHelp() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(output().contains("xfrm-monitor"));
    assertTrue(output().contains("xfrm-get"));
    out.reset();
    assertEquals(0, run("xfrm-get", "--help"));
    assertTrue(
        output()
            .startsWith(
                "usage: failover4j xfrm-get --dst ADDR --spi N --proto esp|ah|comp [--mark V/M]"
                    + " [--json]"));
    out.reset();
    assertEquals(0, run("xfrm-monitor", "--help"));
    assertTrue(output().startsWith("usage: failover4j xfrm-monitor [--json]"));
  }

  private void rejected(String expected, String... args) throws Exception {
    err.reset();
    assertEquals(Main.EXIT_USAGE, run(args));
    assertEquals(expected + "\n", error());
  }

  @Test
  void badArgumentsNameTheFlagOnOneLine() throws Exception {
    rejected("failover4j xfrm-get: --dst is required", "xfrm-get", "--spi", "1", "--proto", "esp");
    rejected(
        "failover4j xfrm-get: --spi is required",
        "xfrm-get",
        "--dst",
        "192.0.2.2",
        "--proto",
        "ah");
    rejected(
        "failover4j xfrm-get: --proto is required", "xfrm-get", "--dst", "192.0.2.2", "--spi", "1");
    rejected(
        "failover4j xfrm-get: --proto must be esp, ah or comp, was 'gre'",
        "xfrm-get",
        "--dst",
        "192.0.2.2",
        "--spi",
        "1",
        "--proto",
        "gre");
    rejected(
        "failover4j xfrm-get: --spi must be a number in 0..0xffffffff, was '0x100000000'",
        "xfrm-get",
        "--dst",
        "192.0.2.2",
        "--spi",
        "0x100000000",
        "--proto",
        "esp");
    rejected(
        "failover4j xfrm-get: --dst must be an IP address, was 'gw.example'",
        "xfrm-get",
        "--dst",
        "gw.example",
        "--spi",
        "1",
        "--proto",
        "esp");
    rejected(
        "failover4j xfrm-get: --mark must be a number in 0..0xffffffff, was 'x'",
        "xfrm-get",
        "--dst",
        "192.0.2.2",
        "--spi",
        "1",
        "--proto",
        "esp",
        "--mark",
        "1/x");
    rejected("failover4j xfrm-monitor: unknown option --all", "xfrm-monitor", "--all");
    rejected("failover4j xfrm-monitor: --json takes no value", "xfrm-monitor", "--json=1");
  }
}
