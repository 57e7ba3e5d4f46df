package org.failover4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Runs {@code failover4j} commands in-process and keeps what they printed. */
abstract class CommandTest {

  /** Standard output of the commands run so far. */
  protected final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Standard error of the commands run so far. */
  protected final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code failover4j args...} and returns its exit status. */
  protected int run(String... args) throws Exception {
    return Main.standard()
        .run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Everything printed on standard output. */
  protected String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Everything printed on standard error. */
  protected String error() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Writes a key file {@code name} in {@code dir} with {@code lines} and the given mode. */
  protected static Path keyFile(Path dir, String name, String mode, String... lines)
      throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }
}
