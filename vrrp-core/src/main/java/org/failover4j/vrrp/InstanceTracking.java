package org.failover4j.vrrp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.failover4j.api.EventLoop;
import org.failover4j.api.TransitionReason;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.Platform;
import org.failover4j.vrrp.election.PriorityTracker;

/**
 * What one VRRP instance's priority and fault follow: its own interface (keepalived tracks it:
 * without it the instance is in FAULT), the tracked interfaces, the health checks, whether its
 * virtual addresses could be added, and the application's relinquish. Each change that moves the
 * effective priority or the fault goes to {@link Changes} with the reason a transition reports. Use
 * on the event loop.
 */
final class InstanceTracking {

  /** Where a change goes, on the loop. */
  interface Changes {
    /**
     * What is tracked changed.
     *
     * @param effectivePriority the priority with every weight applied
     * @param faulty whether something tracked with weight 0 is down
     * @param reason why, for the transition it may cause
     */
    void trackedChanged(int effectivePriority, boolean faulty, TransitionReason reason);
  }

  private static final String CHECK_PREFIX = "check:";

  /** The tracked object that fails when the virtual addresses cannot be added. */
  private static final String ADDRESSES = "virtual-addresses";

  /** The tracked object the application takes down to give up mastership. */
  private static final String RELINQUISHED = "relinquished";

  private final VrrpInstanceConfig config;
  private final Platform platform;
  private final EventLoop loop;
  private final Changes changes;
  private final PriorityTracker tracker;
  private final List<HealthCheckRunner> checks = new ArrayList<>();
  private final Set<HealthCheckRunner> reported = new HashSet<>();
  private Runnable allReported;
  private int awaitingFirstResults;
  private int trackedSelf;
  private int addressHandle;
  private int relinquishHandle;
  private int[] trackedInterfaceHandles;
  private boolean stopped;

  InstanceTracking(VrrpInstanceConfig config, Platform platform, Changes changes) {
    this.config = config;
    this.platform = platform;
    this.loop = platform.eventLoop();
    this.changes = changes;
    this.tracker = new PriorityTracker(config.priority());
  }

  /**
   * Starts tracking, each object as it is now.
   *
   * @param base the instance's own interface
   * @param relinquished whether the application has given up mastership already
   */
  void open(InterfaceState base, boolean relinquished) throws IOException {
    trackedSelf = tracker.track(base.name(), 0, base.up());
    addressHandle = tracker.track(ADDRESSES, 0, true);
    relinquishHandle = tracker.track(RELINQUISHED, 0, !relinquished);
    List<TrackedInterface> tracked = config.trackedInterfaces();
    trackedInterfaceHandles = new int[tracked.size()];
    for (int i = 0; i < tracked.size(); i++) {
      TrackedInterface t = tracked.get(i);
      trackedInterfaceHandles[i] =
          tracker.track(t.name(), t.weight(), platform.interfaceState(t.name()).up());
    }
    for (TrackedCheck check : config.trackedChecks()) {
      int handle = tracker.track(CHECK_PREFIX + check.name(), check.weight(), true);
      checks.add(
          new HealthCheckRunner(check, handle, loop, platform.checkExecutor(), this::checkResult));
    }
  }

  /**
   * Starts the health checks; {@code allReported} runs once each has a first result (at once
   * without checks), as keepalived waits for them before the election.
   */
  void start(Runnable allReported) {
    this.allReported = allReported;
    awaitingFirstResults = checks.size();
    if (awaitingFirstResults == 0) {
      allReported.run();
    }
    checks.forEach(HealthCheckRunner::start);
  }

  /** Stops the health checks; nothing changes from now on. */
  void stop() {
    stopped = true;
    checks.forEach(HealthCheckRunner::stop);
  }

  /** {@return the priority with every weight applied} */
  int effectivePriority() {
    return tracker.effectivePriority();
  }

  /** {@return whether something tracked with weight 0 is down} */
  boolean isFaulty() {
    return tracker.isFaulty();
  }

  /** Sets the configured priority the weights apply to (no change is reported). */
  void setBase(int priority) {
    tracker.setBase(priority);
  }

  /** Interface {@code iface} went up or down. */
  void linkChanged(String iface, boolean up) {
    if (iface.equals(tracker.name(trackedSelf))) {
      set(trackedSelf, up);
    }
    for (int i = 0; i < trackedInterfaceHandles.length; i++) {
      if (config.trackedInterfaces().get(i).name().equals(iface)) {
        set(trackedInterfaceHandles[i], up);
      }
    }
  }

  /** The virtual addresses could ({@code true}) or could not be added. */
  void addressesHeld(boolean held) {
    set(addressHandle, held);
  }

  /** The application gave up mastership ({@code true}) or rejoined. */
  void relinquished(boolean relinquished) {
    set(relinquishHandle, !relinquished);
  }

  private void checkResult(HealthCheckRunner runner, boolean healthy) {
    set(runner.handle(), healthy);
    if (awaitingFirstResults > 0 && reported.add(runner) && --awaitingFirstResults == 0) {
      allReported.run();
    }
  }

  private void set(int handle, boolean up) {
    if (stopped || !tracker.set(handle, up)) {
      return;
    }
    String fault = tracker.firstFault();
    TransitionReason reason;
    if (fault == null) {
      reason = TransitionReason.RECOVERED;
    } else if (fault.equals(ADDRESSES)) {
      reason = TransitionReason.ADDRESS_FAILED;
    } else if (fault.equals(RELINQUISHED)) {
      reason = TransitionReason.RELINQUISHED;
    } else {
      reason =
          fault.startsWith(CHECK_PREFIX)
              ? TransitionReason.CHECK_FAILED
              : TransitionReason.INTERFACE_DOWN;
    }
    changes.trackedChanged(tracker.effectivePriority(), fault != null, reason);
  }
}
