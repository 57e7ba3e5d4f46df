package org.failover4j.vrrp;

import java.util.concurrent.Executor;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one tracked health check off the event loop, as keepalived runs a {@code track_script}: the
 * first run at once, then one per interval; never two runs at a time; a run still going when the
 * next is due counts as a failure (the check hangs, so the service is not healthy); a result from a
 * run that a later one superseded is dropped. Results reach the loop in order.
 */
final class HealthCheckRunner {

  /** Receives each result on the loop. */
  interface Results {
    void checked(HealthCheckRunner runner, boolean healthy);
  }

  private static final Logger log = LoggerFactory.getLogger(HealthCheckRunner.class);

  private final TrackedCheck check;
  private final int handle;
  private final EventLoop loop;
  private final Executor executor;
  private final Results results;
  private final Timer timer;
  private boolean inFlight;
  private long runs;
  private boolean stopped;

  HealthCheckRunner(
      TrackedCheck check, int handle, EventLoop loop, Executor executor, Results results) {
    this.check = check;
    this.handle = handle;
    this.loop = loop;
    this.executor = executor;
    this.results = results;
    this.timer = loop.newTimer(this::due);
  }

  /** The tracker handle the results are for. */
  int handle() {
    return handle;
  }

  /** Runs the check now and then every interval. On the loop. */
  void start() {
    submit();
    timer.scheduleAfter(check.interval().toNanos());
  }

  /** No more runs, and results still on their way are dropped. On the loop. */
  void stop() {
    stopped = true;
    timer.cancel();
  }

  private void due() {
    if (stopped) {
      return;
    }
    if (inFlight) {
      log.warn(
          "health check {} still running after {}: counted as failed",
          check.name(),
          check.interval());
      results.checked(this, false);
    } else {
      submit();
    }
    timer.scheduleAfter(check.interval().toNanos());
  }

  private void submit() {
    inFlight = true;
    long run = ++runs;
    executor.execute(
        () -> {
          boolean healthy = runCheck();
          loop.execute(() -> finished(run, healthy));
        });
  }

  private void finished(long run, boolean healthy) {
    if (stopped || run != runs) {
      return;
    }
    inFlight = false;
    results.checked(this, healthy);
  }

  private boolean runCheck() {
    try {
      return check.check().healthy();
    } catch (Exception e) {
      log.debug("health check {} failed: {}", check.name(), e.toString());
      return false;
    }
  }
}
