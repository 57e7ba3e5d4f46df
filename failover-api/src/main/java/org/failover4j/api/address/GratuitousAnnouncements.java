package org.failover4j.api.address;

import java.time.Duration;
import org.failover4j.api.InvalidConfigurationException;

/**
 * When a new master announces its addresses with gratuitous ARP (IPv4) or unsolicited neighbour
 * advertisements (IPv6), with keepalived's defaults: {@code repeat} announcements right after
 * becoming master, {@code repeat} more after {@code delay}, and optionally {@code refreshRepeat}
 * every {@code refresh} while master.
 *
 * @param delay keepalived's {@code garp_master_delay} (default 5 s; zero: no second round)
 * @param repeat keepalived's {@code garp_master_repeat} (default 5)
 * @param refresh keepalived's {@code garp_master_refresh} (default zero: off)
 * @param refreshRepeat keepalived's {@code garp_master_refresh_repeat} (default 1)
 */
public record GratuitousAnnouncements(
    Duration delay, int repeat, Duration refresh, int refreshRepeat) {

  /** keepalived's defaults: 5 now, 5 more after 5 s, no refresh. */
  public static final GratuitousAnnouncements KEEPALIVED_DEFAULTS =
      new GratuitousAnnouncements(Duration.ofSeconds(5), 5, Duration.ZERO, 1);

  /**
   * Checks every field.
   *
   * @param delay keepalived's {@code garp_master_delay} (default 5 s; zero: no second round)
   * @param repeat keepalived's {@code garp_master_repeat} (default 5)
   * @param refresh keepalived's {@code garp_master_refresh} (default zero: off)
   * @param refreshRepeat keepalived's {@code garp_master_refresh_repeat} (default 1)
   */
  public GratuitousAnnouncements {
    if (delay == null || delay.isNegative() || refresh == null || refresh.isNegative()) {
      throw new InvalidConfigurationException("garp", "delay and refresh must be >= 0");
    }
    InvalidConfigurationException.requireInRange("garpRepeat", repeat, 1, 100);
    InvalidConfigurationException.requireInRange("garpRefreshRepeat", refreshRepeat, 1, 100);
  }
}
