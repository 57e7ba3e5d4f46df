package org.failover4j.xfrm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.failover4j.api.BeforeTakeover;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.ListenerSet;
import org.failover4j.api.LoopCall;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.RoleSource;
import org.failover4j.api.SourceLifecycle;
import org.failover4j.api.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps IPsec SA state in step between a master and a backup so the backup can take the SAs over
 * without reusing sequence numbers. One object serves both roles, following the election it listens
 * to ({@code vrrpInstance.addListener(saSync)}):
 *
 * <ul>
 *   <li>As master it takes the kernel's aevents (subscribe it: {@code client.subscribe(loop,
 *       saSync)}), keeps the latest state per SA, and sends each change, plus the whole table every
 *       {@code resendInterval}, to the peer over a {@link SyncTransport}, sealed with HMAC-SHA256
 *       and a replay-checked counter ({@link SyncAuthenticator}). When the kernel dropped events it
 *       asks for every known SA's state again (GETAE).
 *   <li>As backup it verifies what arrives (forged and replayed datagrams are dropped and counted
 *       in {@link #statistics()}) and keeps the latest state per SA, never moving an SA's outbound
 *       sequence number backwards.
 *   <li>On {@code becameMaster} it installs every held state with NEWAE: the outbound sequence
 *       number moved ahead by the {@link TakeoverMargin} (or near the end of the sequence space,
 *       {@link TakeoverPolicy#NEAR_LIMIT}), the inbound window and the lifetime counters (bytes
 *       included) as synced. The {@link TakeoverReport} says per SA what was installed or why not;
 *       takeover listeners ({@link #addTakeoverListener}) get it where role listeners run.
 *   <li>Registered as a {@link BeforeTakeover} hook too ({@code vrrpInstance.addBeforeTakeover(
 *       saSync)}), it installs them before the virtual address is added: nothing leaves from the
 *       address with the stale counters while the role event is on its way. {@code becameMaster}
 *       then installs nothing again.
 *   <li>In either role it forgets an SA its own kernel deleted ({@code XFRM_MSG_DELSA} or a hard
 *       {@code XFRM_MSG_EXPIRE}, heard through the subscription): the master stops resending it,
 *       and for {@link #DELETED_FOR_RESENDS} resend intervals a late aevent or sync message does
 *       not bring it back unless the kernel has the SA again. A takeover also forgets an SA the new
 *       master's kernel does not have ({@link SaInstallResult.Reason#NO_SUCH_SA}; the report still
 *       lists it).
 * </ul>
 *
 * <pre>{@code
 * SaStateSync saSync = SaStateSync.builder().loop(loop).kernel(client).transport(transport)
 *     .key(key).nodeId(1).build();                // InvalidConfigurationException names the field
 * saSync.start();                                 // receives from the transport
 * saSync.addTakeoverListener(report -> ...);      // on the library's listener threads
 * saSync.statistics();                            // messages sent and accepted, drops by reason
 * saSync.close();                                 // waits, bounded, for takeover listeners
 * }</pre>
 *
 * <p>All work happens on the given {@link EventLoop}; the public methods may be called from any
 * thread.
 */
public final class SaStateSync implements RoleSource, RoleListener, AeventListener, BeforeTakeover {

  /** How many SA states go into one datagram (an ESN state with a full bitmap is ~600 bytes). */
  static final int STATES_PER_MESSAGE = 16;

  /**
   * How long, in resend intervals, a deleted SA's state is refused: the master's messages sent
   * before its own kernel deleted the SA arrive within it (its resends stop once it has).
   */
  public static final int DELETED_FOR_RESENDS = 10;

  private static final Logger log = LoggerFactory.getLogger(SaStateSync.class);
  private static final EnumSet<AeFlag> THRESHOLDS = EnumSet.of(AeFlag.RTHR, AeFlag.ETHR);

  /** An SA as the kernel tells them apart: (daddr, spi, proto) and the mark. */
  record SaKey(SaId sa, Optional<XfrmMark> mark) {
    static SaKey of(Aevent ae) {
      return new SaKey(ae.sa(), ae.mark());
    }
  }

  private final EventLoop loop;
  private final SaKernel kernel;
  private final SyncTransport transport;
  private final SyncAuthenticator authenticator;
  private final SaSyncCodec codec = new SaSyncCodec();
  private final int nodeId;
  private final TakeoverMargin margin;
  private final TakeoverPolicy policy;
  private final long resendNanos;
  private final long deletedNanos;
  private final Duration listenerShutdownTimeout;
  private final SourceLifecycle life = new SourceLifecycle("the SA state sync");
  private final ListenerSet<Consumer<TakeoverReport>, TakeoverReport> takeoverListeners =
      new ListenerSet<>("takeover listener", Consumer::accept);
  private final Map<SaKey, Aevent> states = new ConcurrentHashMap<>();
  private final Map<SaKey, Long> deletedAt = new HashMap<>(); // loop.nanoTime(); loop thread only
  private final DropCounters<XfrmDropReason> drops = new DropCounters<>(XfrmDropReason.class);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong eventsLost = new AtomicLong();
  private final AtomicLong takeovers = new AtomicLong();
  private final ByteBuffer out = ByteBuffer.allocate(65_507);
  private Timer resend;
  private volatile Role role = Role.INITIALIZE;
  private volatile TakeoverReport lastReport;
  private long counter;
  private boolean closed;
  private boolean installedBeforeTakeover;

  private SaStateSync(Builder b) {
    this.loop = b.loop;
    this.kernel = b.kernel;
    this.transport = b.transport;
    this.authenticator = new SyncAuthenticator(b.key);
    this.nodeId = b.nodeId;
    this.margin = b.margin;
    this.policy = b.policy;
    this.resendNanos = b.resendInterval.toNanos();
    this.deletedNanos = DELETED_FOR_RESENDS * resendNanos;
    this.listenerShutdownTimeout = b.listenerShutdownTimeout;
  }

  /** {@return a builder; the loop, kernel, transport, key and node id are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts receiving from the transport.
   *
   * @throws IOException when the transport cannot start; the sync is then FAILED
   */
  @Override
  public void start() throws IOException {
    synchronized (life) {
      life.requireNew();
      try {
        transport.start(bytes -> loop.execute(() -> receive(bytes)));
      } catch (IOException | RuntimeException e) {
        life.markFailed(e);
        throw e;
      }
      life.markStarted();
    }
  }

  @Override
  public State state() {
    return life.state();
  }

  /**
   * Registers a takeover listener called on the library's listener threads, as role listeners are,
   * with each takeover's report.
   *
   * @param listener the listener
   */
  public void addTakeoverListener(Consumer<TakeoverReport> listener) {
    addTakeoverListener(listener, ListenerSet.listenerThreads());
  }

  /**
   * Registers a takeover listener called on {@code executor}, one report at a time; {@code
   * Runnable::run} calls it on the loop (then it must not block).
   *
   * @param listener the listener
   * @param executor where to call it
   */
  public void addTakeoverListener(Consumer<TakeoverReport> listener, Executor executor) {
    takeoverListeners.add(listener, executor);
  }

  /**
   * Unregisters a takeover listener; a report already handed to its executor may still arrive.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean removeTakeoverListener(Consumer<TakeoverReport> listener) {
    return takeoverListeners.remove(listener);
  }

  /**
   * Asks the kernel for the state of SA {@code sa} (mark {@code mark}, null for none) and keeps it,
   * so it is synced even before its first event.
   *
   * @param sa the SA
   * @param mark its mark, or null for none
   */
  public void track(SaId sa, XfrmMark mark) {
    life.requireNotClosed();
    loop.execute(() -> refresh(new SaKey(sa, Optional.ofNullable(mark))));
  }

  /** {@return the latest state held per SA} */
  public List<Aevent> states() {
    return List.copyOf(states.values());
  }

  /**
   * {@return the latest state held for {@code sa} with mark {@code mark} (null: none)}
   *
   * @param sa the SA
   * @param mark its mark, or null for none
   */
  public Optional<Aevent> state(SaId sa, XfrmMark mark) {
    return Optional.ofNullable(states.get(new SaKey(sa, Optional.ofNullable(mark))));
  }

  /** {@return the role this sync last heard of} */
  public Role role() {
    return role;
  }

  /** {@return the report of the last takeover, if one happened} */
  public Optional<TakeoverReport> lastReport() {
    return Optional.ofNullable(lastReport);
  }

  @Override
  public SaSyncStatistics statistics() {
    return new SaSyncStatistics(
        sent.get(), accepted.get(), eventsLost.get(), takeovers.get(), drops.snapshot());
  }

  /** Follows the role; ignored once closed (a role source may still be telling it). */
  @Override
  public void roleChanged(RoleChangeEvent event) {
    if (!life.isClosed()) {
      loop.execute(() -> onRole(event.to()));
    }
  }

  /**
   * Installs the held states now, before the role source adds the virtual address; waits for this
   * sync's loop when it is another thread than the caller's.
   */
  @Override
  public void beforeTakeover() {
    if (life.isClosed()) {
      return;
    }
    try {
      LoopCall.callUninterruptibly(
          loop,
          () -> {
            if (!closed && role != Role.MASTER && !installedBeforeTakeover) {
              installedBeforeTakeover = true;
              takeover();
            }
            return null;
          });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // never: the task throws none
    }
  }

  @Override
  public void onAevent(Aevent event) {
    if (!life.isClosed()) {
      loop.execute(() -> onKernelEvent(event));
    }
  }

  /** Forgets the SA's state, in either role: its kernel deleted it. */
  @Override
  public void saDeleted(SaDeletion deletion) {
    if (!life.isClosed()) {
      loop.execute(() -> forget(new SaKey(deletion.sa(), deletion.mark())));
    }
  }

  @Override
  public void eventsLost() {
    eventsLost.incrementAndGet();
    if (life.isClosed()) {
      return;
    }
    loop.execute(
        () -> {
          if (role == Role.MASTER) {
            for (SaKey key : List.copyOf(states.keySet())) {
              refresh(key);
            }
            sendAll();
          }
        });
  }

  /**
   * Stops sending and receiving, closes the transport (on the loop, after pending work), and waits
   * at most the builder's {@link Builder#listenerShutdownTimeout} for takeover listeners.
   */
  @Override
  public void close() {
    close(listenerShutdownTimeout);
  }

  /**
   * As {@link #close()}, waiting at most {@code listenerTimeout} for takeover listeners. The
   * transport is closed even when the loop was closed first.
   *
   * @param listenerTimeout how long to wait for listeners at most
   */
  @Override
  public void close(Duration listenerTimeout) {
    synchronized (life) {
      if (!life.close()) {
        return;
      }
    }
    try {
      LoopCall.callUninterruptibly(
          loop,
          () -> {
            closed = true;
            if (resend != null) {
              resend.cancel();
            }
            return null;
          });
    } catch (IOException | RuntimeException e) {
      log.debug("SA state sync closing without its loop: {}", e.toString());
    } finally {
      transport.close();
    }
    try {
      if (!takeoverListeners.awaitIdle(listenerTimeout)) {
        log.warn(
            "takeover listeners still busy after {} ms; closing without them",
            listenerTimeout.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onRole(Role to) {
    if (closed) {
      return;
    }
    Role from = role;
    role = to;
    if (resend == null) {
      resend = loop.newTimer(this::resendAll); // roles may arrive before start()
    }
    if (to == Role.MASTER && from != Role.MASTER) {
      if (!installedBeforeTakeover) {
        takeover();
      }
      installedBeforeTakeover = false;
      sendAll();
      resend.scheduleAfter(resendNanos);
    } else if (to != Role.MASTER) {
      installedBeforeTakeover = false; // the takeover failed (FAULT) or was undone
      resend.cancel();
    }
  }

  private void onKernelEvent(Aevent event) {
    if (closed || role != Role.MASTER) {
      return; // a backup's SAs are idle; its own NEWAE echoes are not news to anyone
    }
    Aevent merged = merge(event);
    if (merged != null) {
      send(List.of(merged));
    }
  }

  private void forget(SaKey key) {
    if (closed) {
      return;
    }
    long now = loop.nanoTime();
    deletedAt.values().removeIf(at -> now - at > deletedNanos); // bounded by recent deletions
    deletedAt.put(key, now);
    if (states.remove(key) != null) {
      log.debug("forgot {}: its kernel deleted it", key.sa());
    }
  }

  private void refresh(SaKey key) {
    try {
      merge(kernel.getAe(key.sa(), key.mark().orElse(null), THRESHOLDS));
    } catch (NoSuchSaException e) {
      states.remove(key);
    } catch (IOException | MalformedPacketException e) {
      log.warn("could not read {}: {}", key.sa(), e.getMessage());
    }
  }

  /**
   * Stores {@code update} as the SA's latest state, keeping thresholds it lacks (events carry none)
   * and never letting the outbound sequence number go back; null when the SA was deleted moments
   * ago (a late message must not bring it back).
   */
  private Aevent merge(Aevent update) {
    SaKey key = SaKey.of(update);
    if (stillDeleted(key)) {
      return null;
    }
    Aevent old = states.get(key);
    Aevent merged = update;
    if (old != null) {
      Aevent.Builder b = update.toBuilder();
      if (update.replayThreshold().isEmpty() && old.replayThreshold().isPresent()) {
        b.replayThreshold(old.replayThreshold().getAsInt());
      }
      if (update.etimerThreshold().isEmpty() && old.etimerThreshold().isPresent()) {
        b.etimerThreshold(old.etimerThreshold().getAsInt());
      }
      merged = b.build();
      Optional<Long> before = old.outboundSequence();
      Optional<Long> now = update.outboundSequence();
      if (before.isPresent()
          && now.isPresent()
          && Long.compareUnsigned(now.get(), before.get()) < 0) {
        return old; // stale: an older state overtaken on the way
      }
    }
    states.put(key, merged);
    return merged;
  }

  /**
   * True when this node's kernel deleted the SA less than {@link #DELETED_FOR_RESENDS} resend
   * intervals ago and has not created it again (asked with GETAE: the kernel is the truth, so an SA
   * created again with the same SPI is synced at once). Past the window the state is taken as it
   * comes; a takeover forgets it if the kernel still lacks the SA.
   */
  private boolean stillDeleted(SaKey key) {
    Long at = deletedAt.get(key);
    if (at == null) {
      return false;
    }
    if (loop.nanoTime() - at <= deletedNanos && !kernelHas(key)) {
      return true;
    }
    deletedAt.remove(key);
    return false;
  }

  private boolean kernelHas(SaKey key) {
    try {
      kernel.getAe(key.sa(), key.mark().orElse(null), EnumSet.noneOf(AeFlag.class));
      return true;
    } catch (NoSuchSaException e) {
      return false;
    } catch (IOException | MalformedPacketException e) {
      log.warn("could not read {}: {}", key.sa(), e.getMessage());
      return true; // keep the state: losing it could reuse sequence numbers at a takeover
    }
  }

  private void resendAll() {
    if (!closed && role == Role.MASTER) {
      sendAll();
      resend.scheduleAfter(resendNanos);
    }
  }

  private void sendAll() {
    List<Aevent> all = List.copyOf(states.values());
    for (int i = 0; i < all.size(); i += STATES_PER_MESSAGE) {
      send(all.subList(i, Math.min(all.size(), i + STATES_PER_MESSAGE)));
    }
  }

  private void send(List<Aevent> batch) {
    if (counter == 0) {
      // Microseconds of wall clock: a restarted sender continues above its old counters.
      Instant now = loop.now();
      counter = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
    counter++;
    out.clear();
    codec.encode(new SaSyncMessage(nodeId, counter, batch), out);
    authenticator.seal(out, 0);
    try {
      transport.send(out.flip());
      sent.incrementAndGet();
    } catch (IOException e) {
      log.warn("SA sync send failed: {}", e.toString());
    }
  }

  private void receive(byte[] datagram) {
    if (closed) {
      return;
    }
    SaSyncMessage message;
    try {
      ByteBuffer in = ByteBuffer.wrap(datagram);
      int length = authenticator.verify(in, 0, datagram.length);
      message = codec.decode(in, 0, length);
      if (message.senderId() == nodeId) {
        throw new MalformedPacketException(
            XfrmDropReason.SYNC_REPLAYED, "own message reflected back");
      }
      authenticator.accept(message.senderId(), message.counter());
    } catch (MalformedPacketException e) {
      drops.increment(e);
      log.debug("dropped an SA sync datagram: {}", e.getMessage());
      return;
    }
    accepted.incrementAndGet();
    if (role == Role.MASTER) {
      return; // two masters for a moment: our own kernel is the truth now
    }
    for (Aevent state : message.states()) {
      merge(state);
    }
  }

  private void takeover() {
    List<SaInstallResult> results = new ArrayList<>();
    for (Aevent state : List.copyOf(states.values())) {
      SaInstallResult result = install(state);
      if (result instanceof SaInstallResult.NotInstalled missing
          && missing.reason() == SaInstallResult.Reason.NO_SUCH_SA) {
        states.remove(SaKey.of(state)); // gone here too: nothing to install at the next takeover
      }
      results.add(result);
    }
    TakeoverReport report = new TakeoverReport(loop.now(), results);
    lastReport = report;
    takeovers.incrementAndGet();
    log.info("SA takeover: {} of {} SAs installed", report.installed(), results.size());
    takeoverListeners.publish(report);
  }

  private SaInstallResult install(Aevent state) {
    TakeoverPlanner.Plan plan = TakeoverPlanner.plan(state, margin, policy);
    if (plan instanceof TakeoverPlanner.Skip skip) {
      return skip.result();
    }
    TakeoverPlanner.Install install = (TakeoverPlanner.Install) plan;
    try {
      kernel.setAe(install.values());
    } catch (NoSuchSaException e) {
      return new SaInstallResult.NotInstalled(
          state.sa(), state.mark(), SaInstallResult.Reason.NO_SUCH_SA, e.getMessage());
    } catch (IOException e) {
      return new SaInstallResult.NotInstalled(
          state.sa(), state.mark(), SaInstallResult.Reason.KERNEL_ERROR, e.getMessage());
    }
    return new SaInstallResult.Installed(
        state.sa(),
        state.mark(),
        install.syncedSequence(),
        install.targetSequence(),
        install.lifetimeBytes(),
        install.exhausted());
  }

  /** Builds an {@link SaStateSync}. */
  public static final class Builder {
    private EventLoop loop;
    private SaKernel kernel;
    private SyncTransport transport;
    private byte[] key;
    private int nodeId;
    private boolean nodeIdSet;
    private TakeoverMargin margin = TakeoverMargin.defaults(AeventSysctls.KERNEL_DEFAULTS);
    private TakeoverPolicy policy = TakeoverPolicy.SKIP_AHEAD;
    private Duration resendInterval = Duration.ofSeconds(1);
    private Duration listenerShutdownTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The loop all work runs on.
     *
     * @param value the event loop
     * @return this builder
     */
    public Builder loop(EventLoop value) {
      this.loop = value;
      return this;
    }

    /**
     * The kernel to read and install SA state ({@link XfrmAeventClient}).
     *
     * @param value the kernel
     * @return this builder
     */
    public Builder kernel(SaKernel value) {
      this.kernel = value;
      return this;
    }

    /**
     * The channel to the peer ({@link UdpSyncTransport}).
     *
     * @param value the transport
     * @return this builder
     */
    public Builder transport(SyncTransport value) {
      this.transport = value;
      return this;
    }

    /**
     * The HMAC-SHA256 key both nodes share, at least 16 bytes (copied, never logged).
     *
     * @param value the key
     * @return this builder
     */
    public Builder key(byte[] value) {
      this.key = value == null ? null : value.clone();
      return this;
    }

    /**
     * This node's id; the two nodes need different ids.
     *
     * @param value the node id
     * @return this builder
     */
    public Builder nodeId(int value) {
      this.nodeId = value;
      this.nodeIdSet = true;
      return this;
    }

    /**
     * The takeover margin (default: {@link TakeoverMargin#defaults} of the kernel defaults).
     *
     * @param value the margin
     * @return this builder
     */
    public Builder margin(TakeoverMargin value) {
      this.margin = value;
      return this;
    }

    /**
     * The takeover policy (default {@link TakeoverPolicy#SKIP_AHEAD}).
     *
     * @param value the policy
     * @return this builder
     */
    public Builder policy(TakeoverPolicy value) {
      this.policy = value;
      return this;
    }

    /**
     * How often the master resends its whole table (default 1 s), for a restarted backup.
     *
     * @param value the interval
     * @return this builder
     */
    public Builder resendInterval(Duration value) {
      this.resendInterval = value;
      return this;
    }

    /**
     * How long {@link SaStateSync#close()} waits for takeover listeners; 0..10 min, default 5 s.
     *
     * @param value how long to wait at most
     * @return this builder
     */
    public Builder listenerShutdownTimeout(Duration value) {
      this.listenerShutdownTimeout = value;
      return this;
    }

    /**
     * {@return the sync, not yet started}
     *
     * @throws InvalidConfigurationException naming the missing or wrong field
     */
    public SaStateSync build() {
      InvalidConfigurationException.requirePresent("loop", loop);
      InvalidConfigurationException.requirePresent("kernel", kernel);
      InvalidConfigurationException.requirePresent("transport", transport);
      InvalidConfigurationException.requirePresent("key", key);
      if (key.length < 16) {
        // The length only: the key itself is never echoed.
        throw new InvalidConfigurationException(
            "key", "needs at least 16 bytes, was " + key.length);
      }
      if (!nodeIdSet) {
        throw new InvalidConfigurationException("nodeId", "is required");
      }
      InvalidConfigurationException.requirePresent("margin", margin);
      InvalidConfigurationException.requirePresent("policy", policy);
      InvalidConfigurationException.requirePresent("resendInterval", resendInterval);
      if (resendInterval.isNegative() || resendInterval.isZero()) {
        throw new InvalidConfigurationException(
            "resendInterval", "must be positive, was " + resendInterval);
      }
      InvalidConfigurationException.requireListenerShutdownTimeout(listenerShutdownTimeout);
      return new SaStateSync(this);
    }
  }
}
