package org.failover4j.netlink;

import java.io.IOException;

/**
 * The kernel flagged a dump reply with {@code NLM_F_DUMP_INTR}: the table changed while it was
 * being dumped, so the result may be inconsistent. Dumping again usually succeeds.
 */
public final class DumpInterruptedException extends IOException {

  private static final long serialVersionUID = 1L;

  DumpInterruptedException(String operation) {
    super(operation + ": dump interrupted by a concurrent change (NLM_F_DUMP_INTR)");
  }
}
