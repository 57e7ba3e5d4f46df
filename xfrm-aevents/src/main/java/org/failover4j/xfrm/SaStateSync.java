package org.failover4j.xfrm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
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
 *       in {@link #drops()}) and keeps the latest state per SA, never moving an SA's outbound
 *       sequence number backwards.
 *   <li>On {@code becameMaster} it installs every held state with NEWAE: the outbound sequence
 *       number moved ahead by the {@link TakeoverMargin} (or near the end of the sequence space,
 *       {@link TakeoverPolicy#NEAR_LIMIT}), the inbound window and the lifetime counters (bytes
 *       included) as synced. The {@link TakeoverReport} says per SA what was installed or why not.
 * </ul>
 *
 * <p>All work happens on the given {@link EventLoop}; the public methods may be called from any
 * thread. The takeover listener runs on the loop.
 */
public final class SaStateSync implements RoleListener, AeventListener, AutoCloseable {

  /** How many SA states go into one datagram (an ESN state with a full bitmap is ~600 bytes). */
  static final int STATES_PER_MESSAGE = 16;

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
  private final Consumer<TakeoverReport> onTakeover;
  private final Map<SaKey, Aevent> states = new ConcurrentHashMap<>();
  private final DropCounters<XfrmDropReason> drops = new DropCounters<>(XfrmDropReason.class);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong eventsLost = new AtomicLong();
  private final ByteBuffer out = ByteBuffer.allocate(65_507);
  private Timer resend;
  private volatile Role role = Role.INITIALIZE;
  private volatile TakeoverReport lastReport;
  private long counter;
  private boolean closed;

  private SaStateSync(Builder b) {
    this.loop = b.loop;
    this.kernel = b.kernel;
    this.transport = b.transport;
    this.authenticator = new SyncAuthenticator(b.key);
    this.nodeId = b.nodeId;
    this.margin = b.margin;
    this.policy = b.policy;
    this.resendNanos = b.resendInterval.toNanos();
    this.onTakeover = b.onTakeover;
  }

  /** {@return a builder; the loop, kernel, transport, key and node id are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts receiving from the transport.
   *
   * @throws IOException when the transport cannot start
   */
  public void start() throws IOException {
    transport.start(bytes -> loop.execute(() -> receive(bytes)));
  }

  /**
   * Asks the kernel for the state of SA {@code sa} (mark {@code mark}, null for none) and keeps it,
   * so it is synced even before its first event.
   *
   * @param sa the SA
   * @param mark its mark, or null for none
   */
  public void track(SaId sa, XfrmMark mark) {
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

  /**
   * Rejected sync datagrams (forged, replayed, malformed) and malformed events, by reason.
   *
   * @return the counters, live
   */
  public DropCounters<XfrmDropReason> drops() {
    return drops;
  }

  /**
   * Sync datagrams sent.
   *
   * @return the count
   */
  public long sentMessages() {
    return sent.get();
  }

  /**
   * Sync datagrams accepted (authentic and new).
   *
   * @return the count
   */
  public long acceptedMessages() {
    return accepted.get();
  }

  /**
   * Times the kernel reported lost events.
   *
   * @return the count
   */
  public long eventsLostCount() {
    return eventsLost.get();
  }

  @Override
  public void roleChanged(RoleChangeEvent event) {
    loop.execute(() -> onRole(event.to()));
  }

  @Override
  public void onAevent(Aevent event) {
    loop.execute(() -> onKernelEvent(event));
  }

  @Override
  public void eventsLost() {
    eventsLost.incrementAndGet();
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

  /** Stops sending and receiving and closes the transport (on the loop, after pending work). */
  @Override
  public void close() {
    try {
      loop.execute(
          () -> {
            closed = true;
            if (resend != null) {
              resend.cancel();
            }
            transport.close();
          });
    } catch (RuntimeException e) {
      transport.close(); // the loop is gone: nothing can send any more
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
      takeover();
      sendAll();
      resend.scheduleAfter(resendNanos);
    } else if (to != Role.MASTER) {
      resend.cancel();
    }
  }

  private void onKernelEvent(Aevent event) {
    if (closed || role != Role.MASTER) {
      return; // a backup's SAs are idle; its own NEWAE echoes are not news to anyone
    }
    Aevent merged = merge(event);
    send(List.of(merged));
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
   * and never letting the outbound sequence number go back.
   */
  private Aevent merge(Aevent update) {
    SaKey key = SaKey.of(update);
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
      results.add(install(state));
    }
    TakeoverReport report = new TakeoverReport(loop.now(), results);
    lastReport = report;
    log.info("SA takeover: {} of {} SAs installed", report.installed(), results.size());
    if (onTakeover != null) {
      try {
        onTakeover.accept(report);
      } catch (RuntimeException e) {
        log.warn("takeover listener failed", e);
      }
    }
  }

  private SaInstallResult install(Aevent state) {
    Optional<Long> synced = state.outboundSequence();
    if (synced.isEmpty()) {
      return new SaInstallResult.NotInstalled(
          state.sa(), state.mark(), SaInstallResult.Reason.NO_REPLAY_STATE, "no replay state");
    }
    boolean esn = state.replayEsn().isPresent();
    long limit = esn ? -1L : 0xffff_ffffL; // the unsigned maximum of the sequence space
    long step = margin.packets(state.replayThreshold());
    long target = synced.get() + step;
    if (Long.compareUnsigned(target, synced.get()) < 0 || Long.compareUnsigned(target, limit) > 0) {
      target = limit;
    }
    if (policy == TakeoverPolicy.NEAR_LIMIT
        && Long.compareUnsigned(limit - step, target) > 0
        && Long.compareUnsigned(step, limit) < 0) {
      target = limit - step;
    }
    Aevent.Builder values = Aevent.builder(state.sa()).source(state.source()).reqid(state.reqid());
    state.mark().ifPresent(values::mark);
    if (esn) {
      values.replayEsn(state.replayEsn().get().withOutboundSequence64(target));
    } else {
      ReplayState r = state.replay().get();
      values.replay(new ReplayState((int) target, r.inboundSequence(), r.bitmap()));
    }
    state.lifetime().ifPresent(values::lifetime);
    try {
      kernel.setAe(values.flags(EnumSet.of(AeFlag.RVAL, AeFlag.LVAL)).build());
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
        synced.get(),
        target,
        state.lifetime().map(LifetimeCounters::bytes).orElse(-1L),
        target == limit);
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
    private Consumer<TakeoverReport> onTakeover;

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
      this.key = value.clone();
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
      this.margin = Objects.requireNonNull(value, "margin");
      return this;
    }

    /**
     * The takeover policy (default {@link TakeoverPolicy#SKIP_AHEAD}).
     *
     * @param value the policy
     * @return this builder
     */
    public Builder policy(TakeoverPolicy value) {
      this.policy = Objects.requireNonNull(value, "policy");
      return this;
    }

    /**
     * How often the master resends its whole table (default 1 s), for a restarted backup.
     *
     * @param value the interval
     * @return this builder
     */
    public Builder resendInterval(Duration value) {
      this.resendInterval = Objects.requireNonNull(value, "resendInterval");
      return this;
    }

    /**
     * Called on the loop with each takeover's report.
     *
     * @param value the callback
     * @return this builder
     */
    public Builder onTakeover(Consumer<TakeoverReport> value) {
      this.onTakeover = value;
      return this;
    }

    /** {@return the sync, not yet started} */
    public SaStateSync build() {
      Objects.requireNonNull(loop, "loop");
      Objects.requireNonNull(kernel, "kernel");
      Objects.requireNonNull(transport, "transport");
      if (key == null || key.length < 16) {
        throw new IllegalArgumentException("key: need at least 16 bytes");
      }
      if (!nodeIdSet) {
        throw new IllegalArgumentException("nodeId: required");
      }
      if (resendInterval.isNegative() || resendInterval.isZero()) {
        throw new IllegalArgumentException("resendInterval: must be positive");
      }
      return new SaStateSync(this);
    }
  }
}
