package org.failover4j.cli;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.failover4j.api.RoleChangeEvent;

/** Formats role changes as the CLI prints them: one JSON object or one readable line each. */
final class RoleEventJson {

  /** ISO-8601 in UTC with milliseconds, as in {@code 2026-01-01T00:00:00.000Z}. */
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private RoleEventJson() {}

  /** {@code {"event":"role","vrid":60,"from":...,"to":...,"reason":...,"epoch":2,"time":...}}. */
  static String json(int vrid, RoleChangeEvent e) {
    return json("vrid", vrid, e);
  }

  /**
   * As {@link #json(int, RoleChangeEvent)} with the group ID under {@code idKey} ({@code vhid}).
   */
  static String json(String idKey, int id, RoleChangeEvent e) {
    return object(idKey, id, e).toString();
  }

  /** The object {@link #json(String, int, RoleChangeEvent)} prints, for a caller to add to. */
  static JsonObject object(String idKey, int id, RoleChangeEvent e) {
    return new JsonObject()
        .put("event", "role")
        .put(idKey, id)
        .put("from", e.from().name())
        .put("to", e.to().name())
        .put("reason", e.reason())
        .put("epoch", e.epoch())
        .put("time", TIME.format(e.time()));
  }

  /** {@code 2026-01-01T00:00:00.000Z VRID 60: BACKUP -> MASTER (master-down)}. */
  static String text(int vrid, RoleChangeEvent e) {
    return text("VRID", vrid, e);
  }

  /**
   * As {@link #text(int, RoleChangeEvent)} with the group ID labelled {@code label} ({@code VHID}).
   */
  static String text(String label, int id, RoleChangeEvent e) {
    return TIME.format(e.time())
        + " "
        + label
        + " "
        + id
        + ": "
        + e.from()
        + " -> "
        + e.to()
        + " ("
        + e.reason()
        + ")";
  }
}
