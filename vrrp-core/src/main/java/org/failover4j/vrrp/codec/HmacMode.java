package org.failover4j.vrrp.codec;

import java.util.Locale;
import org.failover4j.api.InvalidConfigurationException;

/**
 * How an instance with {@code auth_hmac} sends and what it accepts (keepalived 2.4's {@code mode}).
 * A group rolls out without a lost advert in three sweeps: receive-only, permissive, enforce.
 */
public enum HmacMode {
  /** Sends no trailer; verifies a trailer that is present and accepts adverts without one. */
  RECEIVE_ONLY,
  /** Signs every advert; verifies a trailer that is present and accepts adverts without one. */
  PERMISSIVE,
  /** Signs every advert and accepts only adverts with a valid trailer (the default). */
  ENFORCE;

  /** {@return true when adverts carry a trailer} */
  public boolean signs() {
    return this != RECEIVE_ONLY;
  }

  /** {@return keepalived's spelling: {@code enforce}, {@code permissive}, {@code receive-only}} */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * {@return the mode keepalived spells {@code text} (case and {@code -}/{@code _} ignored)}
   *
   * @param text {@code enforce}, {@code permissive} or {@code receive-only}
   * @throws InvalidConfigurationException naming {@code hmacMode} for anything else
   */
  public static HmacMode parse(String text) {
    String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (HmacMode mode : values()) {
      if (mode.name().equals(normalized)) {
        return mode;
      }
    }
    throw new InvalidConfigurationException(
        "hmacMode", "must be enforce, permissive or receive-only, was '" + text + "'");
  }
}
