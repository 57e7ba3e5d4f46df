package org.failover4j.vrrp.codec;

import java.util.Locale;
import org.failover4j.api.InvalidConfigurationException;

/**
 * How an {@code auth_hmac} receiver rejects replayed adverts (keepalived 2.4's {@code
 * anti_replay}).
 */
public enum HmacAntiReplay {
  /**
   * The default: a sequence must be newer than the sender's last one and its timestamp within the
   * freshness window of the receiver's clock, so clocks must agree (NTP).
   */
  TIME,
  /** Strictly growing sequences per sender only: no shared clock needed, no freshness. */
  MONOTONIC;

  /** {@return keepalived's spelling: {@code time} or {@code monotonic}} */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the mode keepalived spells {@code text} (case ignored)}
   *
   * @param text {@code time} or {@code monotonic}
   * @throws InvalidConfigurationException naming {@code hmacAntiReplay} for anything else
   */
  public static HmacAntiReplay parse(String text) {
    String normalized = text.trim().toUpperCase(Locale.ROOT);
    for (HmacAntiReplay mode : values()) {
      if (mode.name().equals(normalized)) {
        return mode;
      }
    }
    throw new InvalidConfigurationException(
        "hmacAntiReplay", "must be time or monotonic, was '" + text + "'");
  }
}
