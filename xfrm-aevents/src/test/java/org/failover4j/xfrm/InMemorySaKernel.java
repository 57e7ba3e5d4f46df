package org.failover4j.xfrm;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A test double of the kernel's SA table for SA-sync tests, modelled on {@code xfrm_user.c} and
 * {@code xfrm_replay.c}: SAs with replay and lifetime counters, GETAE / NEWAE with ESRCH for a
 * missing SA and EINVAL for a NEWAE without values or with a different ESN bitmap length, and
 * aevents whenever the outbound counter has moved by the replay threshold since the last one (which
 * the test may drop to model ENOBUFS or a lost message), and a deletion notification (DELSA) when
 * the test deletes an SA.
 */
final class InMemorySaKernel implements SaKernel {

  /** One SA: the mutable counters the kernel keeps. */
  static final class Sa {
    final Aevent identity;
    long oseq;
    long seq;
    long bytes;
    long packets;
    long reportedOseq;
    final int bitmapWords; // -1: no ESN
    int threshold;

    Sa(Aevent identity, int bitmapWords, int threshold) {
      this.identity = identity;
      this.bitmapWords = bitmapWords;
      this.threshold = threshold;
    }
  }

  private final Map<SaStateSync.SaKey, Sa> sas = new HashMap<>();
  private AeventListener listener;
  private boolean dropEvents;
  int setAeCalls;

  void subscribe(AeventListener l) {
    this.listener = l;
  }

  /** While true, events are generated but never delivered (as if the socket overflowed). */
  void dropEvents(boolean drop) {
    this.dropEvents = drop;
  }

  Sa add(SaId sa, XfrmMark mark, int bitmapWords, int threshold) {
    Aevent id = Aevent.builder(sa).reqid(1).mark(mark).build();
    Sa s = new Sa(id, bitmapWords, threshold);
    sas.put(SaStateSync.SaKey.of(id), s);
    return s;
  }

  /** Deletes the SA as IKE does after a rekey, telling the subscriber (XFRM_MSG_DELSA). */
  void delete(SaId sa, XfrmMark mark) {
    SaStateSync.SaKey key = new SaStateSync.SaKey(sa, Optional.ofNullable(mark));
    if (sas.remove(key) == null) {
      throw new IllegalStateException("no SA " + sa);
    }
    if (listener != null && !dropEvents) {
      listener.saDeleted(new SaDeletion(key.sa(), key.mark()));
    }
  }

  Sa sa(SaId sa, XfrmMark mark) {
    return sas.get(new SaStateSync.SaKey(sa, Optional.ofNullable(mark)));
  }

  /** Sends {@code count} packets of {@code size} bytes on the SA, firing events as the kernel. */
  void send(SaId id, XfrmMark mark, int count, int size) {
    Sa s = sa(id, mark);
    for (int i = 0; i < count; i++) {
      s.oseq++;
      s.packets++;
      s.bytes += size;
      if (s.threshold > 0 && s.oseq - s.reportedOseq >= s.threshold) {
        s.reportedOseq = s.oseq;
        emit(s, AeFlag.CR);
      }
    }
  }

  /** The event timer: reports every SA that moved since its last report. */
  void timer() {
    for (Sa s : sas.values()) {
      if (s.oseq != s.reportedOseq) {
        s.reportedOseq = s.oseq;
        emit(s, AeFlag.CE);
      }
    }
  }

  private void emit(Sa s, AeFlag cause) {
    if (listener != null && !dropEvents) {
      listener.onAevent(state(s, AeFlag.mask(Set.of(cause))));
    }
  }

  private Aevent state(Sa s, int flags) {
    Aevent.Builder b = s.identity.toBuilder().flags(flags);
    if (s.bitmapWords >= 0) {
      b.replayEsn(
          new ReplayStateEsn(
              (int) s.oseq,
              (int) s.seq,
              (int) (s.oseq >>> 32),
              (int) (s.seq >>> 32),
              32 * s.bitmapWords,
              new int[s.bitmapWords]));
    } else {
      b.replay(new ReplayState((int) s.oseq, (int) s.seq, 0));
    }
    b.lifetime(new LifetimeCounters(s.bytes, s.packets, 1_700_000_000L, 1_700_000_001L));
    if ((flags & AeFlag.RTHR.bit()) != 0) {
      b.replayThreshold(s.threshold);
    }
    return b.build();
  }

  @Override
  public Aevent getAe(SaId sa, XfrmMark mark, Set<AeFlag> wants) throws IOException {
    Sa s = sa(sa, mark);
    if (s == null) {
      throw new NoSuchSaException(sa, null);
    }
    return state(s, AeFlag.mask(wants));
  }

  @Override
  public void setAe(Aevent values) throws IOException {
    setAeCalls++;
    if (values.replay().isEmpty()
        && values.replayEsn().isEmpty()
        && values.lifetime().isEmpty()
        && values.replayThreshold().isEmpty()
        && values.etimerThreshold().isEmpty()) {
      throw new IOException("EINVAL: Missing required attribute for AE");
    }
    Sa s = sa(values.sa(), values.mark().orElse(null));
    if (s == null) {
      throw new NoSuchSaException(values.sa(), null);
    }
    if (values.replayEsn().isPresent() && values.replayEsn().get().bitmapWords() != s.bitmapWords) {
      throw new IOException("EINVAL: ESN bitmap length differs");
    }
    values
        .replay()
        .ifPresent(
            r -> {
              s.oseq = Integer.toUnsignedLong(r.outboundSequence());
              s.seq = Integer.toUnsignedLong(r.inboundSequence());
            });
    values
        .replayEsn()
        .ifPresent(
            e -> {
              s.oseq = e.outboundSequence64();
              s.seq = e.inboundSequence64();
            });
    values
        .lifetime()
        .ifPresent(
            l -> {
              s.bytes = l.bytes();
              s.packets = l.packets();
            });
    values.replayThreshold().ifPresent(t -> s.threshold = t);
    s.reportedOseq = s.oseq;
    if (listener != null && !dropEvents) {
      listener.onAevent(state(s, AeFlag.CU.bit())); // the kernel's km_state_notify
    }
  }
}
