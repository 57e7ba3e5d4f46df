package org.failover4j.vrrp.election;

import java.util.Arrays;
import java.util.Objects;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/**
 * The VRRP state machine of one instance (RFC 5798 §6.4 for v3, RFC 3768 §6.4 for v2), with
 * keepalived's extensions: preempt delay, fault, answering lower and zero priorities at once, and
 * sync groups.
 *
 * <p>It owns no timer: after every input the driver re-arms one timer at {@link #nextDeadline()}
 * and calls {@link #onTimer} when it fires. Inputs are valid adverts only; the codec's validator
 * drops the rest before they get here. Not thread-safe: one driver thread. Steady state (periodic
 * adverts sent and received) allocates nothing.
 */
public final class VrrpStateMachine {

  /** {@link #nextDeadline()} when no timer is needed. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final ElectionConfig config;
  private final ElectionActions actions;
  private final ElectionCounters counters = new ElectionCounters();
  private final byte[] localAddress;
  private SyncGroup group;

  private Role role = Role.INITIALIZE;
  private int effectivePriority;
  private int masterAdverCentis;
  private boolean ownFault;
  private boolean wantsMaster;
  private TransitionReason nextMasterReason = TransitionReason.MASTER_DOWN;
  private long masterDownDeadline = NO_DEADLINE;
  private long advertDeadline = NO_DEADLINE;
  private long preemptAt = NO_DEADLINE;

  /**
   * A state machine in INITIALIZE; call {@link #start} to join the election.
   *
   * @param config the instance's election settings
   * @param actions what the machine asks its driver to do
   */
  public VrrpStateMachine(ElectionConfig config, ElectionActions actions) {
    this.config = Objects.requireNonNull(config, "config");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.localAddress = config.primaryAddress().getAddress();
    this.effectivePriority = config.priority();
    this.masterAdverCentis = config.advertIntervalCentis();
  }

  // ---- inputs ----------------------------------------------------------------------------

  /**
   * Leaves INITIALIZE: the owner becomes master, everyone else a backup (or FAULT if faulty). Does
   * nothing once started (a sync group may have moved it already).
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void start(long now) {
    if (role != Role.INITIALIZE) {
      return;
    }
    if (ownFault || (group != null && group.anyMemberFaulty())) {
      enterFault(now, TransitionReason.FAULT_AT_START);
      return;
    }
    joinElection(now, TransitionReason.STARTUP);
  }

  /**
   * A valid advert arrived (it passed every receive check).
   *
   * @param now the current time on the loop's clock, in nanoseconds
   * @param priority its priority, 0..255
   * @param intervalCentis its advertisement interval in centiseconds (v2: seconds times 100)
   * @param source the sender's IP address bytes (4 or 16); compared only, never kept
   */
  public void onAdvert(long now, int priority, int intervalCentis, byte[] source) {
    counters.advertsReceived.incrementAndGet();
    if (priority == 0) {
      counters.priorityZeroReceived.incrementAndGet();
    }
    switch (role) {
      case BACKUP -> backupReceived(now, priority, intervalCentis);
      case MASTER -> masterReceived(now, priority, intervalCentis, source);
      default -> {
        // INITIALIZE, FAULT and STOPPED take no part in the election.
      }
    }
  }

  /**
   * The timer armed at {@link #nextDeadline()} fired (early or spurious calls are harmless).
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void onTimer(long now) {
    if (role == Role.BACKUP && masterDownDeadline - now <= 0) {
      masterDownDeadline = NO_DEADLINE;
      goMaster(now, nextMasterReason);
    } else if (role == Role.MASTER && advertDeadline - now <= 0) {
      // On the grid, not from now: a late wake-up must not drift the masters apart.
      advertDeadline = ElectionTiming.nextOnGrid(now, config.advertIntervalCentis());
      advertise(effectivePriority, AdvertCause.PERIODIC);
    }
  }

  /**
   * Tracking changed the effective priority (already clamped by {@link PriorityTracker}). It takes
   * effect in the next advert and the next Master_Down_Interval.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   * @param priority its priority, 0..255
   */
  public void setEffectivePriority(long now, int priority) {
    if (priority < 1 || priority > 255) {
      throw new IllegalArgumentException("priority must be in 1..255, was " + priority);
    }
    effectivePriority = config.isOwner() ? ElectionConfig.OWNER_PRIORITY : priority;
  }

  /**
   * A tracked interface or check failed ({@code faulty}) or recovered. Entering FAULT sends
   * priority 0 if master; recovering rejoins the election as a backup (the owner as master).
   *
   * @param now the current time on the loop's clock, in nanoseconds
   * @param faulty true when something tracked failed
   * @param reason why
   */
  public void setFault(long now, boolean faulty, TransitionReason reason) {
    if (faulty == ownFault || role == Role.STOPPED) {
      return;
    }
    ownFault = faulty;
    if (role == Role.INITIALIZE) {
      return;
    }
    if (faulty) {
      enterFault(now, reason);
    } else if (group != null) {
      group.memberRecovered(now);
    } else {
      joinElection(now, reason);
    }
  }

