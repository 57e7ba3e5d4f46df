package org.failover4j.ipvs;

import java.util.Map;
import org.failover4j.api.SourceStatistics;

/**
 * A snapshot of an {@link IpvsSyncChannel}'s counters. Its text lists every counter and, of the
 * drops, only those that happened, in {@link IpvsDropReason}'s order.
 *
 * @param messagesSent messages sent as master
 * @param entriesSent entries sent as master
 * @param sendFailures messages the master could not send
 * @param entriesNotSynced connections given to {@link IpvsSyncChannel#sync} that were not sent: not
 *     master, one-packet, or v0 IPv6
 * @param messagesReceived messages received as backup whose header was accepted
 * @param entriesApplied entries applied to the table
 * @param drops dropped messages and skipped entries, per reason (zeros included)
 */
public record IpvsSyncStatistics(
    long messagesSent,
    long entriesSent,
    long sendFailures,
    long entriesNotSynced,
    long messagesReceived,
    long entriesApplied,
    Map<IpvsDropReason, Long> drops)
    implements SourceStatistics {

  /**
   * Copies the map, in {@link IpvsDropReason}'s order.
   *
   * @param messagesSent messages sent as master
   * @param entriesSent entries sent as master
   * @param sendFailures messages the master could not send
   * @param entriesNotSynced connections given to sync that were not sent
   * @param messagesReceived messages received as backup whose header was accepted
   * @param entriesApplied entries applied to the table
   * @param drops dropped messages and skipped entries, per reason
   */
  public IpvsSyncStatistics {
    drops = SourceStatistics.ordered(drops);
  }

  @Override
  public String toString() {
    return SourceStatistics.text(this);
  }
}
