package org.failover4j.vrrp;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.failover4j.api.AddressText;
import org.failover4j.api.DeferredTakeover;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ForwardingRoleObservable;
import org.failover4j.api.RateLimitedLog;
import org.failover4j.api.Role;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.Timer;
import org.failover4j.api.TransitionReason;
import org.failover4j.api.address.AddressHolder;
import org.failover4j.api.address.AddressHolder.HostAddressPolicy;
import org.failover4j.api.address.AddressHolder.VirtualMacLifetime;
import org.failover4j.api.address.VirtualMac;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.Platform;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.election.AdvertCause;
import org.failover4j.vrrp.election.ElectionActions;
import org.failover4j.vrrp.election.ElectionConfig;
import org.failover4j.vrrp.election.VrrpStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one VRRP instance on the event loop: drives its {@link VrrpStateMachine} with the adverts
 * its {@link AdvertEndpoint} accepts, the changes its {@link InstanceTracking} reports and its
 * election timer, and carries out what the machine asks: adverts through the endpoint, virtual
 * addresses held by an {@link AddressHolder} (whose failures are VRRP's FAULT), role events for
 * listeners, and takeovers timed by {@link TakeoverTiming}. The receive and periodic send paths
 * allocate nothing.
 */
final class InstanceEngine implements VrrpInstance, ElectionActions, ForwardingRoleObservable {

  private static final Logger log = LoggerFactory.getLogger(InstanceEngine.class);

  /** How often a repeating warning (an answer flood) reaches the log. */
  private static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;

  private final VrrpInstanceConfig config;
  private final Platform platform;
  private final EventLoop loop;
  private final RolePublisher publisher;
  private final AdvertEndpoint adverts;
  private final InstanceTracking tracking;
  private final TakeoverTiming takeovers;
  private final Timer electionTimer;
  private final List<Runnable> onClose = new ArrayList<>();
  private final AddressHolder holder;
  private final DeferredTakeover takeover;
  private final RateLimitedLog answerLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private volatile VrrpStateMachine machine;
  private int heardPriority;
  private volatile int effectivePriority;
  private volatile boolean closed;
  private volatile boolean relinquishRequested;

  InstanceEngine(VrrpInstanceConfig config, Platform platform) {
    this.config = config;
    this.platform = platform;
    this.loop = platform.eventLoop();
    this.publisher = new RolePublisher(config.name(), loop.now());
    this.adverts =
        new AdvertEndpoint(config, platform, () -> machine.role() == Role.BACKUP, this::onAdvert);
    this.tracking = new InstanceTracking(config, platform, this::trackedChanged);
    this.takeovers = new TakeoverTiming(config.name());
    this.electionTimer = loop.newTimer(this::onElectionTimer);
    this.holder = addressHolder(config, platform, new HolderEvents());
    this.takeover = new DeferredTakeover(platform);
    this.effectivePriority = config.priority();
  }

  private static AddressHolder addressHolder(
      VrrpInstanceConfig config, Platform platform, AddressHolder.Events events) {
    VirtualMac vmac =
        config.virtualMac()
            ? new VirtualMac(
                config.virtualMacName(), VirtualMac.ianaMac(config.isIpv6(), config.vrid()))
            : null;
    // A virtual address that is the interface's own address is either the owner's (priority 255,
    // RFC 5798's address owner: kept, never removed) or a trap (a backup would delete the host's
    // address), refused unless the configuration says to take it over.
    HostAddressPolicy hostAddresses =
        config.takeOverHostAddress()
            ? HostAddressPolicy.TAKE_OVER
            : config.priority() == ElectionConfig.OWNER_PRIORITY
                ? HostAddressPolicy.KEEP
                : HostAddressPolicy.REFUSE;
    return AddressHolder.builder(platform, config.name())
        .iface(config.iface())
        .addresses(config.heldAddresses())
        .virtualMac(vmac, VirtualMacLifetime.WHILE_OPEN)
        .hostAddresses(
            hostAddresses,
            "use a free address, priority 255 to be its owner, or takeOverHostAddress(true)")
        .announcements(config.announcements())
        .retry(config.addressRetry())
        // A lower-priority master is answered at most once per advert interval: a flood of forged
        // or looped adverts must not turn this master into a reflector.
        .answerGap(Duration.ofMillis(config.wire().intervalCentiseconds() * 10L))
        .events(events)
        .build();
  }

  // ---- setup, on the loop ----------------------------------------------------------------

  /**
   * Opens the address holder (which creates the virtual MAC, if any), resolves addresses and claims
   * the instance's adverts on the interface's shared socket; the machine is created here, not
   * started.
   */
  void open() throws IOException {
    InterfaceState base = platform.interfaceState(config.iface());
    onClose.add(holder::close);
    InterfaceState advertIface = holder.open();
    onClose.add(adverts::close);
    InetAddress source = adverts.open(advertIface, base);
    tracking.open(base, relinquishRequested);
    ElectionConfig election =
        new ElectionConfig(
            config.wire().version(),
            config.wire().vrid(),
            config.priority(),
            config.wire().intervalCentiseconds(),
            config.preempt(),
            config.preemptDelay(),
            source);
    machine = new VrrpStateMachine(election, this);
    machine.setEffectivePriority(loop.nanoTime(), tracking.effectivePriority());
    machine.setFault(loop.nanoTime(), tracking.isFaulty(), TransitionReason.FAULT_AT_START);
    effectivePriority = machine.effectivePriority();
  }

  /**
   * Leaves INITIALIZE: stale virtual addresses from a crashed predecessor are removed first, and
   * with health checks the instance waits for each check's first result, as keepalived does.
   */
  void start() {
    holder.clearStale();
    tracking.start(this::startMachine);
  }

  private void startMachine() {
    machine.start(loop.nanoTime());
    rearm();
  }

  VrrpStateMachine machine() {
    return machine;
  }

  // ---- inputs, on the loop ---------------------------------------------------------------

  /** A valid advert for this VRID. */
  private void onAdvert(int priority, int intervalCentis, byte[] source) {
    heardPriority = priority;
    machine.onAdvert(loop.nanoTime(), priority, intervalCentis, source);
    rearm();
  }

  /** What the address holder tells this instance, on the loop. */
  private final class HolderEvents implements AddressHolder.Events {
    @Override
    public void addressesLost() {
      if (!closed && machine != null && machine.role() == Role.MASTER) {
        // priority 0 goes out on MASTER -> FAULT; the holder retries after addressRetry.
        tracking.addressesHeld(false);
      }
    }

    @Override
    public void retryDue() {
      if (!closed) {
        tracking.addressesHeld(true);
      }
    }

    @Override
    public void linkChanged(String iface, boolean up) {
      if (machine == null) {
        return;
      }
      if (up && iface.equals(adverts.iface())) {
        // Perhaps deleted and created again: the holder announces from its current MAC.
        adverts.refreshSource();
      }
      tracking.linkChanged(iface, up);
    }
  }

  private void trackedChanged(int priority, boolean faulty, TransitionReason reason) {
    long now = loop.nanoTime();
    machine.setEffectivePriority(now, priority);
    effectivePriority = machine.effectivePriority();
    machine.setFault(now, faulty, reason);
    rearm();
  }

  private void onElectionTimer() {
    if (!closed) {
      long now = loop.nanoTime();
      takeovers.timerFired(now);
      machine.onTimer(now);
      rearm();
      takeovers.timerHandled();
    }
  }

  private void rearm() {
    long deadline = machine.nextDeadline();
    if (deadline == VrrpStateMachine.NO_DEADLINE) {
      electionTimer.cancel();
    } else if (!electionTimer.isScheduled() || electionTimer.deadlineNanos() != deadline) {
      electionTimer.scheduleAt(deadline);
      takeovers.armed(deadline);
    }
  }

  // ---- ElectionActions -------------------------------------------------------------------

  @Override
  public void sendAdvert(int priority, int intervalCentis, AdvertCause cause) {
    if (cause == AdvertCause.ANSWER_LOWER_PRIORITY) {
      answerLowerPriority(priority, intervalCentis);
      return;
    }
    adverts.send(priority, cause);
    if (cause == AdvertCause.BECOME_MASTER) {
      takeovers.firstAdvertSent(loop.nanoTime());
    }
  }

  /**
   * Another master is on the link (a partition healed, or this process stalled while a backup took
   * over): as keepalived does, answer with an advert so it steps down, and announce the addresses
   * again so clients that followed the other master come back. Rate-limited.
   */
  private void answerLowerPriority(int priority, int intervalCentis) {
    takeover.finish();
    if (!holder.answerAnotherMaster()) {
      return;
    }
    if (answerLog.permit(loop.nanoTime())) {
      log.warn(
          "({}) advert from {} with priority {}, ours {}: forcing a new election ({} more"
              + " answers held back)",
          config.name(),
          AddressText.of(adverts.lastSource()),
          heardPriority,
          priority,
          answerLog.suppressedAndReset());
    }
    if (!config.lowerPriorityNoAdvert()) {
      adverts.send(priority, AdvertCause.ANSWER_LOWER_PRIORITY);
    }
    holder.announce();
  }

  @Override
  public void transition(Role from, Role to, TransitionReason reason) {
    takeover.finish();
    if (to == Role.MASTER) {
      // The advert has left; the rest waits for the adverts of the takeovers due with this one.
      long start = takeovers.start();
      takeover.afterAdverts(() -> becomeMaster(from, reason, start));
      return;
    }
    if (from == Role.MASTER) {
      holder.release();
      if (to == Role.BACKUP) {
        adverts.steppedDownToBackup();
      }
    }
    reportTransition(from, to, reason);
  }

  /** The takeover after its first advert: addresses, announcements, then the report. */
  private void becomeMaster(Role from, TransitionReason reason, long start) {
    if (!holder.hold()) {
      // Never report a role this host cannot serve: the holder tells us to leave for FAULT
      // (priority 0 tells the peers to take over at once) once this transition is finished.
      rearm();
      return;
    }
    long addedAt = loop.nanoTime();
    holder.announce();
    takeovers.report(reason, start, addedAt, loop.nanoTime());
    reportTransition(from, Role.MASTER, reason);
  }

  private void reportTransition(Role from, Role to, TransitionReason reason) {
    if (!config.name().equals(Rehearsal.NAME)) {
      log.info("({}) {} -> {} ({}{})", config.name(), from, to, reason, cause(reason));
    }
    publisher.publish(to, reason, loop.now());
    // A sync group moves members whose engines got no input of their own: follow the machine.
    rearm();
  }

  /** What the log adds to a transition's reason, keepalived-style: who said what. */
  private String cause(TransitionReason reason) {
    return switch (reason) {
      case HIGHER_PRIORITY, PRIORITY_ZERO ->
          ": advert from "
              + AddressText.of(adverts.lastSource())
              + " with priority "
              + heardPriority
              + ", ours "
              + effectivePriority;
      case MASTER_DOWN ->
          ": no advert for Master_Down_Interval ("
              + machine.masterDownNanos() / 100_000 / 10.0
              + " ms)";
      default -> "";
    };
  }

  // ---- shutdown, on the loop -------------------------------------------------------------

  /**
   * Leaves the election: gracefully (priority 0 from a master, addresses removed) or abruptly
   * (nothing sent, addresses left as they are: for restarts that must not disturb traffic).
   */
  void shutdown(boolean graceful) {
    if (closed) {
      return;
    }
    takeover.finish(); // a takeover under way completes, then the instance leaves
    closed = true;
    electionTimer.cancel();
    tracking.stop();
    if (machine == null) {
      // Never opened, or its opening failed half-way: release what it did claim.
      onClose.forEach(Runnable::run);
      publisher.publish(Role.STOPPED, TransitionReason.NOT_STARTED, loop.now());
      return;
    }
    if (graceful) {
      machine.shutdown(loop.nanoTime());
    } else {
      publisher.publish(Role.STOPPED, TransitionReason.ABANDONED, loop.now());
    }
    onClose.forEach(Runnable::run);
  }

  /** Deletes the instance's virtual MAC, if it has one; on the loop. */
  void deleteVirtualMac() {
    holder.deleteVirtualMac();
  }

  // ---- VrrpInstance ----------------------------------------------------------------------

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public VrrpInstanceConfig config() {
    return config;
  }

  @Override
  public int effectivePriority() {
    return effectivePriority;
  }

  @Override
  public void setPriority(int priority) {
    if (config.priority() == ElectionConfig.OWNER_PRIORITY || priority < 1 || priority > 254) {
      throw new IllegalArgumentException(
          "priority must be in 1..254 and the owner's 255 is fixed, was " + priority);
    }
    loop.execute(
        () -> {
          tracking.setBase(priority);
          effectivePriority = tracking.effectivePriority();
          if (machine != null) {
            machine.setEffectivePriority(loop.nanoTime(), effectivePriority);
          }
        });
  }

  @Override
  public void reloadAuthHmac(HmacAuthentication hmac) {
    adverts.reloadAuthHmac(hmac);
  }

  @Override
  public void addTakeoverListener(Consumer<Takeover> listener) {
    takeovers.addListener(listener);
  }

  @Override
  public void addBeforeTakeover(org.failover4j.api.BeforeTakeover hook) {
    holder.addBeforeTakeover(hook);
  }

  @Override
  public boolean removeBeforeTakeover(org.failover4j.api.BeforeTakeover hook) {
    return holder.removeBeforeTakeover(hook);
  }

  @Override
  public void relinquish() {
    relinquishRequested = true;
    loop.execute(
        () -> {
          if (machine != null) {
            tracking.relinquished(true);
          }
        });
  }

  @Override
  public void rejoin() {
    relinquishRequested = false;
    loop.execute(
        () -> {
          if (machine != null) {
            tracking.relinquished(false);
          }
        });
  }

  @Override
  public VrrpStatistics statistics() {
    VrrpStateMachine m = machine;
    return new VrrpStatistics(
        m == null ? 0 : m.counters().becameMaster(),
        m == null ? 0 : m.counters().releasedMaster(),
        m == null ? 0 : m.counters().advertsReceived(),
        adverts.advertsSent(),
        m == null ? 0 : m.counters().priorityZeroReceived(),
        adverts.priorityZeroSent(),
        holder.answersSuppressed(),
        holder.failures(),
        holder.restored(),
        adverts.drops());
  }

  @Override
  public RoleObservable roles() {
    return publisher;
  }

  RolePublisher publisher() {
    return publisher;
  }

  @Override
  public String toString() {
    return config.name() + " " + publisher.role();
  }
}
