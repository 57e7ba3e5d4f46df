package org.failover4j.spring;

import java.util.List;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.TransitionReason;
import org.springframework.boot.health.contributor.Status;

/** How a role becomes a health status, the same for every role source. */
final class RoleHealth {

  private static final List<Status> ORDER =
      List.of(Status.DOWN, Status.OUT_OF_SERVICE, Status.UNKNOWN, Status.UP);

  private RoleHealth() {}

  /**
   * FAULT is DOWN unless the application relinquished on purpose (OUT_OF_SERVICE, so a liveness
   * probe does not restart it); STOPPED is OUT_OF_SERVICE; not started UNKNOWN; MASTER and BACKUP
   * UP.
   */
  static Status statusOf(RoleChangeEvent last) {
    return switch (last.to()) {
      case FAULT ->
          last.reason() == TransitionReason.RELINQUISHED ? Status.OUT_OF_SERVICE : Status.DOWN;
      case STOPPED -> Status.OUT_OF_SERVICE;
      case INITIALIZE -> Status.UNKNOWN;
      case MASTER, BACKUP -> Status.UP;
    };
  }

  /** The worse of two statuses. */
  static Status worse(Status a, Status b) {
    return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
  }
}
