package org.failover4j.cli;

import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import org.failover4j.api.Role;
import org.failover4j.vrrp.VrrpStatistics;
import org.failover4j.vrrp.codec.VrrpDropReason;

/**
 * The counters {@code failover4j vrrp} prints on SIGUSR1 and when it exits: adverts sent and
 * received, transitions, and drops per reason (only the reasons that counted any), for the instance
 * and for packets no instance claimed.
 */
final class CounterReport {

  private CounterReport() {}

  /**
   * {@code {"event":"counters","vrid":60,"role":"MASTER","time":...,"adverts_sent":12,
   * "adverts_received":0,"priority_zero_sent":0,"priority_zero_received":0,"became_master":1,
   * "released_master":0,"dropped":3,"drops":{"BAD_TTL":3},"unclaimed_drops":{}}}.
   */
  static String json(
      int vrid, Role role, Instant time, VrrpStatistics s, Map<VrrpDropReason, Long> unclaimed) {
    return new JsonObject()
        .put("event", "counters")
        .put("vrid", vrid)
        .put("role", role.name())
        .put("time", RoleEventJson.TIME.format(time))
        .put("adverts_sent", s.advertsSent())
        .put("adverts_received", s.advertsReceived())
        .put("priority_zero_sent", s.priorityZeroSent())
        .put("priority_zero_received", s.priorityZeroReceived())
        .put("became_master", s.becameMaster())
        .put("released_master", s.releasedMaster())
        .put("dropped", s.totalDropped())
        .put("drops", counted(s.drops()))
        .put("unclaimed_drops", counted(unclaimed))
        .toString();
  }

  /**
   * {@code 2026-01-01T00:00:00.000Z VRID 60 counters: MASTER, sent 12 (priority 0: 0), received 0
   * (priority 0: 0), became master 1, released master 0, dropped 3 (BAD_TTL 3), unclaimed 0}.
   */
  static String text(
      int vrid, Role role, Instant time, VrrpStatistics s, Map<VrrpDropReason, Long> unclaimed) {
    long unclaimedTotal = unclaimed.values().stream().mapToLong(Long::longValue).sum();
    return RoleEventJson.TIME.format(time)
        + " VRID "
        + vrid
        + " counters: "
        + role
        + ", sent "
        + s.advertsSent()
        + " (priority 0: "
        + s.priorityZeroSent()
        + "), received "
        + s.advertsReceived()
        + " (priority 0: "
        + s.priorityZeroReceived()
        + "), became master "
        + s.becameMaster()
        + ", released master "
        + s.releasedMaster()
        + ", dropped "
        + s.totalDropped()
        + reasons(s.drops())
        + ", unclaimed "
        + unclaimedTotal
        + reasons(unclaimed);
  }

  private static JsonObject counted(Map<VrrpDropReason, Long> drops) {
    JsonObject json = new JsonObject();
    for (VrrpDropReason reason : VrrpDropReason.values()) {
      long n = drops.getOrDefault(reason, 0L);
      if (n > 0) {
        json.put(reason.name(), n);
      }
    }
    return json;
  }

  private static String reasons(Map<VrrpDropReason, Long> drops) {
    StringJoiner list = new StringJoiner(", ", " (", ")").setEmptyValue("");
    for (VrrpDropReason reason : VrrpDropReason.values()) {
      long n = drops.getOrDefault(reason, 0L);
      if (n > 0) {
        list.add(reason.name() + " " + n);
      }
    }
    return list.toString();
  }
}
