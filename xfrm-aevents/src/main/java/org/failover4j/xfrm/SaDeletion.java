package org.failover4j.xfrm;

import java.util.Objects;
import java.util.Optional;

/**
 * The kernel deleted an SA: a {@code XFRM_MSG_DELSA} (IKE or {@code ip xfrm state del} removed it)
 * or a hard {@code XFRM_MSG_EXPIRE} (it reached a hard lifetime limit).
 *
 * @param sa the SA
 * @param mark its mark, when it has one
 */
public record SaDeletion(SaId sa, Optional<XfrmMark> mark) {

  /**
   * Checks both are present.
   *
   * @param sa the SA
   * @param mark its mark, when it has one
   */
  public SaDeletion {
    Objects.requireNonNull(sa, "sa");
    Objects.requireNonNull(mark, "mark");
  }
}
