package org.failover4j.cli;

import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import org.failover4j.api.Role;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.vrrp.VrrpStatistics;

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
   * "released_master":0,"answers_suppressed":0,"address_failures":0,"addresses_restored":0,
   * "dropped":3,"drops":{"BAD_TTL":3},"unclaimed_drops":{}}}.
   */
  static String json(
      int vrid, Role role, Instant time, VrrpStatistics s, Map<AdvertDropReason, Long> unclaimed) {
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
        .put("answers_suppressed", s.answersSuppressed())
        .put("address_failures", s.addressFailures())
        .put("addresses_restored", s.addressesRestored())
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
      int vrid, Role role, Instant time, VrrpStatistics s, Map<AdvertDropReason, Long> unclaimed) {
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

  /** The reasons with a count above 0, in the enum's order, as one JSON object. */
  static JsonObject counted(Map<? extends Enum<?>, Long> drops) {
    JsonObject json = new JsonObject();
    for (Map.Entry<? extends Enum<?>, Long> e : sorted(drops)) {
      json.put(e.getKey().name(), e.getValue());
    }
    return json;
  }

  /** The reasons with a count above 0 as {@code " (BAD_TTL 3, ...)"}, or "" when none. */
  static String reasons(Map<? extends Enum<?>, Long> drops) {
    StringJoiner list = new StringJoiner(", ", " (", ")").setEmptyValue("");
    for (Map.Entry<? extends Enum<?>, Long> e : sorted(drops)) {
      list.add(e.getKey().name() + " " + e.getValue());
    }
    return list.toString();
  }

  private static java.util.List<Map.Entry<? extends Enum<?>, Long>> sorted(
      Map<? extends Enum<?>, Long> drops) {
    java.util.List<Map.Entry<? extends Enum<?>, Long>> counted = new java.util.ArrayList<>();
    for (Map.Entry<? extends Enum<?>, Long> e : drops.entrySet()) {
      if (e.getValue() > 0) {
        counted.add(e);
      }
    }
    counted.sort(java.util.Comparator.comparingInt(e -> e.getKey().ordinal()));
    return counted;
  }
}
