package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest's init script, without booting a guest. */
class UmlGuestTest {

  private final String script =
      UmlGuest.initScript(
          Path.of("/work/it's here"),
          "6.1.176",
          List.of("ip_vs", "veth"),
          List.of("/usr/bin/java", "@/tmp/args"));

  @Test
  void loadsTheLabsModulesFirstEachOnceBelowATmpfs() {
    int veth = script.indexOf("modprobe -d /run/kernel-lab 'veth'");
    int bridge = script.indexOf("modprobe -d /run/kernel-lab 'bridge'");
    int ipvs = script.indexOf("modprobe -d /run/kernel-lab 'ip_vs'");
    assertTrue(veth > 0 && veth < bridge && bridge < ipvs, script);
    assertEquals(veth, script.lastIndexOf("modprobe -d /run/kernel-lab 'veth'"), script);
    assertTrue(script.contains("mount -t tmpfs tmpfs /run\n"), script);
    assertFalse(script.contains(" /lib/modules"), "the host's /lib/modules is never touched");
  }

  @Test
  void runsTheCommandQuotedInTheWorkDirectoryThenHalts() {
    assertTrue(script.contains("cd '/work/it'\\''s here'\n"), script);
    assertTrue(script.contains("  '/usr/bin/java' '@/tmp/args'\n"), script);
    assertTrue(script.strip().endsWith("halt -f"), script);
    assertTrue(script.indexOf("ip link set lo up") < script.indexOf("'/usr/bin/java'"), script);
  }
}
