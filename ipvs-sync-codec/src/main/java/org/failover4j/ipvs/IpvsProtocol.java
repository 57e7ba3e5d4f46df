package org.failover4j.ipvs;

import java.time.Duration;
import org.failover4j.api.IpProtocol;

/**
 * The transport protocols IPVS handles, with the facts a backup needs about each: how many states
 * it has and the default timeout of each state ({@code ip_vs_proto_*.c} in the kernel). A backup
 * skips connection entries for any other protocol.
 */
public enum IpvsProtocol {
  /** TCP (6): eleven states, timeouts from {@code tcp_timeouts}. */
  TCP(IpProtocol.TCP, seconds(2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120)),
  /** UDP (17): one state, five minutes. */
  UDP(IpProtocol.UDP, seconds(300)),
  /** SCTP (132): fourteen states, timeouts from {@code sctp_timeouts}. */
  SCTP(IpProtocol.SCTP, seconds(2, 4, 61, 61, 61, 61, 61, 61, 900, 61, 61, 61, 4, 61)),
  /** AH (51): one state, no timeout table: three minutes. */
  AH(IpProtocol.AH, seconds(180)),
  /** ESP (50): one state, no timeout table: three minutes. */
  ESP(IpProtocol.ESP, seconds(180));

  /** The timeout of templates, and of protocols without a table, when none is given. */
  public static final Duration FALLBACK_TIMEOUT = Duration.ofMinutes(3);

  private static final IpvsProtocol[] BY_NUMBER = new IpvsProtocol[256];

  static {
    for (IpvsProtocol p : values()) {
      BY_NUMBER[p.number] = p;
    }
  }

  private final int number;
  private final long[] timeoutSeconds;

  IpvsProtocol(int number, long[] timeoutSeconds) {
    this.number = number;
    this.timeoutSeconds = timeoutSeconds;
  }

  private static long[] seconds(long... values) {
    return values;
  }

  /** {@return the IP protocol number} */
  public int number() {
    return number;
  }

  /**
   * {@return how many states a connection of this protocol can be in; valid states are below it}
   */
  public int stateCount() {
    return timeoutSeconds.length;
  }

  /**
   * {@return the kernel's default timeout for {@code state}, in seconds; the state must be valid}
   *
   * @param state a state number of this protocol
   */
  public long defaultTimeoutSeconds(int state) {
    return timeoutSeconds[state];
  }

  /**
   * {@return the default timeout for {@code state}; the state must be below {@link #stateCount()}}
   *
   * @param state a state number of this protocol
   */
  public Duration defaultTimeout(int state) {
    return Duration.ofSeconds(timeoutSeconds[state]);
  }

  /**
   * {@return true when IPVS handles protocol {@code number}}
   *
   * @param number an IP protocol number
   */
  public static boolean isSupported(int number) {
    return number >= 0 && number < BY_NUMBER.length && BY_NUMBER[number] != null;
  }

  /**
   * The protocol with IP protocol number {@code number}; check {@link #isSupported} first.
   *
   * @param number an IP protocol number
   * @return the protocol
   * @throws IllegalArgumentException when IPVS does not handle it
   */
  public static IpvsProtocol of(int number) {
    if (!isSupported(number)) {
      throw new IllegalArgumentException("IPVS does not handle IP protocol " + number);
    }
    return BY_NUMBER[number];
  }

  /** The protocol's state count, or 0 for a protocol IPVS does not handle. */
  static int stateCount(int number) {
    return isSupported(number) ? BY_NUMBER[number].stateCount() : 0;
  }

  /** Seconds until a synced entry expires when the message gave no timeout (v0, or 0). */
  static long defaultTimeoutSeconds(int number, boolean template, int state) {
    if (!template && isSupported(number) && state < BY_NUMBER[number].stateCount()) {
      return BY_NUMBER[number].timeoutSeconds[state];
    }
    return FALLBACK_TIMEOUT.toSeconds();
  }
}
