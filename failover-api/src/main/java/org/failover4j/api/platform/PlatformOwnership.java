package org.failover4j.api.platform;

import java.io.IOException;
import org.slf4j.Logger;

/**
 * Whether a role source closes the {@link Platform} it was built with: a builder's {@code
 * ownedPlatform} hands it over, {@code platform} lends it. One place for the two moments an owned
 * platform closes: a build that was refused, and the source's own close.
 *
 * @param platform the platform, possibly null while a builder is still unfinished
 * @param owned whether the source closes it
 */
public record PlatformOwnership(Platform platform, boolean owned) {

  /**
   * Closes an owned platform because the build that was to own it failed; a failure to close is
   * added to {@code refused} as suppressed.
   *
   * @param refused why the build failed, rethrown by the caller
   */
  public void closeAfterRefusedBuild(RuntimeException refused) {
    if (owned && platform != null) {
      try {
        platform.close();
      } catch (IOException | RuntimeException closing) {
        refused.addSuppressed(closing);
      }
    }
  }

  /**
   * Closes an owned platform as the last step of its source's close; a failure is logged, never
   * thrown, since the source is closed either way.
   *
   * @param log the source's logger
   * @param source how the source names itself in the log
   */
  public void closeWithSource(Logger log, String source) {
    if (owned && platform != null) {
      try {
        platform.close();
      } catch (IOException | RuntimeException e) {
        log.warn("{}: closing the platform failed: {}", source, e.getMessage());
      }
    }
  }
}
