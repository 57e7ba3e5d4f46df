package org.failover4j.carp.election;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The election settings of one CARP virtual host.
 *
 * @param vhid the virtual host id, 1..255
 * @param advbase the advertisement base interval in seconds, 1..255
 * @param advskew the skew in 1/256 s, 0..254 (higher is less preferred; 255 marks a leaving master)
 * @param preempt take over from a slower master (ucarp's {@code --preempt}, OpenBSD's sysctl)
 * @param localAddress this host's address on the segment, for ucarp's tie-break
 * @param otherFamilyAddress this host's address in the other family when the virtual host has both
 *     IPv4 and IPv6 addresses (adverts of that family are tie-broken against it and re-arm their
 *     own master-down timer), or null
 */
public record CarpElectionConfig(
    int vhid,
    int advbase,
    int advskew,
    boolean preempt,
    InetAddress localAddress,
    InetAddress otherFamilyAddress) {

  /**
   * The settings of a virtual host of one address family.
   *
   * @param vhid the virtual host id, 1..255
   * @param advbase the advertisement base interval in seconds, 1..255
   * @param advskew the skew in 1/256 s, 0..254
   * @param preempt take over from a slower master
   * @param localAddress this host's address on the segment, for ucarp's tie-break
   */
  public CarpElectionConfig(
      int vhid, int advbase, int advskew, boolean preempt, InetAddress localAddress) {
    this(vhid, advbase, advskew, preempt, localAddress, null);
  }

  /**
   * Validates every field.
   *
   * @param vhid the virtual host id, 1..255
   * @param advbase the advertisement base interval in seconds, 1..255
   * @param advskew the skew in 1/256 s, 0..254 (higher is less preferred; 255 marks a leaving
   *     master)
   * @param preempt take over from a slower master (ucarp's {@code --preempt}, OpenBSD's sysctl)
   * @param localAddress this host's address on the segment, for ucarp's tie-break
   * @param otherFamilyAddress this host's address in the other family, or null
   */
  public CarpElectionConfig {
    if (vhid < 1 || vhid > 255) {
      throw new IllegalArgumentException("vhid must be in 1..255, was " + vhid);
    }
    if (advbase < 1 || advbase > 255) {
      throw new IllegalArgumentException("advbase must be in 1..255 seconds, was " + advbase);
    }
    if (advskew < 0 || advskew > 254) {
      throw new IllegalArgumentException("advskew must be in 0..254, was " + advskew);
    }
    Objects.requireNonNull(localAddress, "localAddress");
    if (otherFamilyAddress != null
        && otherFamilyAddress.getAddress().length == localAddress.getAddress().length) {
      throw new IllegalArgumentException("otherFamilyAddress must be of the other family");
    }
  }
}
