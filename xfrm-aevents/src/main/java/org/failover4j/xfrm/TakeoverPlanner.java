package org.failover4j.xfrm;

import java.util.EnumSet;
import java.util.Optional;

/**
 * Works out, from one SA's synced state alone, what a new master installs with NEWAE: the outbound
 * sequence number moved ahead by the {@link TakeoverMargin} (or, with {@link
 * TakeoverPolicy#NEAR_LIMIT}, near the end of the sequence space), never past the end of the
 * sequence space (32 bits, or 64 with ESN), with the inbound window and the lifetime counters as
 * synced. A pure function: no kernel, no clock, so every case is tested alone.
 */
final class TakeoverPlanner {

  private TakeoverPlanner() {}

  /** What to do with one SA. */
  sealed interface Plan {}

  /**
   * Install {@code values}.
   *
   * @param values the NEWAE to send (RVAL and LVAL)
   * @param syncedSequence the outbound sequence number synced from the old master
   * @param targetSequence the outbound sequence number installed
   * @param lifetimeBytes the synced lifetime byte count, or -1 when none was synced
   * @param exhausted whether the target is the end of the sequence space
   */
  record Install(
      Aevent values,
      long syncedSequence,
      long targetSequence,
      long lifetimeBytes,
      boolean exhausted)
      implements Plan {}

  /**
   * Install nothing.
   *
   * @param result why not
   */
  record Skip(SaInstallResult.NotInstalled result) implements Plan {}

  /**
   * {@return what to install for {@code state}}
   *
   * @param state the latest synced state of one SA
   * @param margin how far ahead to move the outbound sequence number
   * @param policy where to move it
   */
  static Plan plan(Aevent state, TakeoverMargin margin, TakeoverPolicy policy) {
    Optional<Long> synced = state.outboundSequence();
    if (synced.isEmpty()) {
      return new Skip(
          new SaInstallResult.NotInstalled(
              state.sa(), state.mark(), SaInstallResult.Reason.NO_REPLAY_STATE, "no replay state"));
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
    return new Install(
        values.flags(EnumSet.of(AeFlag.RVAL, AeFlag.LVAL)).build(),
        synced.get(),
        target,
        state.lifetime().map(LifetimeCounters::bytes).orElse(-1L),
        target == limit);
  }
}
