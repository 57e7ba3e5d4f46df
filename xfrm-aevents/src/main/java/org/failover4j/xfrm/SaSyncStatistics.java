package org.failover4j.xfrm;

import java.util.Map;
import org.failover4j.api.SourceStatistics;

/**
 * A snapshot of an {@link SaStateSync}'s counters. Its text lists every counter and, of the drops,
 * only those that happened, in {@link XfrmDropReason}'s order.
 *
 * @param messagesSent sync datagrams sent
 * @param messagesAccepted sync datagrams accepted (authentic and new)
 * @param eventsLost times the kernel reported lost events
 * @param takeovers takeovers done (each with a {@link TakeoverReport})
 * @param drops rejected sync datagrams (forged, replayed, malformed) and malformed events, per
 *     reason (zeros included)
 */
public record SaSyncStatistics(
    long messagesSent,
    long messagesAccepted,
    long eventsLost,
    long takeovers,
    Map<XfrmDropReason, Long> drops)
    implements SourceStatistics {

  /**
   * Copies the map, in {@link XfrmDropReason}'s order.
   *
   * @param messagesSent sync datagrams sent
   * @param messagesAccepted sync datagrams accepted
   * @param eventsLost times the kernel reported lost events
   * @param takeovers takeovers done
   * @param drops rejected datagrams and malformed events, per reason
   */
  public SaSyncStatistics {
    drops = SourceStatistics.ordered(drops);
  }

  @Override
  public String toString() {
    return SourceStatistics.text(this);
  }
}
