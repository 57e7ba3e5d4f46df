package org.failover4j.vrrp;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.failover4j.api.AddressText;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ForwardingRoleObservable;
import org.failover4j.api.MalformedPacketException;
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
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.vrrp.codec.AhSequenceCounter;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacReplayGuard;
import org.failover4j.vrrp.codec.VrrpAdvertDecoder;
import org.failover4j.vrrp.codec.VrrpAdvertValidator;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;
import org.failover4j.vrrp.election.AdvertCause;
import org.failover4j.vrrp.election.ElectionActions;
import org.failover4j.vrrp.election.ElectionConfig;
import org.failover4j.vrrp.election.PriorityTracker;
import org.failover4j.vrrp.election.VrrpStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one VRRP instance on the event loop: validated packets go into its {@link VrrpStateMachine},
 * whose requests come out here as adverts written by the codec, virtual addresses held by an {@link
 * AddressHolder} and role events for listeners. The holder's failures are VRRP's FAULT. The receive
 * and periodic send paths allocate nothing.
 */
final class InstanceEngine implements VrrpInstance, ElectionActions, ForwardingRoleObservable {

  private static final Logger log = LoggerFactory.getLogger(InstanceEngine.class);
  private static final int MAX_PACKET = 1500;
  private static final String CHECK_PREFIX = "check:";

  /** The tracked object that fails when the virtual addresses cannot be added. */
  private static final String ADDRESSES = "virtual-addresses";

  /** The tracked object the application takes down to give up mastership. */
  private static final String RELINQUISHED = "relinquished";

  /** How often a repeating warning (an answer flood, a failed authentication) reaches the log. */
  private static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;

  private final VrrpInstanceConfig config;
  private final VrrpWireConfig wire;
  private final Platform platform;
  private final EventLoop loop;
  private final RolePublisher publisher;
  private final AhSequenceCounter ahCounter;
  // The auth_hmac part may be reloaded on the loop (reloadAuthHmac): these three follow it.
  private VrrpPacketEncoder encoder;
  private HmacReplayGuard hmacGuard;
  private VrrpAdvertValidator validator;
  private VrrpWireConfig signing;
  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();
  private final DropCounters<VrrpDropReason> drops = new DropCounters<>(VrrpDropReason.class);
  private final AtomicLong advertsSent = new AtomicLong();
  private final AtomicLong priorityZeroSent = new AtomicLong();
  private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(MAX_PACKET);
  private final byte[] receivedSource;
  private final Timer electionTimer;
  private final PriorityTracker tracker;
  private final List<Runnable> onClose = new ArrayList<>();
  private final AddressHolder holder;

