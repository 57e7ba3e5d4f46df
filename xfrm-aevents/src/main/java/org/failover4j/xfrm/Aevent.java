package org.failover4j.xfrm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.failover4j.api.AddressText;

/**
 * One NEWAE or GETAE message body: {@code struct xfrm_aevent_id} and the attributes that may follow
 * it. As an event or a GETAE reply it is an SA's replay and lifetime state; as a NEWAE request it
 * is the state to install; as a GETAE request only {@link #sa}, {@link #flags} and {@link #mark}
 * matter.
 *
 * @param sa the SA ({@code sa_id})
 * @param source the SA's source address ({@code saddr}); the unspecified address in requests
 * @param flags the {@link AeFlag} bits, unknown bits kept
 * @param reqid the SA's request id
 * @param replay {@code XFRMA_REPLAY_VAL}, for SAs without extended sequence numbers
 * @param replayEsn {@code XFRMA_REPLAY_ESN_VAL}, for SAs with extended sequence numbers
 * @param lifetime {@code XFRMA_LTIME_VAL}
 * @param replayThreshold {@code XFRMA_REPLAY_THRESH}, in packets
 * @param etimerThreshold {@code XFRMA_ETIMER_THRESH}, in 100 ms units
 * @param mark {@code XFRMA_MARK}
 * @param ifId {@code XFRMA_IF_ID}
 */
