package org.failover4j.xfrm;

import java.io.IOException;

/** The kernel has no SA with the given destination, SPI, protocol and mark (ESRCH). */
public final class NoSuchSaException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient SaId sa;

  /**
   * No SA {@code sa}; {@code cause} is the kernel's error, when there was one.
   *
   * @param sa the SA
   * @param cause the kernel's error, or null
   */
  public NoSuchSaException(SaId sa, Throwable cause) {
    super("no such SA: " + sa, cause);
    this.sa = sa;
  }

  /** {@return the SA that was not found} */
  public SaId sa() {
    return sa;
  }
}
