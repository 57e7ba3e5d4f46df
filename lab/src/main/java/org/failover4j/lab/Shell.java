package org.failover4j.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs short commands to completion with a deadline. */
final class Shell {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Output readers block, so they get their own threads rather than the common pool. */
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "lab-output-reader");
            t.setDaemon(true);
            return t;
          });

  private Shell() {}

  static ExecResult run(List<String> command) {
    return run(command, DEFAULT_TIMEOUT);
  }

  static ExecResult run(List<String> command, Duration timeout) {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new LabException("cannot start " + String.join(" ", command), e);
    }
    CompletableFuture<String> stdout = readAsync(process.getInputStream());
    CompletableFuture<String> stderr = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new LabException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new ExecResult(command, process.exitValue(), stdout.get(), stderr.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + String.join(" ", command), e);
    } catch (ExecutionException e) {
      throw new LabException("cannot read output of " + String.join(" ", command), e);
    }
  }

  private static CompletableFuture<String> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        READERS);
  }

  /** True when {@code program} is an executable on the PATH (or in /usr/sbin, /sbin). */
  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && new java.io.File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
