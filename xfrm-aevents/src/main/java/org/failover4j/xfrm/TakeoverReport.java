package org.failover4j.xfrm;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one takeover: what happened to every SA the backup held.
 *
 * @param time when the takeover ran, on the sync's event loop clock
 * @param results one entry per SA
 */
public record TakeoverReport(Instant time, List<SaInstallResult> results) {

  /**
   * Copies the list.
   *
   * @param time when the takeover ran, on the sync's event loop clock
   * @param results one entry per SA
   */
  public TakeoverReport {
    Objects.requireNonNull(time, "time");
    results = List.copyOf(results);
  }

  /** {@return the number of SAs installed} */
  public long installed() {
    return results.stream().filter(r -> r instanceof SaInstallResult.Installed).count();
  }
}
