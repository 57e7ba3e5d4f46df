package org.failover4j.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One boot of a User-Mode Linux guest on the host's own root file system ({@code
 * rootfstype=hostfs}): an init script mounts proc, sysfs, tmpfs on {@code /run} and {@code /tmp}
 * and the package's modules, loads the modules, runs one command and halts. The guest's root is the
 * host's, so everything the command writes outside those tmpfs lands on the host: the command
 * writes only below the run's directory.
 *
 * <p>The guest is an ordinary process tree on the host: on timeout, and in a shutdown hook, it and
 * every process below it are killed by pid.
 */
final class UmlGuest {

  static final String PROGRAM = "linux.uml";
  static final Path MODULES = Path.of("/usr/lib/uml/modules");

  /** What every {@link Lab} needs: its LANs are bridges joined by veth pairs. */
  static final List<String> LAB_MODULES = List.of("veth", "bridge");

  /** Printed by the init script before the command: what follows is the command's output. */
  static final String COMMAND_STARTS = "KERNEL-LAB: command starts";

  private static final Set<Process> RUNNING = Collections.synchronizedSet(new LinkedHashSet<>());

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(UmlGuest::killAllRunning, "failover4j-guest-cleanup"));
  }

  /**
   * What a boot left behind.
   *
   * @param exitStatus the guest's exit status, or -1 when it was killed on timeout
   * @param timedOut true when the guest was killed because it overran
   * @param took from start to exit
   * @param console the guest console's file
   */
  record Outcome(int exitStatus, boolean timedOut, Duration took, Path console) {

    /** The console's text, empty when there is none. */
    String consoleText() {
      try {
        return Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The last {@code lines} lines of the console, for failure messages. */
    String consoleTail(int lines) {
      List<String> all = consoleText().lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  private UmlGuest() {}

  /**
   * The version of the installed guest kernel, the name of its modules directory ({@code 6.1.176}),
   * or empty when the package is missing.
   */
  static Optional<String> kernelVersion() {
    if (!Files.isDirectory(MODULES)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(MODULES)) {
      return versions
          .filter(p -> Files.isRegularFile(p.resolve("modules.dep")))
          .map(p -> p.getFileName().toString())
          .max(String::compareTo);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Why a guest cannot boot here, or empty when it can. */
  static Optional<String> missing() {
    List<String> absent = new ArrayList<>();
    for (String program : List.of(PROGRAM, "modprobe")) {
      if (!Shell.onPath(program)) {
        absent.add(program);
      }
    }
    if (kernelVersion().isEmpty()) {
      absent.add("the guest kernel's modules in " + MODULES);
    }
    return absent.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "missing "
                + String.join(", ", absent)
                + " (apt-get install user-mode-linux kmod: the kernel lab boots Linux as a"
                + " process)");
  }

  /**
   * Boots a guest in {@code dir} (init script, console and the guest's own files go there), loads
   * {@code modules}, runs {@code command} in {@code workDir} and waits, at most {@code timeout},
   * for the guest to halt.
   */
  static Outcome run(
      Path dir,
      Path workDir,
      List<String> modules,
      List<String> command,
      Duration timeout,
      int memoryMegabytes)
      throws IOException, InterruptedException {
    String version =
        kernelVersion().orElseThrow(() -> new LabException(missing().orElse("no guest kernel")));
    Files.createDirectories(dir);
    Path init = dir.resolve("init.sh");
    Files.writeString(init, initScript(workDir, version, modules, command), StandardCharsets.UTF_8);
    init.toFile().setExecutable(true);
    Path console = dir.resolve("console.log");
    List<String> boot =
        List.of(
            PROGRAM,
            "mem=" + memoryMegabytes + "M",
            "rootfstype=hostfs",
            "rootflags=/",
            "rw",
            // Its pid file and control socket go below dir, not to ~/.uml.
            "uml_dir=" + dir,
            "umid=guest",
            "init=" + init,
            "con=null",
            "con0=fd:0,fd:1");
    long start = System.nanoTime();
    Process guest =
        new ProcessBuilder(boot)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    RUNNING.add(guest);
    try {
      boolean halted = guest.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      killTree(guest);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return new Outcome(halted ? guest.exitValue() : -1, !halted, took, console);
    } finally {
      killTree(guest);
      RUNNING.remove(guest);
    }
  }

  static String initScript(
      Path workDir, String version, List<String> modules, List<String> command) {
    String moduleRoot = "/run/kernel-lab";
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n")
        .append("# failover4j kernel lab: the guest's init. The root is the host's: write only")
        .append(" below the run's directory or to the tmpfs mounts.\n")
        .append("export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")
        .append("mount -t proc proc /proc\n")
        .append("mount -t sysfs sysfs /sys\n")
        .append("mount -t tmpfs tmpfs /run\n")
        .append("mount -t tmpfs tmpfs /tmp\n")
        // modprobe -d: the modules appear below a tmpfs, so the host's /lib/modules stays as is.
        .append("mkdir -p " + moduleRoot + "/lib/modules/" + version + "\n")
        .append("mount -t hostfs none " + moduleRoot + "/lib/modules/" + version)
        .append(" -o " + MODULES.resolve(version) + "\n")
        // The kernel's own module requests (a scheduler, a cipher) go through the same -d.
        .append(
            "printf '#!/bin/sh\\nexec modprobe -d " + moduleRoot + " \"$@\"\\n' > /run/modprobe\n")
        .append("chmod +x /run/modprobe && echo /run/modprobe > /proc/sys/kernel/modprobe\n")
        .append("ok=1\n");
    for (String module : new LinkedHashSet<>(concat(LAB_MODULES, modules))) {
      s.append("modprobe -d " + moduleRoot + " " + quote(module))
          .append(" || { echo 'KERNEL-LAB: modprobe " + module + " failed'; ok=0; }\n");
    }
    // With lo up it has ::1: the JVM enables IPv6 only when some interface has an IPv6 address.
    s.append("ip link set lo up\n")
        .append("cd " + quote(workDir.toString()) + "\n")
        .append("if [ $ok = 1 ]; then\n")
        .append("  echo '" + COMMAND_STARTS + " on Linux '$(uname -r)\n")
        .append("  " + String.join(" ", command.stream().map(UmlGuest::quote).toList()) + "\n")
        .append("  echo \"KERNEL-LAB: command exited with $?\"\n")
        .append("fi\n")
        .append("halt -f\n");
    return s.toString();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Kills the guest and every process below it, by pid. */
  private static void killTree(Process guest) throws InterruptedException {
    List<ProcessHandle> below = guest.descendants().toList();
    guest.destroyForcibly();
    below.forEach(ProcessHandle::destroyForcibly);
    guest.waitFor(10, TimeUnit.SECONDS);
  }

  private static void killAllRunning() {
    List<Process> running;
    synchronized (RUNNING) {
      running = new ArrayList<>(RUNNING);
    }
    for (Process p : running) {
      try {
        killTree(p);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reads a properties file, empty when it does not exist. */
  static Properties readProperties(Path file) {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return p;
  }
}
