package org.failover4j.api;

import java.util.Objects;
import org.failover4j.api.platform.Platform;

/**
 * The work of one source's takeover after its first advert (addresses, announcements, the log line,
 * listeners), or the report of a sync group's transition, run once the adverts of the takeovers due
 * in the same loop turn have left ({@link Platform#afterQueuedAdverts}). Five hundred groups whose
 * Master_Down timers fall due together then send every advert before the first group's transition
 * work, instead of each advert waiting for the work of every group before it. Whatever the source
 * does next first finishes the work still waiting ({@link #finish()}), so its steps never change
 * order. Use on the event loop.
 */
public final class DeferredTakeover {

  private final Platform platform;
  private final Runnable finisher = this::finish;
  private Runnable waiting;

  /**
   * A holder of one source's waiting takeover work.
   *
   * @param platform the platform whose queued adverts the work waits for
   */
  public DeferredTakeover(Platform platform) {
    this.platform = Objects.requireNonNull(platform, "platform");
  }

  /**
   * Runs {@code work} once this turn's queued adverts have left, or at once when none is queued;
   * work still waiting from an earlier call runs first.
   *
   * @param work the rest of the takeover
   */
  public void afterAdverts(Runnable work) {
    finish();
    waiting = Objects.requireNonNull(work, "work");
    platform.afterQueuedAdverts(finisher);
  }

  /** Runs the waiting work now, if any: call before anything that must follow it. */
  public void finish() {
    Runnable work = waiting;
    if (work != null) {
      waiting = null;
      work.run();
    }
  }
}