  /**
   * Leaves the election for good: a master sends priority 0 so a backup takes over at once.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void shutdown(long now) {
    if (role == Role.STOPPED) {
      return;
    }
    Role from = role;
    clearTimers();
    if (from == Role.MASTER) {
      counters.releasedMaster.incrementAndGet();
      advertise(0, AdvertCause.SHUTDOWN);
    }
    role = Role.STOPPED;
    actions.transition(from, Role.STOPPED, TransitionReason.SHUTDOWN);
    if (group != null) {
      group.memberStopped(this, now);
    }
  }

  // ---- outputs and state -----------------------------------------------------------------

  /**
   * When the driver must call {@link #onTimer}, or {@link #NO_DEADLINE}.
   *
   * @return the deadline on the loop's clock
   */
  public long nextDeadline() {
    return switch (role) {
      case BACKUP -> masterDownDeadline;
      case MASTER -> advertDeadline;
      default -> NO_DEADLINE;
    };
  }

  /** {@return the current role} */
  public Role role() {
    return role;
  }

  /** {@return the priority advertised now (the configured one adjusted by tracking)} */
  public int effectivePriority() {
    return effectivePriority;
  }

  /**
   * Master_Adver_Interval: learned from the master in v3, configured otherwise.
   *
   * @return the interval in centiseconds
   */
  public int masterAdverIntervalCentis() {
    return masterAdverCentis;
  }

  /** {@return true while this instance's own tracking reports a fault} */
  public boolean isFaulty() {
    return ownFault;
  }

  /** {@return true while a sync group holds this backup back although its own timer said master} */
  public boolean wantsMaster() {
    return wantsMaster;
  }

  /** {@return the configuration} */
  public ElectionConfig config() {
    return config;
  }

  /**
   * Counters of this instance's election.
   *
   * @return the counters, live
   */
  public ElectionCounters counters() {
    return counters;
  }

  /**
   * Master_Down_Interval at the current priority and Master_Adver_Interval.
   *
   * @return the interval in nanoseconds
   */
  public long masterDownNanos() {
    return ElectionTiming.masterDownNanos(config.version(), effectivePriority, masterAdverCentis);
  }

  /**
   * Skew_Time at the current priority and Master_Adver_Interval.
   *
   * @return the time in nanoseconds
   */
  public long skewNanos() {
    return ElectionTiming.skewNanos(config.version(), effectivePriority, masterAdverCentis);
  }

  // ---- receive ---------------------------------------------------------------------------

  private void backupReceived(long now, int priority, int intervalCentis) {
    if (priority == 0) {
      // The master is leaving: take over after Skew_Time only.
      masterDownDeadline = now + skewNanos();
      nextMasterReason = TransitionReason.PRIORITY_ZERO;
      return;
    }
    boolean lower = priority < effectivePriority;
    boolean delayingPreempt =
        lower && !config.preemptDelay().isZero() && (preemptAt == NO_DEADLINE || preemptAt > now);
    if (!config.preempt() || !lower || delayingPreempt) {
      if (config.version() == 3) {
        masterAdverCentis = intervalCentis;
      }
      masterDownDeadline = now + masterDownNanos();
      nextMasterReason = TransitionReason.MASTER_DOWN;
      wantsMaster = false;
      if (!lower) {
        preemptAt = NO_DEADLINE;
      } else if (delayingPreempt && preemptAt == NO_DEADLINE) {
        preemptAt = now + config.preemptDelay().toNanos();
      }
      return;
    }
    // A lower-priority master and we may preempt: ignore it and let Master_Down run out.
    counters.lowerPriorityDiscarded.incrementAndGet();
    nextMasterReason = TransitionReason.PREEMPT;
  }

  private void masterReceived(long now, int priority, int intervalCentis, byte[] source) {
    if (priority == 0) {
      // RFC 5798 §6.4.3: send an advert and reset the Adver_Timer.
      advertise(effectivePriority, AdvertCause.ANSWER_PRIORITY_ZERO);
      advertDeadline = now + ElectionTiming.centisToNanos(config.advertIntervalCentis());
      return;
    }
    int order = priority != effectivePriority ? 0 : compareAddress(source);
    if (priority < effectivePriority || (priority == effectivePriority && order < 0)) {
      advertise(effectivePriority, AdvertCause.ANSWER_LOWER_PRIORITY);
      return;
    }
    if (priority > effectivePriority || order > 0) {
      if (config.version() == 3) {
        masterAdverCentis = intervalCentis;
      }
      leaveMasterForBackup(now, TransitionReason.HIGHER_PRIORITY);
    }
    // Same priority from our own address: a looped-back advert or a misconfiguration; ignore.
  }

