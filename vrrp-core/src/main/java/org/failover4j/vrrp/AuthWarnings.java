package org.failover4j.vrrp;

import org.failover4j.api.AddressText;
import org.failover4j.api.EventLoop;
import org.failover4j.api.RateLimitedLog;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacReplayGuard;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the log why one VRRP instance refused adverts for their authentication, and when an
 * accepted auth_hmac advert's clock nears the edge of the window: at most one line per kind every
 * ten seconds with the count held back, and never a key. Use on the event loop.
 */
final class AuthWarnings {

  private static final Logger log = LoggerFactory.getLogger(AuthWarnings.class);

  /** How often a repeating warning reaches the log. */
  private static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;

  private final String instance;
  private final AuthType authType;
  private final EventLoop loop;
  private final RateLimitedLog authLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private final RateLimitedLog hmacLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private final RateLimitedLog skewLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);

  AuthWarnings(String instance, AuthType authType, EventLoop loop) {
    this.instance = instance;
    this.authType = authType;
    this.loop = loop;
  }

  /**
   * {@code packet} was dropped for {@code reason}; said only when the reason is authentication.
   *
   * @param guard the auth_hmac replay state in force, or null without auth_hmac
   */
  void refused(VrrpPacketDecoder packet, VrrpDropReason reason, HmacReplayGuard guard) {
    if (isHmac(reason)) {
      hmacRefused(packet, reason, guard);
    } else if (isAuthentication(reason) && authLog.permit(loop.nanoTime())) {
      // Two masters that cannot authenticate each other are both master: say so, never the key.
      log.warn(
          "({}) advert from {} failed authentication ({}); both ends must use the same {}"
              + " secret ({} more held back)",
          instance,
          AddressText.of(packet.source()),
          reason,
          authType,
          authLog.suppressedAndReset());
    }
  }

  /** Why an auth_hmac advert was refused, rate-limited; the key never appears. */
  private void hmacRefused(VrrpPacketDecoder packet, VrrpDropReason reason, HmacReplayGuard guard) {
    if (!hmacLog.permit(loop.nanoTime())) {
      return;
    }
    String detail =
        switch (reason) {
          case HMAC_MISSING -> "no trailer, and this instance enforces auth_hmac";
          case HMAC_STALE ->
              "clock skew "
                  + guard.lastSkewSeconds()
                  + " s exceeds the window of "
                  + guard.windowSeconds()
                  + " s (check NTP, or a replay)";
          case HMAC_UNKNOWN_KEY -> "a key id this instance does not have";
          case HMAC_BAD -> "the HMAC does not verify: another key, or a forgery";
          case HMAC_REPLAYED -> "a sequence number already seen (a replay)";
          default -> "a malformed trailer";
        };
    log.warn(
        "({}) advert from {} refused by auth_hmac ({}): {} ({} more held back)",
        instance,
        AddressText.of(packet.source()),
        reason,
        detail,
        hmacLog.suppressedAndReset());
  }

  /**
   * keepalived's early warning: {@code packet} was accepted with auth_hmac, and its clock is past
   * half the window.
   */
  void acceptedWithHmac(VrrpPacketDecoder packet, HmacAuthentication hmac, HmacReplayGuard guard) {
    int skew = guard.lastSkewSeconds();
    if (hmac.antiReplay() == HmacAntiReplay.TIME
        && Math.abs((long) skew) > guard.windowSeconds() / 2
        && skewLog.permit(loop.nanoTime())) {
      log.warn(
          "({}) auth_hmac clock skew {} s from {} approaching the window of {} s",
          instance,
          skew,
          AddressText.of(packet.source()),
          guard.windowSeconds());
    }
  }

  private static boolean isHmac(VrrpDropReason reason) {
    return switch (reason) {
      case HMAC_MISSING, HMAC_MALFORMED, HMAC_STALE, HMAC_UNKNOWN_KEY, HMAC_BAD, HMAC_REPLAYED ->
          true;
      default -> false;
    };
  }

  private static boolean isAuthentication(VrrpDropReason reason) {
    return switch (reason) {
      case AUTH_TYPE_MISMATCH, AUTH_FAILURE, BAD_ICV, BAD_SPI, AH_MISMATCH -> true;
      default -> false;
    };
  }
}
