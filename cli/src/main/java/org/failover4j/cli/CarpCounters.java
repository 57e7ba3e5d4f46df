package org.failover4j.cli;

import java.time.Instant;
import java.util.Map;
import org.failover4j.api.Role;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostStatistics;
import org.failover4j.carp.codec.CarpDropReason;

/**
 * The counters {@code failover4j carp} prints on SIGUSR1 and when it exits: one snapshot of a
 * {@link CarpHost}'s counters and of the platform's drops of packets no instance claimed.
 *
 * @param role the role when taken
 * @param advertsSent adverts sent
 * @param advertsAccepted adverts that passed every check and reached the election
 * @param leavingSent adverts sent with advbase = advskew = 255 when leaving as master
 * @param becameMaster how often the host became master
 * @param releasedMaster how often it left the master role
 * @param sendFailures sends and announcements that failed
 * @param drops adverts dropped per reason
 * @param unclaimed packets on the interface's protocol-112 socket that no instance claimed
 */
record CarpCounters(
    Role role,
    long advertsSent,
    long advertsAccepted,
    long leavingSent,
    long becameMaster,
    long releasedMaster,
    long sendFailures,
    Map<CarpDropReason, Long> drops,
    Map<AdvertDropReason, Long> unclaimed) {

  /** A snapshot of {@code host}'s counters, with the platform's {@code unclaimed} drops. */
  static CarpCounters of(CarpHost host, Map<AdvertDropReason, Long> unclaimed) {
    CarpHostStatistics s = host.statistics();
    return new CarpCounters(
        host.role(),
        s.advertsSent(),
        s.advertsReceived(),
        s.leavingAdvertsSent(),
        s.becameMaster(),
        s.releasedMaster(),
        s.sendFailures(),
        s.drops(),
        unclaimed);
  }

  /** Adverts dropped, all reasons. */
  long dropped() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * {@code {"event":"counters","vhid":10,"role":"MASTER","time":...,"adverts_sent":12,
   * "adverts_received":0,"leaving_sent":0,"became_master":1,"released_master":0,"send_failures":0,
   * "dropped":3,"drops":{"BAD_TTL":3},"unclaimed_drops":{}}}.
   */
  String json(int vhid, Instant time) {
    return new JsonObject()
        .put("event", "counters")
        .put("vhid", vhid)
        .put("role", role.name())
        .put("time", RoleEventJson.TIME.format(time))
        .put("adverts_sent", advertsSent)
        .put("adverts_received", advertsAccepted)
        .put("leaving_sent", leavingSent)
        .put("became_master", becameMaster)
        .put("released_master", releasedMaster)
        .put("send_failures", sendFailures)
        .put("dropped", dropped())
        .put("drops", CounterReport.counted(drops))
        .put("unclaimed_drops", CounterReport.counted(unclaimed))
        .toString();
  }

  /**
   * {@code 2026-01-01T00:00:00.000Z VHID 10 counters: MASTER, sent 12 (leaving: 0), received 0,
   * became master 1, released master 0, send failures 0, dropped 3 (BAD_TTL 3), unclaimed 0}.
   */
  String text(int vhid, Instant time) {
    long unclaimedTotal = unclaimed.values().stream().mapToLong(Long::longValue).sum();
    return RoleEventJson.TIME.format(time)
        + " VHID "
        + vhid
        + " counters: "
        + role
        + ", sent "
        + advertsSent
        + " (leaving: "
        + leavingSent
        + "), received "
        + advertsAccepted
        + ", became master "
        + becameMaster
        + ", released master "
        + releasedMaster
        + ", send failures "
        + sendFailures
        + ", dropped "
        + dropped()
        + CounterReport.reasons(drops)
        + ", unclaimed "
        + unclaimedTotal
        + CounterReport.reasons(unclaimed);
  }
}
