package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./failover4j} launcher's start-up preparation, on a copy of the script in a throw-away
 * checkout whose jar is a small {@link Echo} program (so that no Maven build runs): the archive is
 * trained and dumped once after a build and used; a new jar is trained again; a stale, corrupt or
 * unwritable archive never stops a command.
 */
class LauncherTest {

  @TempDir Path root;

  private Path launcher;
  private Path target;
  private Path jar;
  private Path archive;
  private Path classLoadLog;

  @BeforeEach
  void checkout() throws IOException {
    launcher = root.resolve("failover4j");
    Files.copy(Path.of("..", "failover4j"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(root.resolve(".mvn"));
    target = Files.createDirectories(root.resolve("cli/target"));
    jar = target.resolve("failover4j-cli.jar");
    archive = target.resolve("failover4j-cli.jsa");
    classLoadLog = root.resolve("class-load.log");
    writeEchoJar("first");
  }

  @Test
  void theFirstStartAfterABuildTrainsAnArchiveThatLaterStartsUse() throws Exception {
    assertFalse(Files.exists(archive));
    assertEquals("echo first hello\n", run("hello"));
    assertTrue(Files.size(archive) > 0, "no archive: " + prepareLog());
    assertTrue(Files.exists(target.resolve("failover4j-cli.classlist")));
    assertTrue(Files.exists(target.resolve("start-prepared")));

    FileTime dumped = Files.getLastModifiedTime(archive);
    assertEquals("echo first again\n", runLoggingClassLoads("again"));
    assertEquals(dumped, Files.getLastModifiedTime(archive), "dumped again without a build");
    assertTrue(
        Files.readString(classLoadLog).contains(Echo.class.getName() + " source: shared objects"),
        "the program's class did not come from the archive");
  }

  @Test
  void aNewJarIsTrainedAgain() throws Exception {
    run("hello");
    FileTime first = Files.getLastModifiedTime(archive);
    writeEchoJar("second");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(first.toMillis() + 2000));

    assertEquals("echo second hello\n", runLoggingClassLoads("hello"));
    assertTrue(Files.getLastModifiedTime(archive).compareTo(first) > 0, "not dumped again");
    assertTrue(
        Files.readString(classLoadLog).contains(Echo.class.getName() + " source: shared objects"));
  }

  @Test
  void aCorruptArchiveOnlyCostsTheArchive() throws Exception {
    run("hello");
    Files.delete(archive);
    Files.write(archive, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    assertEquals("echo first hello\n", run("hello"));
  }

  @Test
  void anArchiveThatCannotBeWrittenIsLeftOut() throws Exception {
    // A directory in the archive's place: the dump fails as on a read-only file system.
    Files.createDirectories(archive.resolve("in-the-way"));

    assertEquals("echo first hello\n", run("hello"));
    assertTrue(Files.isDirectory(archive));
    assertTrue(Files.exists(target.resolve("start-prepared")), "would train at every start");
    assertEquals("echo first again\n", run("again"));
  }

  /** Runs the launcher; returns its standard output, asserting a clean exit and no warning. */
  private String run(String... args) throws Exception {
    return launch(List.of(), args);
  }

  private String runLoggingClassLoads(String... args) throws Exception {
    return launch(List.of("-Xlog:class+load=info:file=" + classLoadLog), args);
  }

  private String launch(List<String> jvmOptions, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    if (!jvmOptions.isEmpty()) {
      builder.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", jvmOptions));
    }
    Path stderr = root.resolve("stderr");
    Process p = builder.redirectError(stderr.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher hung");
    String err = Files.readString(stderr);
    assertEquals(0, p.exitValue(), out + err + prepareLog());
    for (String line : err.split("\n")) {
      assertTrue(
          line.isEmpty()
              || line.startsWith("failover4j: preparing a faster start")
              || line.startsWith("Picked up JAVA_TOOL_OPTIONS"),
          "unexpected on stderr: " + err);
    }
    return out;
  }

  private String prepareLog() throws IOException {
    Path log = target.resolve("start-prepare.log");
    return Files.exists(log) ? Files.readString(log) : "(no start-prepare.log)";
  }

  /** Writes the checkout's jar: {@link Echo} as its main class, printing {@code word}. */
  private void writeEchoJar(String word) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Echo.class.getName());
    String classFile = Echo.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = Echo.class.getResourceAsStream("/" + classFile)) {
      out.putNextEntry(new JarEntry(classFile));
      in.transferTo(out);
      out.putNextEntry(new JarEntry("word"));
      out.write(word.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The stand-in for the command-line tool: prints the jar's word and its arguments. */
  public static final class Echo {
    private Echo() {}

    /** Prints {@code echo WORD ARGS...}. */
    public static void main(String[] args) throws IOException {
      String word;
      try (InputStream in = Echo.class.getResourceAsStream("/word")) {
        word = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      System.out.println("echo " + word + " " + String.join(" ", args));
    }
  }
}
