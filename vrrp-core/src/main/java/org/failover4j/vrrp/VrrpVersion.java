package org.failover4j.vrrp;

import org.failover4j.api.InvalidConfigurationException;

/** The VRRP version an instance speaks. */
public enum VrrpVersion {
  /** RFC 3768: IPv4 only, interval in seconds, optional simple-text or IPsec-AH authentication. */
  V2(2),
  /** RFC 5798 / RFC 9568: IPv4 and IPv6, interval in centiseconds, no authentication. */
  V3(3);

  private final int number;

  VrrpVersion(int number) {
    this.number = number;
  }

  /** {@return 2 or 3, as the version field on the wire carries it} */
  public int number() {
    return number;
  }

  /**
   * The version numbered {@code number}.
   *
   * @param number 2 or 3
   * @return the version
   * @throws InvalidConfigurationException for anything but 2 or 3
   */
  public static VrrpVersion of(int number) {
    for (VrrpVersion v : values()) {
      if (v.number == number) {
        return v;
      }
    }
    throw new InvalidConfigurationException("version", "must be 2 or 3, was " + number);
  }

  /** "2" or "3", as logs and messages print it ("VRRPv3"). */
  @Override
  public String toString() {
    return Integer.toString(number);
  }
}