public record Aevent(
    SaId sa,
    InetAddress source,
    int flags,
    int reqid,
    Optional<ReplayState> replay,
    Optional<ReplayStateEsn> replayEsn,
    Optional<LifetimeCounters> lifetime,
    OptionalInt replayThreshold,
    OptionalInt etimerThreshold,
    Optional<XfrmMark> mark,
    OptionalInt ifId) {

  /**
   * Checks nothing is missing and both addresses are of one family.
   *
   * @param sa the SA ({@code sa_id})
   * @param source the SA's source address ({@code saddr}); the unspecified address in requests
   * @param flags the {@link AeFlag} bits, unknown bits kept
   * @param reqid the SA's request id
   * @param replay {@code XFRMA_REPLAY_VAL}, for SAs without extended sequence numbers
   * @param replayEsn {@code XFRMA_REPLAY_ESN_VAL}, for SAs with extended sequence numbers
   * @param lifetime {@code XFRMA_LTIME_VAL}
   * @param replayThreshold {@code XFRMA_REPLAY_THRESH}, in packets
   * @param etimerThreshold {@code XFRMA_ETIMER_THRESH}, in 100 ms units
   * @param mark {@code XFRMA_MARK}
   * @param ifId {@code XFRMA_IF_ID}
   */
  public Aevent {
    Objects.requireNonNull(sa, "sa");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(replayEsn, "replayEsn");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(replayThreshold, "replayThreshold");
    Objects.requireNonNull(etimerThreshold, "etimerThreshold");
    Objects.requireNonNull(mark, "mark");
    Objects.requireNonNull(ifId, "ifId");
    if ((source instanceof Inet4Address) != (sa.destination() instanceof Inet4Address)) {
      throw new IllegalArgumentException(
          "source " + AddressText.of(source) + " and " + sa + " differ in address family");
    }
  }

  /**
   * {@return a builder for the SA {@code sa}, with the unspecified source and nothing else set}
   *
   * @param sa the SA ({@code sa_id})
   */
  public static Builder builder(SaId sa) {
    return new Builder(sa);
  }

  /** {@return a builder preset with every field of this message} */
  public Builder toBuilder() {
    Builder b = new Builder(sa);
    b.source = source;
    b.flags = flags;
    b.reqid = reqid;
    b.replay = replay;
    b.replayEsn = replayEsn;
    b.lifetime = lifetime;
    b.replayThreshold = replayThreshold;
    b.etimerThreshold = etimerThreshold;
    b.mark = mark;
    b.ifId = ifId;
    return b;
  }

  /** {@return the known flags} */
  public Set<AeFlag> flagSet() {
    return AeFlag.of(flags);
  }

  /**
   * {@return true when {@code flag} is set}
   *
   * @param flag the flag
   */
  public boolean has(AeFlag flag) {
    return (flags & flag.bit()) != 0;
  }

  /**
   * {@return the last outbound sequence number, 64-bit for ESN SAs, when the message carries replay
   * state}
   */
  public Optional<Long> outboundSequence() {
    if (replayEsn.isPresent()) {
      return Optional.of(replayEsn.get().outboundSequence64());
    }
    return replay.map(r -> Integer.toUnsignedLong(r.outboundSequence()));
  }

  /** Builds {@link Aevent}s; every optional part starts absent. */
  public static final class Builder {
    private final SaId sa;
    private InetAddress source;
    private int flags;
    private int reqid;
    private Optional<ReplayState> replay = Optional.empty();
    private Optional<ReplayStateEsn> replayEsn = Optional.empty();
    private Optional<LifetimeCounters> lifetime = Optional.empty();
    private OptionalInt replayThreshold = OptionalInt.empty();
    private OptionalInt etimerThreshold = OptionalInt.empty();
    private Optional<XfrmMark> mark = Optional.empty();
    private OptionalInt ifId = OptionalInt.empty();

    private Builder(SaId sa) {
      this.sa = Objects.requireNonNull(sa, "sa");
      this.source = unspecified(sa.family());
    }

    /**
     * Sets the source address.
     *
     * @param value the source address
     * @return this builder
     */
    public Builder source(InetAddress value) {
      this.source = value;
      return this;
    }

    /**
     * Sets the raw flag bits.
     *
     * @param value the flags
     * @return this builder
     */
    public Builder flags(int value) {
      this.flags = value;
      return this;
    }

    /**
     * Sets the flags.
     *
     * @param value the flags
     * @return this builder
     */
    public Builder flags(Set<AeFlag> value) {
      return flags(AeFlag.mask(value));
    }

    /**
     * Sets the request id.
     *
     * @param value the request id
     * @return this builder
     */
    public Builder reqid(int value) {
      this.reqid = value;
      return this;
    }

    /**
     * Sets the replay state (null: absent).
     *
     * @param value the replay state, or null
     * @return this builder
     */
    public Builder replay(ReplayState value) {
      this.replay = Optional.ofNullable(value);
      return this;
    }

    /**
     * Sets the ESN replay state (null: absent).
     *
     * @param value the ESN replay state, or null
     * @return this builder
     */
    public Builder replayEsn(ReplayStateEsn value) {
      this.replayEsn = Optional.ofNullable(value);
      return this;
    }

    /**
     * Sets the lifetime counters (null: absent).
     *
     * @param value the lifetime counters, or null
     * @return this builder
     */
    public Builder lifetime(LifetimeCounters value) {
      this.lifetime = Optional.ofNullable(value);
      return this;
    }

    /**
     * Sets the replay threshold in packets.
     *
     * @param packets the threshold in packets
     * @return this builder
     */
    public Builder replayThreshold(int packets) {
      this.replayThreshold = OptionalInt.of(packets);
      return this;
    }

    /**
     * Sets the expiry-timer threshold in 100 ms units.
     *
     * @param deciseconds the threshold in 100 ms units
     * @return this builder
     */
    public Builder etimerThreshold(int deciseconds) {
      this.etimerThreshold = OptionalInt.of(deciseconds);
      return this;
    }

    /**
     * Sets the mark (null: absent).
     *
     * @param value the mark, or null
     * @return this builder
     */
    public Builder mark(XfrmMark value) {
      this.mark = Optional.ofNullable(value);
      return this;
    }

    /**
     * Sets the xfrm interface id.
     *
     * @param value the interface id
     * @return this builder
     */
    public Builder ifId(int value) {
      this.ifId = OptionalInt.of(value);
      return this;
    }

    /** {@return the message} */
    public Aevent build() {
      return new Aevent(
          sa,
          source,
          flags,
          reqid,
          replay,
          replayEsn,
          lifetime,
          replayThreshold,
          etimerThreshold,
          mark,
          ifId);
    }
  }

  /** 0.0.0.0 or ::. */
  static InetAddress unspecified(int family) {
    return address(new byte[family == Xfrm.AF_INET ? 4 : 16]);
  }

  /**
   * The address of 4 or 16 bytes; an {@code Inet6Address} even for v4-mapped bytes, so the family
   * never changes on the way through a codec.
   */
  static InetAddress address(byte[] bytes) {
    try {
      return bytes.length == 4
          ? InetAddress.getByAddress(bytes)
          : java.net.Inet6Address.getByAddress(null, bytes, -1);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("address of " + bytes.length + " bytes", e);
    }
  }
}
