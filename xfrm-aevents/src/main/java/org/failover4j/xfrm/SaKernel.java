package org.failover4j.xfrm;

import java.io.IOException;
import java.util.Set;

/**
 * What SA sync needs from the kernel: read an SA's state and set it. {@link XfrmAeventClient} is
 * the real implementation; tests may supply an in-memory one.
 */
public interface SaKernel {

  /**
   * The state of SA {@code sa} with mark {@code mark} (null: none), with the thresholds {@code
   * wants} asks for.
   *
   * @param sa the SA
   * @param mark its mark, or null
   * @param wants the thresholds to report ({@link AeFlag#RTHR}, {@link AeFlag#ETHR})
   * @return the SA's state
   * @throws NoSuchSaException when no such SA exists
   */
  Aevent getAe(SaId sa, XfrmMark mark, Set<AeFlag> wants) throws IOException;

  /**
   * Replaces the state {@code values} carries on its SA.
   *
   * @param values the state to install, on its SA
   * @throws NoSuchSaException when no such SA exists
   */
  void setAe(Aevent values) throws IOException;
}