  private int compareAddress(byte[] source) {
    return Arrays.compareUnsigned(source, localAddress);
  }

  // ---- transitions -----------------------------------------------------------------------

  /** INITIALIZE or FAULT to the election: the owner goes for master, others wait as backup. */
  void joinElection(long now, TransitionReason reason) {
    masterAdverCentis = config.advertIntervalCentis();
    preemptAt = NO_DEADLINE;
    wantsMaster = false;
    if (config.isOwner() && (group == null || group.canGoMaster(this))) {
      becomeMaster(
          now, reason == TransitionReason.STARTUP ? TransitionReason.ADDRESS_OWNER : reason);
      return;
    }
    Role from = role;
    clearTimers();
    role = Role.BACKUP;
    if (config.isOwner()) {
      // An owner held back by its group retries after one interval instead of a full timeout.
      wantsMaster = true;
      masterDownDeadline = now + ElectionTiming.centisToNanos(masterAdverCentis) + skewNanos();
    } else {
      masterDownDeadline = now + masterDownNanos();
    }
    nextMasterReason = TransitionReason.MASTER_DOWN;
    actions.transition(from, Role.BACKUP, reason);
    if (group != null) {
      group.memberJoinedAsBackup(reason);
    }
  }

  private void goMaster(long now, TransitionReason reason) {
    if (group != null && !group.canGoMaster(this)) {
      // keepalived prefers backup until every member wants master: wait another interval.
      wantsMaster = true;
      masterDownDeadline = now + masterDownNanos();
      return;
    }
    becomeMaster(now, reason);
  }

  /** Becomes master now, without asking the group (the group itself calls this). */
  void becomeMaster(long now, TransitionReason reason) {
    if (role == Role.MASTER || role == Role.STOPPED) {
      return;
    }
    Role from = role;
    wantsMaster = false;
    masterAdverCentis = config.advertIntervalCentis();
    clearTimers();
    role = Role.MASTER;
    counters.becameMaster.incrementAndGet();
    advertise(effectivePriority, AdvertCause.BECOME_MASTER);
    // The next advert falls on the process-wide grid of the interval, at most one interval away:
    // every master with this interval then advertises in the same loop turn, one batch.
    advertDeadline = ElectionTiming.nextOnGrid(now, config.advertIntervalCentis());
    actions.transition(from, Role.MASTER, reason);
    if (group != null) {
      group.memberBecameMaster(this, now);
    }
  }

  /** MASTER to BACKUP without priority 0: someone better is master now. */
  void leaveMasterForBackup(long now, TransitionReason reason) {
    if (role != Role.MASTER) {
      return;
    }
    clearTimers();
    role = Role.BACKUP;
    wantsMaster = false;
    preemptAt = NO_DEADLINE;
    counters.releasedMaster.incrementAndGet();
    masterDownDeadline = now + masterDownNanos();
    nextMasterReason = TransitionReason.MASTER_DOWN;
    actions.transition(Role.MASTER, Role.BACKUP, reason);
    if (group != null) {
      group.memberFellToBackup(this, now);
    }
  }

  /** Into FAULT: a master first tells the others with priority 0. */
  void enterFault(long now, TransitionReason reason) {
    if (role == Role.FAULT || role == Role.STOPPED) {
      return;
    }
    Role from = role;
    clearTimers();
    wantsMaster = false;
    if (from == Role.MASTER) {
      counters.releasedMaster.incrementAndGet();
      advertise(0, AdvertCause.FAULT);
    }
    role = Role.FAULT;
    masterAdverCentis = config.advertIntervalCentis();
    actions.transition(from, Role.FAULT, reason);
    if (group != null) {
      group.memberFaulted(this, now);
    }
  }

  void attach(SyncGroup syncGroup) {
    if (group != null) {
      throw new IllegalStateException("instance " + config.vrid() + " is already in a sync group");
    }
    if (role != Role.INITIALIZE) {
      throw new IllegalStateException("join a sync group before start");
    }
    this.group = syncGroup;
  }

  private void advertise(int priority, AdvertCause cause) {
    counters.advertsRequested.incrementAndGet();
    if (priority == 0) {
      counters.priorityZeroRequested.incrementAndGet();
    }
    actions.sendAdvert(priority, config.advertIntervalCentis(), cause);
  }

  private void clearTimers() {
    masterDownDeadline = NO_DEADLINE;
    advertDeadline = NO_DEADLINE;
  }

  @Override
  public String toString() {
    return "VRRP v"
        + config.version()
        + " VRID "
        + config.vrid()
        + " "
        + role
        + " prio "
        + effectivePriority;
  }
}
