package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code failover4j keepalived --check}: keepalived -t's messages and exit statuses. */
class KeepalivedCommandTest extends CommandTest {

  @TempDir Path dir;

  private Path conf(String text) throws Exception {
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, text);
    return conf;
  }

  private static String instance(String iface) {
    return "vrrp_instance VI_1 {\n interface "
        + iface
        + "\n virtual_router_id 51\n virtual_ipaddress { 192.0.2.10/24 }\n}\n";
  }

  /** A real interface other than lo, or none. */
  private static String someInterface() throws Exception {
    for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!i.isLoopback() && i.getName().length() <= 15) {
        return i.getName();
      }
    }
    return null;
  }

  @Test
  void aGoodConfigurationChecksOk() throws Exception {
    String iface = someInterface();
    assumeTrue(iface != null, "no interface but lo here");
    Path conf = conf("virtual_server 192.0.2.10 80 {\n}\n" + instance(iface));
    assertEquals(0, run("keepalived", "-f", conf.toString(), "--check"));
    assertTrue(error().contains("configuration OK, 1 VRRP instance(s)"), error());
    assertTrue(error().contains("LVS configuration ignored"), error());
    assertEquals("", output());
  }

  @Test
  void errorsExitAsKeepalivedTestDoes() throws Exception {
    assertEquals(4, run("keepalived", "-f", dir.resolve("none.conf").toString(), "-t"));
    assertTrue(error().contains("none.conf:0: file: not found"), error());
    err.reset();
    Path missingIf = conf(instance("nosuchif0"));
    assertEquals(4, run("keepalived", "-f", missingIf.toString(), "-t"));
    assertTrue(
        error().contains(":2: interface: no interface on this host named nosuchif0"), error());
    err.reset();
    Path bad = conf("vrrp_instance VI_1 {\n interface lo\n priority 900\n}\n");
    assertEquals(5, run("keepalived", "-f", bad.toString(), "-t"));
    assertTrue(
        error().contains("keepalived.conf:3: priority: must be in 1..255, was 900"), error());
  }

  @Test
  void anUnsafeScriptUnderScriptSecurityExits6() throws Exception {
    String iface = someInterface();
    assumeTrue(iface != null, "no interface but lo here");
    Path script = dir.resolve("notify.sh");
    Files.writeString(script, "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path conf =
        conf(
            "global_defs {\n enable_script_security\n}\n"
                + instance(iface).replace("}\n}", "}\n notify_master " + script + "\n}"));
    assertEquals(6, run("keepalived", "-f", conf.toString(), "--check"));
    assertTrue(error().contains("notify_master: runs as root but"), error());
  }

  @Test
  void usageErrorsExit2() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("keepalived"));
    assertTrue(error().startsWith("failover4j keepalived: --use-file"), error());
  }

  @Test
  void aBadMetricsAddressIsAUsageError() throws Exception {
    Path conf = conf(instance("lo"));
    assertEquals(
        Main.EXIT_USAGE, run("keepalived", "-f", conf.toString(), "--metrics", "9100", "--check"));
    assertTrue(error().startsWith("failover4j keepalived: --metrics must be HOST:PORT"), error());
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("keepalived", "--help-me"));
  }
}
