package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process without CAP_NET_ADMIN / CAP_NET_RAW is told so, by name, when it opens the platform.
 */
class CapabilitiesTest {

  @Test
  void theEffectiveSetIsReadFromProcStatus() {
    long root = Capabilities.effective("Name:\tjava\nCapInh:\t0\nCapEff:\t000001ffffffffff\n");
    assertEquals(List.of(), Capabilities.missing(root));
    long noRaw = root & ~(1L << Capabilities.CAP_NET_RAW);
    assertEquals(List.of("CAP_NET_RAW"), Capabilities.missing(noRaw));
    assertEquals(List.of("CAP_NET_ADMIN", "CAP_NET_RAW"), Capabilities.missing(0));
  }

  @Test
  void openingThePlatformWithoutCapabilitiesNamesThem() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to drop from");
    List<String> command = new ArrayList<>();
    command.addAll(List.of("/usr/bin/setpriv", "--bounding-set=-net_admin,-net_raw", "--"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(OpenPlatform.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(3, p.exitValue(), output);
    assertTrue(output.contains("missing CAP_NET_ADMIN and CAP_NET_RAW"), output);
    assertTrue(output.contains("NetlinkPlatform.open(): EPERM"), output);
  }

  /** Opens the kernel platform and reports how that went through its exit status. */
  public static final class OpenPlatform {
    /** Exits 0 when the platform opened, 3 on a permission error (printed), 1 otherwise. */
    public static void main(String[] args) {
      try (var platform = org.failover4j.netlink.platform.NetlinkPlatform.open()) {
        System.exit(0);
      } catch (PermissionDeniedException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      } catch (Exception e) {
        e.printStackTrace(System.out);
        System.exit(1);
      }
    }
  }
}
