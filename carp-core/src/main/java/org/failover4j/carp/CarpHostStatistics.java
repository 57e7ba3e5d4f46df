package org.failover4j.carp;

import java.util.Map;
import org.failover4j.api.SourceStatistics;
import org.failover4j.carp.codec.CarpDropReason;

/**
 * A snapshot of a {@link CarpHost}'s counters, named as {@code VrrpStatistics} names VRRP's. Its
 * text lists every counter and, of the drops, only those that happened, in {@link CarpDropReason}'s
 * order.
 *
 * @param becameMaster transitions into MASTER
 * @param releasedMaster transitions out of MASTER (to backup, FAULT or stopped)
 * @param advertsReceived adverts that passed every check (the HMAC and the replay window included)
 *     and reached the election
 * @param advertsSent adverts sent (one per destination with unicast peers)
 * @param leavingAdvertsSent adverts sent with advbase = advskew = 255 when leaving as master
 * @param sendFailures adverts the platform refused or could not buffer
 * @param answersSuppressed answers to a less preferred master held back by the rate limit
 * @param addressFailures times the virtual addresses could not be added (becoming master, or
 *     restoring one); the host then demoted itself
 * @param addressesRestored virtual addresses removed by someone else while master and added again
 * @param drops adverts for this VHID dropped, per reason (zeros included)
 */
public record CarpHostStatistics(
    long becameMaster,
    long releasedMaster,
    long advertsReceived,
    long advertsSent,
    long leavingAdvertsSent,
    long sendFailures,
    long answersSuppressed,
    long addressFailures,
    long addressesRestored,
    Map<CarpDropReason, Long> drops)
    implements SourceStatistics {

  /**
   * Copies the map, in {@link CarpDropReason}'s order.
   *
   * @param becameMaster transitions into MASTER
   * @param releasedMaster transitions out of MASTER
   * @param advertsReceived adverts that passed every check and reached the election
   * @param advertsSent adverts sent (one per destination with unicast peers)
   * @param leavingAdvertsSent adverts sent with advbase = advskew = 255 when leaving as master
   * @param sendFailures adverts the platform refused or could not buffer
   * @param answersSuppressed answers to a less preferred master held back by the rate limit
   * @param addressFailures times the virtual addresses could not be added
   * @param addressesRestored virtual addresses removed by someone else and added again
   * @param drops adverts for this VHID dropped, per reason (zeros included)
   */
  public CarpHostStatistics {
    drops = SourceStatistics.ordered(drops);
  }

  @Override
  public String toString() {
    return SourceStatistics.text(this);
  }
}
