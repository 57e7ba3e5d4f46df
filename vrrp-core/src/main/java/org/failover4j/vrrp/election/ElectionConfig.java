package org.failover4j.vrrp.election;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import org.failover4j.api.InvalidConfigurationException;

/**
 * The election parameters of one VRRP instance.
 *
 * @param version 2 (RFC 3768) or 3 (RFC 5798)
 * @param vrid the virtual router id, 1..255
 * @param priority the configured priority, 1..255 (255 = address owner)
 * @param advertIntervalCentis the advertisement interval in centiseconds: 1..4095 for v3, whole
 *     seconds (100..25500) for v2
 * @param preempt whether a higher-priority backup takes over from a lower-priority master
 * @param preemptDelay how long a backup keeps accepting a lower-priority master after first hearing
 *     it before it preempts (keepalived's {@code preempt_delay}); zero for none
 * @param primaryAddress this router's own address on the interface, which breaks priority ties (the
 *     higher address wins)
 */
public record ElectionConfig(
    int version,
    int vrid,
    int priority,
    int advertIntervalCentis,
    boolean preempt,
    Duration preemptDelay,
    InetAddress primaryAddress) {

  /** Priority of the address owner: it starts as master and never changes its priority. */
  public static final int OWNER_PRIORITY = 255;

  /**
   * Validates every field, naming the one that is wrong.
   *
   * @param version 2 (RFC 3768) or 3 (RFC 5798)
   * @param vrid the virtual router id, 1..255
   * @param priority the configured priority, 1..255 (255 = address owner)
   * @param advertIntervalCentis the advertisement interval in centiseconds: 1..4095 for v3, whole
   *     seconds (100..25500) for v2
   * @param preempt whether a higher-priority backup takes over from a lower-priority master
   * @param preemptDelay how long a backup keeps accepting a lower-priority master after first
   *     hearing it before it preempts (keepalived's {@code preempt_delay}); zero for none
   * @param primaryAddress this router's own address on the interface, which breaks priority ties
   *     (the higher address wins)
   */
  public ElectionConfig {
    if (version != 2 && version != 3) {
      throw new InvalidConfigurationException("version", "must be 2 or 3, was " + version);
    }
    InvalidConfigurationException.requireInRange("vrid", vrid, 1, 255);
    InvalidConfigurationException.requireInRange("priority", priority, 1, 255);
    if (version == 3) {
      InvalidConfigurationException.requireInRange(
          "advertIntervalCentis", advertIntervalCentis, 1, 4095);
    } else if (advertIntervalCentis % 100 != 0 || advertIntervalCentis < 100) {
      throw new InvalidConfigurationException(
          "advertInterval",
          "must be whole seconds in 1..255 for VRRPv2, was " + advertIntervalCentis * 10 + " ms");
    } else {
      InvalidConfigurationException.requireInRange(
          "advertIntervalCentis", advertIntervalCentis, 100, 25_500);
    }
    Objects.requireNonNull(preemptDelay, "preemptDelay");
    if (preemptDelay.isNegative()) {
      throw new InvalidConfigurationException("preemptDelay", "must not be negative");
    }
    InvalidConfigurationException.requirePresent("primaryAddress", primaryAddress);
  }

  /** {@return true for the address owner (priority 255)} */
  public boolean isOwner() {
    return priority == OWNER_PRIORITY;
  }
}
