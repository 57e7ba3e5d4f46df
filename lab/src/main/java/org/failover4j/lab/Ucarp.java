package org.failover4j.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ucarp running in a lab host in the foreground. Its generated up/down scripts print {@code
 * ucarp-up <if> <vip>} and {@code ucarp-down <if> <vip>} into its log and move the address.
 */
public final class Ucarp implements AutoCloseable {

  private final LabProcess process;

  private Ucarp(LabProcess process) {
    this.process = process;
  }

  /** Writes the scripts and starts ucarp with {@code config} inside {@code host}. */
  public static Ucarp start(Host host, UcarpConfig config) {
    String base = host.name() + "-ucarp";
    Path up = script(host, base + "-up.sh", "up", "add", config.prefixLength());
    Path down = script(host, base + "-down.sh", "down", "del", config.prefixLength());
    List<String> command = new ArrayList<>(List.of("ucarp"));
    command.addAll(config.arguments(up.toString(), down.toString()));
    return new Ucarp(host.start("ucarp", command));
  }

  private static Path script(Host host, String name, String event, String verb, int prefix) {
    Path path = host.lab().file(name);
    String text =
        "#!/bin/sh\n"
            + "echo \"ucarp-"
            + event
            + " $1 $2\"\n"
            + "ip addr "
            + verb
            + " \"$2/"
            + prefix
            + "\" dev \"$1\"\n"
            + "exit 0\n";
    try {
      Files.writeString(path, text);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return path;
  }

  /** The process the lab started. */
  public LabProcess process() {
    return process;
  }

  /** Waits until the up script has run (ucarp became master). */
  public void awaitMaster(Duration timeout) {
    process.awaitOutput("^ucarp-up ", timeout);
  }

  /** Everything ucarp and its scripts have printed. */
  public String log() {
    return process.output();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(5));
  }
}
