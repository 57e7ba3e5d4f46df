package org.failover4j.keepalived;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.failover4j.vrrp.HealthCheck;

/**
 * A {@code vrrp_script} as a {@link HealthCheck}: each run starts the script as a process, and exit
 * status 0 within the timeout is a success (a script still running at the timeout is killed and
 * counts as a failure). Like keepalived, it turns failing only after {@code fall} failures in a row
 * and healthy only after {@code rise} successes in a row; it starts one success short of healthy
 * ({@code init_fail}: {@code rise} successes short).
 */
final class ScriptCheck implements HealthCheck {

  private final String name;
  private final ScriptCommand command;
  private final Duration timeout;
  private final int rise;
  private final int fall;

  /** keepalived's result counter: healthy when at least {@code rise}. */
  private int result;

  ScriptCheck(
      String name, ScriptCommand command, Duration timeout, int rise, int fall, boolean initFail) {
    this.name = name;
    this.command = command;
    this.timeout = timeout;
    this.rise = rise;
    this.fall = fall;
    this.result = initFail ? 0 : rise - 1;
  }

  @Override
  public synchronized boolean healthy() throws Exception {
    boolean ok = runOnce();
    if (ok) {
      result = result < rise - 1 ? result + 1 : rise + fall - 1;
    } else {
      result = result > rise ? result - 1 : 0;
    }
    return result >= rise;
  }

  private boolean runOnce() throws Exception {
    Process process = command.process(List.of()).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      return process.exitValue() == 0;
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return "vrrp_script " + name + ": " + command;
  }
}
