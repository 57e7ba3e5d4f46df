package org.failover4j.benchmarks.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * One VRRP group of a bench: the interface both hosts run it on, its LAN, its VRID, its one virtual
 * address and, when it uses one, the name of its virtual MAC's macvlan.
 *
 * @param lan the LAN's index in the lab (the interface is {@code eth<lan>} on both hosts)
 * @param vrid 1..255
 * @param vip the virtual address with its prefix length, such as {@code 192.0.2.1/24}
 * @param virtualMac the macvlan's name ({@code vr<lan>.<vrid>}: one VRID runs on every LAN), or
 *     null without a virtual MAC
 */
public record Group(int lan, int vrid, String vip, String virtualMac) {

  /** VRIDs per LAN, as the harness runs them. */
  public static final int PER_LAN = 250;

  /** The interface on either host. */
  public String iface() {
    return "eth" + lan;
  }

  /** The address without its prefix length. */
  public String address() {
    return vip.substring(0, vip.indexOf('/'));
  }

  /** True for a VRRPv3-over-IPv6 group. */
  public boolean ipv6() {
    return vip.indexOf(':') >= 0;
  }

  /** A name unique in the bench, used for the instance on both implementations. */
  public String name() {
    return "G" + lan + "_" + vrid;
  }

  /**
   * {@return the virtual MAC both hosts send from, {@code 00:00:5e:00:01:VRID} (IPv6: {@code
   * 00:02}), or null without one}
   */
  public String virtualMacAddress() {
    return virtualMac == null ? null : String.format("00:00:5e:00:%02x:%02x", ipv6() ? 2 : 1, vrid);
  }

  /** The line of a groups file: {@code lan vrid vip [virtualMac]}. */
  public String line() {
    return lan + " " + vrid + " " + vip + (virtualMac == null ? "" : " " + virtualMac);
  }

  /** Parses {@link #line()}. */
  public static Group parse(String line) {
    String[] f = line.strip().split("\\s+");
    if (f.length != 3 && f.length != 4) {
      throw new IllegalArgumentException("expected 'lan vrid vip [virtualMac]', got: " + line);
    }
    return new Group(
        Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f.length == 4 ? f[3] : null);
  }

  /** The LANs needed for {@code instances} groups. */
  public static int lans(int instances) {
    return (instances + PER_LAN - 1) / PER_LAN;
  }

  /**
   * {@code instances} groups, {@link #PER_LAN} per LAN with VRIDs from 1. IPv4 groups take one
   * address of the LAN's /24 each, skipping the hosts' own .11 and .12, so only the two IPv4 LANs
   * can carry them; IPv6 groups take {@code 2001:db8:<lan>::1<vrid>}. With {@code virtualMacs} each
   * group's macvlan is {@code vr<lan>.<vrid>}.
   */
  public static List<Group> plan(int instances, boolean ipv6, boolean virtualMacs) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1");
    }
    if (!ipv6 && instances > 2 * PER_LAN) {
      throw new IllegalArgumentException(
          "IPv4 has two documentation /24s, so at most " + 2 * PER_LAN + " groups: use ipv6");
    }
    String[] v4 = {"192.0.2.", "198.51.100."};
    List<Group> groups = new ArrayList<>(instances);
    for (int i = 0; i < instances; i++) {
      int lan = i / PER_LAN;
      int vrid = i % PER_LAN + 1;
      String vip =
          ipv6
              ? "2001:db8:" + Integer.toHexString(lan) + "::1:" + Integer.toHexString(vrid) + "/64"
              : v4[lan] + (vrid >= 11 ? vrid + 2 : vrid) + "/24";
      groups.add(new Group(lan, vrid, vip, virtualMacs ? "vr" + lan + "." + vrid : null));
    }
    return groups;
  }
}