  private final List<HealthCheckRunner> checks = new ArrayList<>();
  private final Set<HealthCheckRunner> reported = new HashSet<>();
  private int awaitingFirstResults;
  private volatile VrrpStateMachine machine;
  private AdvertChannel channel;
  private String advertIface;
  private int[] destinationIndex;
  private int[] destinationIpv4;
  private byte[][] destinationIpv6;
  private int sourceIpv4;
  private byte[] sourceIpv6;
  private int identification;
  private int lastAhSequence;
  private int trackedSelf;
  private int addressHandle;
  private int relinquishHandle;
  private final RateLimitedLog answerLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private final RateLimitedLog authLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private final RateLimitedLog hmacLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private final RateLimitedLog skewLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);

  /** The loop's wall clock, read once: auth_hmac's sequences follow it by the monotonic clock. */
  private final long wallNanosAtStart;

  private final long nanosAtStart;
  private int heardPriority;
  private final List<java.util.function.Consumer<Takeover>> takeoverListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** When the timer that may make this instance master fired, and when its first advert left. */
  private long decidedAt;

  private long armedDeadline;
  private long firstAdvertAt;
  private int[] trackedInterfaceHandles;
  private volatile int effectivePriority;
  private volatile boolean closed;
  private volatile boolean relinquishRequested;

  InstanceEngine(VrrpInstanceConfig config, Platform platform) {
    this.config = config;
    this.wire = config.wire();
    this.platform = platform;
    this.loop = platform.eventLoop();
    this.publisher = new RolePublisher(config.name(), loop.now());
    this.encoder = new VrrpPacketEncoder(wire);
    this.signing = wire;
    this.ahCounter = wire.authType() == AuthType.IPSEC_AH ? new AhSequenceCounter() : null;
    this.hmacGuard = replayGuard(wire);
    this.validator = new VrrpAdvertValidator(wire, ahCounter, hmacGuard);
    Instant start = loop.now();
    this.nanosAtStart = loop.nanoTime();
    this.wallNanosAtStart = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    this.receivedSource = new byte[wire.family().addressLength()];
    this.electionTimer = loop.newTimer(this::onElectionTimer);
    this.holder = addressHolder(config, platform, new HolderEvents());
    this.tracker = new PriorityTracker(config.priority());
    this.effectivePriority = config.priority();
  }

  private static AddressHolder addressHolder(
      VrrpInstanceConfig config, Platform platform, AddressHolder.Events events) {
    VirtualMac vmac =
        config.virtualMac()
            ? new VirtualMac(
                VrrpRouter.virtualMacName(config),
                VirtualMac.ianaMac(config.isIpv6(), config.vrid()))
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
    this.advertIface = advertIface.name();
    this.channel =
        platform.openAdvertChannel(
            advertIface.name(),
            wire.family(),
            AdvertOwner.vrrp(wire.version(), wire.vrid()),
            this::onDatagram);
    onClose.add(channel::close);
    InetAddress source = chooseSource(advertIface, base);
    List<InetAddress> destinations =
        wire.isUnicast() ? wire.unicastPeers() : List.of(wire.family().advertGroup());
    destinationIndex = new int[destinations.size()];
    destinationIpv4 = new int[destinations.size()];
    destinationIpv6 = new byte[destinations.size()][];
    for (int i = 0; i < destinations.size(); i++) {
      InetAddress d = destinations.get(i);
      destinationIndex[i] = channel.addDestination(d);
      if (wire.family() == IpFamily.IPV4) {
        destinationIpv4[i] = ByteBuffer.wrap(d.getAddress()).getInt();
      } else {
        destinationIpv6[i] = d.getAddress();
      }
    }
    if (wire.family() == IpFamily.IPV4) {
      sourceIpv4 = ByteBuffer.wrap(source.getAddress()).getInt();
    } else {
      sourceIpv6 = source.getAddress();
    }
    // keepalived tracks the instance's own interface: without it the instance is in FAULT.
    trackedSelf = tracker.track(base.name(), 0, base.up());
    addressHandle = tracker.track(ADDRESSES, 0, true);
    relinquishHandle = tracker.track(RELINQUISHED, 0, !relinquishRequested);
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
    ElectionConfig election =
        new ElectionConfig(
            wire.version(),
            wire.vrid(),
            config.priority(),
            wire.intervalCentiseconds(),
            config.preempt(),
            config.preemptDelay(),
            source);
    machine = new VrrpStateMachine(election, this);
    machine.setEffectivePriority(loop.nanoTime(), tracker.effectivePriority());
    machine.setFault(loop.nanoTime(), tracker.isFaulty(), TransitionReason.FAULT_AT_START);
    effectivePriority = machine.effectivePriority();
  }

  private InetAddress chooseSource(InterfaceState advertIface, InterfaceState base)
      throws IOException {
    if (config.unicastSource() != null) {
      return config.unicastSource();
    }
    InetAddress source =
        wire.family() == IpFamily.IPV4
            ? first(advertIface.ipv4(), base.ipv4())
            : first(advertIface.ipv6LinkLocal(), base.ipv6LinkLocal());
    if (source == null) {
      throw new IOException(
          config.name()
              + ": "
              + base.name()
              + " has no "
              + wire.family()
              + " address to send from");
    }
    return source;
  }

  private static InetAddress first(InetAddress a, InetAddress b) {
    return a != null ? a : b;
  }

  /**
   * Leaves INITIALIZE: stale virtual addresses from a crashed predecessor are removed first, and
   * with health checks the instance waits for each check's first result, as keepalived does.
   */
  void start() {
    holder.clearStale();
    awaitingFirstResults = checks.size();
    if (awaitingFirstResults == 0) {
      startMachine();
    }
    checks.forEach(HealthCheckRunner::start);
  }

  private void startMachine() {
    machine.start(loop.nanoTime());
    rearm();
  }

  private void checkResult(HealthCheckRunner runner, boolean healthy) {
    trackedChanged(runner.handle(), healthy);
    if (awaitingFirstResults > 0 && reported.add(runner) && --awaitingFirstResults == 0) {
      startMachine();
    }
  }

  VrrpStateMachine machine() {
    return machine;
  }

  // ---- inputs, on the loop ---------------------------------------------------------------

  /** A datagram for this version and VRID arrived on the interface's shared socket. */
  private void onDatagram(ReceivedDatagram datagram) {
    try {
      decoder.wrap(datagram);
    } catch (MalformedPacketException e) {
      drops.increment(e);
      return;
    }
    onPacket(decoder);
  }

  /** A packet for this VRID, wrapped. */
  void onPacket(VrrpPacketDecoder packet) {
    VrrpDropReason reason = validator.validate(packet, true, wallNanos());
    if (reason != null) {
      drops.increment(reason);
      if (isHmac(reason)) {
        logHmacRefusal(packet, reason);
      } else if (isAuthentication(reason) && authLog.permit(loop.nanoTime())) {
        // Two masters that cannot authenticate each other are both master: say so, never the key.
        log.warn(
            "({}) advert from {} failed authentication ({}); both ends must use the same {}"
                + " secret ({} more held back)",
            config.name(),
            AddressText.of(packet.source()),
            reason,
            wire.authType(),
            authLog.suppressedAndReset());
      }
      return;
    }
    if (validator.acceptedWithHmac()) {
      warnOfClockSkew(packet);
    }
    VrrpAdvertDecoder advert = packet.advert();
    if (packet.hasAh()) {
      lastAhSequence = packet.ahSequence();
      if (machine.role() == Role.BACKUP) {
        // keepalived: a backup that accepts an AH advert is in step again, cycle or not.
        ahCounter.clearCycle();
      }
    }
    int interval =
        wire.version() == 3 ? advert.intervalCentiseconds() : advert.advertIntervalSeconds() * 100;
    packet.copySource(receivedSource, 0);
    heardPriority = advert.priority();
    machine.onAdvert(loop.nanoTime(), advert.priority(), interval, receivedSource);
    rearm();
  }

  /** Why an auth_hmac advert was refused, rate-limited; the key never appears. */
  private void logHmacRefusal(VrrpPacketDecoder packet, VrrpDropReason reason) {
    if (!hmacLog.permit(loop.nanoTime())) {
      return;
    }
    String detail =
        switch (reason) {
          case HMAC_MISSING -> "no trailer, and this instance enforces auth_hmac";
          case HMAC_STALE ->
              "clock skew "
                  + hmacGuard.lastSkewSeconds()
                  + " s exceeds the window of "
                  + hmacGuard.windowSeconds()
                  + " s (check NTP, or a replay)";
          case HMAC_UNKNOWN_KEY -> "a key id this instance does not have";
          case HMAC_BAD -> "the HMAC does not verify: another key, or a forgery";
          case HMAC_REPLAYED -> "a sequence number already seen (a replay)";
          default -> "a malformed trailer";
        };
    log.warn(
        "({}) advert from {} refused by auth_hmac ({}): {} ({} more held back)",
        config.name(),
        AddressText.of(packet.source()),
        reason,
        detail,
        hmacLog.suppressedAndReset());
  }

  /** keepalived's early warning: an accepted advert whose clock is past half the window. */
  private void warnOfClockSkew(VrrpPacketDecoder packet) {
    HmacAuthentication hmac = signing.hmacAuthentication();
    int skew = hmacGuard.lastSkewSeconds();
    if (hmac.antiReplay() == HmacAntiReplay.TIME
        && Math.abs((long) skew) > hmacGuard.windowSeconds() / 2
        && skewLog.permit(loop.nanoTime())) {
      log.warn(
          "({}) auth_hmac clock skew {} s from {} approaching the window of {} s",
          config.name(),
          skew,
          AddressText.of(packet.source()),
          hmacGuard.windowSeconds());
    }
  }

  private static boolean isHmac(VrrpDropReason reason) {
    return switch (reason) {
      case HMAC_MISSING, HMAC_MALFORMED, HMAC_STALE, HMAC_UNKNOWN_KEY, HMAC_BAD, HMAC_REPLAYED ->
          true;
      default -> false;
    };
  }

  @Override
  public void reloadAuthHmac(HmacAuthentication hmac) {
    VrrpWireConfig next = wire.withHmacAuthentication(hmac);
    loop.execute(() -> applyAuthHmac(next));
  }

  private void applyAuthHmac(VrrpWireConfig next) {
    HmacAuthentication hmac = next.hmacAuthentication();
    HmacReplayGuard guard = replayGuard(next);
    if (guard != null && hmacGuard != null) {
      guard.continueFrom(hmacGuard);
    }
    encoder = new VrrpPacketEncoder(next);
    validator = new VrrpAdvertValidator(next, ahCounter, guard);
    hmacGuard = guard;
    signing = next;
    log.info("({}) auth_hmac reloaded: {}", config.name(), hmac == null ? "none" : hmac.toString());
  }

  /** {@return the auth_hmac replay state {@code wire} needs, or null without auth_hmac} */
  private static HmacReplayGuard replayGuard(VrrpWireConfig wire) {
    HmacAuthentication hmac = wire.hmacAuthentication();
    return hmac == null
        ? null
        : new HmacReplayGuard(hmac, wire.intervalCentiseconds(), wire.unicastPeers().size());
  }

  /** The wall clock as auth_hmac reads it, without allocating: the start's, moved on. */
  private long wallNanos() {
    return wallNanosAtStart + (loop.nanoTime() - nanosAtStart);
  }

  private static boolean isAuthentication(VrrpDropReason reason) {
    return switch (reason) {
      case AUTH_TYPE_MISMATCH, AUTH_FAILURE, BAD_ICV, BAD_SPI, AH_MISMATCH -> true;
      default -> false;
    };
  }

  /** What the address holder tells this instance, on the loop. */
  private final class HolderEvents implements AddressHolder.Events {
    @Override
    public void addressesLost() {
      if (!closed && machine != null && machine.role() == Role.MASTER) {
        // priority 0 goes out on MASTER -> FAULT; the holder retries after addressRetry.
        trackedChanged(addressHandle, false);
      }
    }

    @Override
    public void retryDue() {
      if (!closed) {
        trackedChanged(addressHandle, true);
      }
    }

    @Override
    public void linkChanged(String iface, boolean up) {
      if (machine == null) {
        return;
      }
      if (up && iface.equals(advertIface)) {
        refreshSource();
      }
      if (iface.equals(tracker.name(trackedSelf))) {
        trackedChanged(trackedSelf, up);
      }
      for (int i = 0; i < trackedInterfaceHandles.length; i++) {
        if (config.trackedInterfaces().get(i).name().equals(iface)) {
          trackedChanged(trackedInterfaceHandles[i], up);
        }
      }
    }
  }

  /**
   * The interface may have been deleted and created again: over IPv6, send from its current
   * link-local address (the holder announces from its current MAC).
   */
  private void refreshSource() {
    if (wire.family() != IpFamily.IPV6 || config.unicastSource() != null) {
      return;
    }
    try {
      InterfaceState now = platform.interfaceState(advertIface);
      if (now.ipv6LinkLocal() != null) {
        sourceIpv6 = now.ipv6LinkLocal().getAddress();
      }
    } catch (IOException e) {
      log.warn("({}) cannot read {}: {}", config.name(), advertIface, e.getMessage());
    }
  }

  private void trackedChanged(int handle, boolean up) {
    if (closed || !tracker.set(handle, up)) {
      return;
    }
    long now = loop.nanoTime();
    machine.setEffectivePriority(now, tracker.effectivePriority());
    effectivePriority = machine.effectivePriority();
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
    machine.setFault(now, fault != null, reason);
    rearm();
  }

  private void onElectionTimer() {
    if (!closed) {
      long now = loop.nanoTime();
      // A takeover is timed from the deadline that expired, so the timer's own wake-up counts.
      decidedAt = armedDeadline <= now ? armedDeadline : now;
      machine.onTimer(now);
      rearm();
      decidedAt = 0;
    }
  }

  private void rearm() {
    long deadline = machine.nextDeadline();
    if (deadline == VrrpStateMachine.NO_DEADLINE) {
      electionTimer.cancel();
    } else if (!electionTimer.isScheduled() || electionTimer.deadlineNanos() != deadline) {
      electionTimer.scheduleAt(deadline);
      armedDeadline = deadline;
    }
  }

  // ---- ElectionActions -------------------------------------------------------------------

  @Override
  public void sendAdvert(int priority, int intervalCentis, AdvertCause cause) {
    if (cause == AdvertCause.ANSWER_LOWER_PRIORITY) {
      answerLowerPriority(priority, intervalCentis);
      return;
    }
    send(priority, cause);
    if (cause == AdvertCause.BECOME_MASTER) {
      firstAdvertAt = loop.nanoTime();
    }
  }

  /**
   * Another master is on the link (a partition healed, or this process stalled while a backup took
   * over): as keepalived does, answer with an advert so it steps down, and announce the addresses
   * again so clients that followed the other master come back. Rate-limited.
   */
  private void answerLowerPriority(int priority, int intervalCentis) {
    if (!holder.answerAnotherMaster()) {
      return;
    }
    if (answerLog.permit(loop.nanoTime())) {
      log.warn(
          "({}) advert from {} with priority {}, ours {}: forcing a new election ({} more"
              + " answers held back)",
          config.name(),
          AddressText.of(receivedSource),
          heardPriority,
          priority,
          answerLog.suppressedAndReset());
    }
    if (!config.lowerPriorityNoAdvert()) {
      send(priority, AdvertCause.ANSWER_LOWER_PRIORITY);
    }
    holder.announce();
  }

  private void send(int priority, AdvertCause cause) {
    if (ahCounter != null) {
      if (cause == AdvertCause.BECOME_MASTER) {
        ahCounter.onBecomeMaster();
      } else if (cause == AdvertCause.ANSWER_LOWER_PRIORITY) {
        ahCounter.syncAfterLowerPriority(lastAhSequence);
      }
    }
    // keepalived numbers each advert once: unicast copies share the IP ID and AH sequence.
    identification = identification == 0xFFFF ? 1 : identification + 1;
    long sequence = ahCounter != null ? ahCounter.nextForSend() : 0;
    // keepalived 2.4.3 signs once per advert: every unicast copy carries one sequence.
    long hmacSequence = encoder.signsHmac() ? hmacGuard.nextSendSequence(wallNanos()) : 0;
    for (int i = 0; i < destinationIndex.length; i++) {
      int length =
          wire.family() == IpFamily.IPV4
              ? encoder.encodeIpv4(
                  sendBuffer,
                  0,
                  priority,
                  sourceIpv4,
                  destinationIpv4[i],
                  identification,
                  sequence,
                  hmacSequence)
              : encoder.encodeIpv6(
                  sendBuffer, 0, priority, sourceIpv6, destinationIpv6[i], hmacSequence);
      SendOutcome outcome = channel.send(sendBuffer, 0, length, destinationIndex[i]);
      if (outcome.isSent()) {
        advertsSent.incrementAndGet();
        if (priority == 0) {
          priorityZeroSent.incrementAndGet();
        }
      } else {
        // The platform logs why (rate-limited); here it is counted as not sent.
        drops.increment(
            outcome == SendOutcome.BUFFER_FULL
                ? VrrpDropReason.SEND_BUFFER_FULL
                : VrrpDropReason.SEND_REFUSED);
      }
    }
  }

  @Override
  public void transition(Role from, Role to, TransitionReason reason) {
    if (to == Role.MASTER) {
      if (!holder.hold()) {
        // Never report a role this host cannot serve: the holder tells us to leave for FAULT
        // (priority 0 tells the peers to take over at once) once this transition is finished.
        rearm();
        return;
      }
      long addedAt = loop.nanoTime();
      holder.announce();
      reportTakeover(reason, addedAt, loop.nanoTime());
    } else if (from == Role.MASTER) {
      holder.release();
      if (ahCounter != null && to == Role.BACKUP) {
        ahCounter.clearCycle();
      }
    }
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
              + AddressText.of(receivedSource)
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

  /** Tells takeover listeners how long each step of becoming master took. */
  private void reportTakeover(TransitionReason reason, long addedAt, long announcedAt) {
    if (takeoverListeners.isEmpty()) {
      return;
    }
    // An owner or a sync-group member moves without a timer of its own: count from the advert.
    long start = decidedAt != 0 ? decidedAt : firstAdvertAt;
    Takeover takeover =
        new Takeover(
            reason,
            Duration.ofNanos(firstAdvertAt - start),
            Duration.ofNanos(addedAt - start),
            Duration.ofNanos(announcedAt - start));
    for (java.util.function.Consumer<Takeover> l : takeoverListeners) {
      try {
        l.accept(takeover);
      } catch (RuntimeException e) {
        log.warn("({}) takeover listener failed", config.name(), e);
      }
    }
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
    closed = true;
    electionTimer.cancel();
    checks.forEach(HealthCheckRunner::stop);
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
          tracker.setBase(priority);
          effectivePriority = tracker.effectivePriority();
          if (machine != null) {
            machine.setEffectivePriority(loop.nanoTime(), effectivePriority);
          }
        });
  }

  @Override
  public void addTakeoverListener(java.util.function.Consumer<Takeover> listener) {
    takeoverListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
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
            trackedChanged(relinquishHandle, false);
          }
        });
  }

  @Override
  public void rejoin() {
    relinquishRequested = false;
    loop.execute(
        () -> {
          if (machine != null) {
            trackedChanged(relinquishHandle, true);
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
        advertsSent.get(),
        m == null ? 0 : m.counters().priorityZeroReceived(),
        priorityZeroSent.get(),
        holder.answersSuppressed(),
        holder.failures(),
        holder.restored(),
        drops.snapshot());
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
