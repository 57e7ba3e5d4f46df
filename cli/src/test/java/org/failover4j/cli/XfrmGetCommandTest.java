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

  @Test
  void aKernelErrorOtherThanNoSuchSaExitsOneWithTheErrnoName() throws Exception {
    // Without CAP_NET_ADMIN the kernel answers GETAE with EPERM: a child JVM whose bounding set
    // drops it (as root, setpriv takes the capability away from what it runs).
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/setpriv")),
        "needs setpriv (util-linux)");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to drop from");
    Process p =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--bounding-set=-net_admin",
                "--",
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "xfrm-get",
                "--dst",
                "192.0.2.2",
                "--spi",
                "0x1234",
                "--proto",
                "esp")
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    String printed = new String(p.getInputStream().readAllBytes());
    assertEquals(1, p.exitValue(), printed);
    assertTrue(printed.contains("EPERM"), printed);
  }
}
