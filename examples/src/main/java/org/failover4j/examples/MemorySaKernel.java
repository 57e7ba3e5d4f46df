package org.failover4j.examples;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.failover4j.xfrm.AeFlag;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.AeventListener;
import org.failover4j.xfrm.LifetimeCounters;
import org.failover4j.xfrm.NoSuchSaException;
import org.failover4j.xfrm.ReplayState;
import org.failover4j.xfrm.SaId;
import org.failover4j.xfrm.SaKernel;
import org.failover4j.xfrm.XfrmAeventClient;
import org.failover4j.xfrm.XfrmMark;

/**
 * The simulated stand-in for the kernel's SA table ({@link XfrmAeventClient}), for machines without
 * ESP and for running without root: SAs with an outbound counter, GETAE and NEWAE, and an aevent
 * ({@code CR}) to the subscriber each time the counter has moved by the replay threshold, as the
 * kernel reports. Marks are not modelled. Not thread-safe: use it on one event loop.
 */
public final class MemorySaKernel implements SaKernel {

  private final int threshold;
  private final Map<SaId, long[]> sas = new LinkedHashMap<>(); // {oseq, packets, bytes, reported}
  private AeventListener listener = event -> {};

  /**
   * A kernel that reports every {@code threshold} packets.
   *
   * @param threshold the replay threshold, in packets ({@code xfrm_aevent_rseqth})
   */
  public MemorySaKernel(int threshold) {
    this.threshold = threshold;
  }

  /**
   * Installs SA {@code sa} with its counters at 0, as an IKE daemon would.
   *
   * @param sa the SA
   */
  public void addSa(SaId sa) {
    sas.put(sa, new long[4]);
  }

  /**
   * Sends aevents to {@code subscriber}, as {@link XfrmAeventClient#subscribe} does.
   *
   * @param subscriber the listener (one at a time)
   */
  public void subscribe(AeventListener subscriber) {
    listener = subscriber;
  }

  /**
   * Sends {@code packets} packets of {@code size} bytes on SA {@code sa}, reporting as the kernel.
   *
   * @param sa the SA
   * @param packets how many
   * @param size bytes each
   */
  public void send(SaId sa, int packets, int size) {
    long[] s = sas.get(sa);
    for (int i = 0; i < packets; i++) {
      s[0]++;
      s[1]++;
      s[2] += size;
      if (s[0] - s[3] >= threshold) {
        s[3] = s[0];
        listener.onAevent(state(sa, s, AeFlag.CR.bit()));
      }
    }
  }

  /**
   * The last outbound sequence number sent on {@code sa}.
   *
   * @param sa the SA
   * @return its {@code oseq}
   */
  public long outboundSequence(SaId sa) {
    return sas.get(sa)[0];
  }

  @Override
  public Aevent getAe(SaId sa, XfrmMark mark, Set<AeFlag> wants) throws IOException {
    long[] s = sas.get(sa);
    if (s == null) {
      throw new NoSuchSaException(sa, null);
    }
    return state(sa, s, AeFlag.mask(wants));
  }

  @Override
  public void setAe(Aevent values) throws IOException {
    long[] s = sas.get(values.sa());
    if (s == null) {
      throw new NoSuchSaException(values.sa(), null);
    }
    values.outboundSequence().ifPresent(oseq -> s[0] = s[3] = oseq);
    values
        .lifetime()
        .ifPresent(
            l -> {
              s[1] = l.packets();
              s[2] = l.bytes();
            });
  }

  private Aevent state(SaId sa, long[] s, int flags) {
    return Aevent.builder(sa)
        .flags(flags)
        .reqid(1)
        .replay(new ReplayState((int) s[0], 0, 0))
        .lifetime(new LifetimeCounters(s[2], s[1], 1_700_000_000L, 1_700_000_001L))
        .replayThreshold(threshold)
        .build();
  }
}
