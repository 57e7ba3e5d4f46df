package org.failover4j.vrrp;

import java.util.Map;
import org.failover4j.api.SourceStatistics;
import org.failover4j.vrrp.codec.VrrpDropReason;

/**
 * A snapshot of one instance's counters, in the spirit of RFC 6527 (VRRPv3 MIB). Its text lists
 * every counter and, of the drops, only those that happened, in {@link VrrpDropReason}'s order.
 *
 * @param becameMaster transitions into MASTER
 * @param releasedMaster transitions out of MASTER
 * @param advertsReceived adverts that passed every check
 * @param advertsSent adverts sent (one per destination in unicast mode)
 * @param priorityZeroReceived accepted adverts with priority 0
 * @param priorityZeroSent adverts sent with priority 0
 * @param answersSuppressed answers to a lower-priority master held back by the rate limit
 * @param addressFailures times the virtual addresses could not be added (becoming master, or
 *     restoring one)
 * @param addressesRestored virtual addresses removed by someone else while master and added again
 * @param drops packets for this instance's VRID dropped, per reason (zeros included)
 */
public record VrrpStatistics(
    long becameMaster,
    long releasedMaster,
    long advertsReceived,
    long advertsSent,
    long priorityZeroReceived,
    long priorityZeroSent,
    long answersSuppressed,
    long addressFailures,
    long addressesRestored,
    Map<VrrpDropReason, Long> drops)
    implements SourceStatistics {

  /**
   * Copies the map, in {@link VrrpDropReason}'s order.
   *
   * @param becameMaster transitions into MASTER
   * @param releasedMaster transitions out of MASTER
   * @param advertsReceived adverts that passed every check
   * @param advertsSent adverts sent (one per destination in unicast mode)
   * @param priorityZeroReceived accepted adverts with priority 0
   * @param priorityZeroSent adverts sent with priority 0
   * @param answersSuppressed answers to a lower-priority master held back by the rate limit
   * @param addressFailures times the virtual addresses could not be added (becoming master, or
   *     restoring one)
   * @param addressesRestored virtual addresses removed by someone else while master and added again
   * @param drops packets for this instance's VRID dropped, per reason (zeros included)
   */
  public VrrpStatistics {
    drops = SourceStatistics.ordered(drops);
  }

  @Override
  public String toString() {
    return SourceStatistics.text(this);
  }
}
