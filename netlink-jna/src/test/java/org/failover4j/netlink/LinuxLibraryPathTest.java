package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JNA's library directories come from the linker's configuration, and libc loads without ldconfig.
 */
class LinuxLibraryPathTest {

  @TempDir Path dir;

  @Test
  void includesCommentsSeparatorsAndMissingDirectoriesAreReadAsTheLinkerReadsThem()
      throws IOException {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Path c = Files.createDirectories(dir.resolve("c"));
    Path d = Files.createDirectories(dir.resolve("d"));
    Path confD = Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(confD.resolve("20-b.conf"), "# comment\n" + b + "   # trailing\n");
    Files.writeString(confD.resolve("10-a.conf"), a + "\n" + dir.resolve("missing") + "\n");
    Files.writeString(confD.resolve("ignored.txt"), c + "\n");
    Files.writeString(
        confD.resolve("30-loop.conf"), "include " + confD.resolve("30-loop.conf") + "\n");
    Path conf = dir.resolve("ld.so.conf");
    Files.writeString(
        conf, "include conf.d/*.conf\nhwcap 0 nosegneg\n" + c + ":" + d + "=libc6," + a + "\n\n");

    List<String> found = LinuxLibraryPath.directories(conf, "no-such-multiarch");

    List<String> own = new ArrayList<>();
    for (String f : found) {
      if (f.startsWith(dir.toString())) {
        own.add(f);
      }
    }
    // Includes in file-name order, relative to the including file; each directory once.
    assertEquals(List.of(a.toString(), b.toString(), c.toString(), d.toString()), own);
    for (String f : found) {
      assertTrue(Files.isDirectory(Path.of(f)), f);
    }
  }

  @Test
  void aMissingConfigurationLeavesTheStandardDirectories() {
    List<String> found = LinuxLibraryPath.directories(dir.resolve("absent"), "x");
    assertFalse(found.isEmpty());
    for (String f : found) {
      assertTrue(List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib").contains(f), f);
    }
  }

  /** Every directory ldconfig would have given JNA is in the list, on this machine. */
  @Test
  void everyDirectoryOfLdconfigIsFound() throws Exception {
    Path ldconfig = Path.of("/sbin/ldconfig");
    assumeTrue(Files.isExecutable(ldconfig), "needs /sbin/ldconfig to compare with");
    Process p = new ProcessBuilder(ldconfig.toString(), "-p").start();
    String listing = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Set<String> ldconfigDirs = new TreeSet<>();
    for (String line : listing.split("\n")) {
      int arrow = line.lastIndexOf(" => ");
      if (arrow >= 0) {
        ldconfigDirs.add(Path.of(line.substring(arrow + 4).trim()).getParent().toString());
      }
    }
    assertFalse(ldconfigDirs.isEmpty(), listing);
    Set<String> found =
        new TreeSet<>(LinuxLibraryPath.directories(Path.of("/etc/ld.so.conf"), multiarch()));
    for (String d : ldconfigDirs) {
      assertTrue(
          found.contains(d) || found.contains(Path.of(d).toRealPath().toString()),
          d + " missing from " + found);
    }
  }

  /**
   * A fresh JVM that binds libc spawns no process (JNA's ldconfig) and keeps a path it was given.
   */
  @Test
  void libcIsBoundWithoutRunningLdconfig() throws Exception {
    String output = bindLibcInAFreshJvm(List.of());
    assertFalse(output.contains("java.lang.ProcessImpl "), output);
    String expected =
        String.join(":", LinuxLibraryPath.directories(Path.of("/etc/ld.so.conf"), multiarch()));
    assertTrue(output.contains("path=" + expected + "\n"), output);

    String given = bindLibcInAFreshJvm(List.of("-D" + LinuxLibraryPath.PROPERTY + "=/lib"));
    assertTrue(given.contains("path=/lib\n"), given);
  }

  private static String bindLibcInAFreshJvm(List<String> properties) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(properties);
    command.addAll(List.of("-Xlog:class+load=info", "-cp", System.getProperty("java.class.path")));
    command.add(BindLibc.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("org.failover4j.netlink.LibC "), output);
    return output;
  }

  private static String multiarch() {
    return System.getProperty("os.arch").equals("aarch64")
        ? "aarch64-linux-gnu"
        : "x86_64-linux-gnu";
  }

  /** Binds {@link LibC}, calls it once, prints JNA's library path. */
  public static final class BindLibc {
    /** Exits 0 when libc answered. */
    public static void main(String[] args) {
      int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
      if (fd < 0 || LibC.close(fd) != 0) {
        System.exit(1);
      }
      System.out.println("path=" + System.getProperty(LinuxLibraryPath.PROPERTY));
      System.exit(0);
    }
  }
}
