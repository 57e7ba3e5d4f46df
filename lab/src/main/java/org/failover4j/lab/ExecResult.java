package org.failover4j.lab;

import java.util.List;

/**
 * What a finished command left behind.
 *
 * @param command the command line, for messages
 * @param exitCode its exit status
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

  /** True when the command exited with status 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result when the command succeeded, else throws with its output. */
  public ExecResult orThrow() {
    if (!ok()) {
      throw new LabException(
          String.join(" ", command)
              + " exited with "
              + exitCode
              + (stderr.isBlank() ? "" : ": " + stderr.strip()));
    }
    return this;
  }
}
