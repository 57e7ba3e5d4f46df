package org.failover4j.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program the lab started in the background inside a host (keepalived, ucarp, tshark, a
 * failover4j CLI). Its standard output and error go to one log file. The lab stops it by its pid
 * when the test ends, whatever happened.
 */
public final class LabProcess implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(10);

  private final String name;
  private final List<String> command;
  private final Process process;
  private final Path log;

  LabProcess(String name, List<String> command, Process process, Path log) {
    this.name = name;
    this.command = command;
    this.process = process;
    this.log = log;
  }

  /** The name the test gave it, used in log file names and messages. */
  public String name() {
    return name;
  }

  /** The operating-system pid of the program itself ({@code ip netns exec} execs into it). */
  public long pid() {
    return process.pid();
  }

  /** True while it runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where its standard output and error go. */
  public Path logFile() {
    return log;
  }

  /** Everything it has written so far. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until its output matches {@code regex} (searched across the whole log) and returns the
   * first match.
   *
   * @throws LabException if the timeout passes first or the program exits without a match
   */
  public Matcher awaitOutput(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = pattern.matcher(output());
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        throw new LabException(
            name
                + " exited ("
                + process.exitValue()
                + ") before printing /"
                + regex
                + "/:\n"
                + tail());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new LabException(
            name + " did not print /" + regex + "/ within " + timeout + ":\n" + tail());
      }
      sleep(POLL);
    }
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code HUP}, ...) to the program. */
  public void signal(String signalName) {
    Lab.signal(pid(), signalName);
  }

  /**
   * Stops it: SIGTERM, then SIGKILL if it has not exited within {@code grace}.
   *
   * @return its exit status
   */
  public int stop(Duration grace) {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Waits for it to exit on its own; returns its status, or empty on timeout. */
  public java.util.OptionalInt waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue())
        : java.util.OptionalInt.empty();
  }

  /** Stops it with a five-second grace period. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  /** The last lines of its output, for failure messages. */
  public String tail() {
    String out = output();
    int from = out.length();
    for (int lines = 0; lines < 30 && from > 0; lines++) {
      from = out.lastIndexOf('\n', from - 2) + 1;
      if (from == 0) {
        break;
      }
    }
    return out.substring(Math.max(0, from));
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + "): " + String.join(" ", command);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted", e);
    }
  }
}
