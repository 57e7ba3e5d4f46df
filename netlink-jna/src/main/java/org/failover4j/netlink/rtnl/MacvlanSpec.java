package org.failover4j.netlink.rtnl;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.netlink.MacAddress;

/**
 * A macvlan interface to create: a virtual link on a parent with its own MAC address, such as the
 * VRRP virtual MAC ({@link MacAddress#vrrpIpv4}). Build it with {@link #builder}.
 *
 * @param name the new interface's name (1..15 characters), such as {@code vrrp.7}
 * @param parentIndex the parent interface
 * @param mac the MAC address
 * @param mode how it talks to its siblings
 * @param up whether to bring it up at creation
 * @param linkLocal the IPv6 link-local address it gets instead of the one the kernel would derive
 *     from its MAC, or null to let the kernel derive one
 */
public record MacvlanSpec(
    String name,
    int parentIndex,
    MacAddress mac,
    MacvlanMode mode,
    boolean up,
    Inet6Address linkLocal) {

  /**
   * {@return a builder for macvlan {@code name} on {@code parentIndex} with {@code mac}}
   *
   * @param name the new interface's name (1..15 characters), such as {@code vrrp.7}
   * @param parentIndex the parent interface
   * @param mac the MAC address
   */
  public static Builder builder(String name, int parentIndex, MacAddress mac) {
    return new Builder(name, parentIndex, mac);
  }

  /** Builds a {@link MacvlanSpec}; {@link #build()} validates. */
  public static final class Builder {
    private final String name;
    private final int parentIndex;
    private final MacAddress mac;
    private MacvlanMode mode = MacvlanMode.PRIVATE;
    private boolean up = true;
    private Inet6Address linkLocal;

    private Builder(String name, int parentIndex, MacAddress mac) {
      this.name = name;
      this.parentIndex = parentIndex;
      this.mac = mac;
    }

    /**
     * The mode (default {@link MacvlanMode#PRIVATE}, as keepalived uses).
     *
     * @param mode how it talks to its siblings
     * @return this builder
     */
    public Builder mode(MacvlanMode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * Whether the link comes up at creation (default true).
     *
     * @param up whether to bring it up at creation
     * @return this builder
     */
    public Builder up(boolean up) {
      this.up = up;
      return this;
    }

    /**
     * Gives the macvlan this IPv6 link-local address (added without duplicate address detection)
     * and none derived from its MAC. A virtual MAC is the same on every router of a group, and so
     * would be the link-local address the kernel derives from it; RFC 5798 section 7.4 forbids
     * deriving an interface identifier from the virtual router MAC, and keepalived gives its
     * macvlans the parent's link-local address instead.
     *
     * @param linkLocal an IPv6 link-local address, or null (the default) for the kernel's own
     * @return this builder
     */
    public Builder linkLocal(Inet6Address linkLocal) {
      this.linkLocal = linkLocal;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return this object
     * @throws InvalidConfigurationException naming the field that is wrong
     */
    public MacvlanSpec build() {
      InvalidConfigurationException.requirePresent("name", name);
      InvalidConfigurationException.requirePresent("mac", mac);
      InvalidConfigurationException.requirePresent("mode", mode);
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0
          || bytes > Rtnl.MAX_NAME_LENGTH
          || name.equals(".")
          || name.equals("..")
          || !name.matches("[^/:\\s]+")) {
        throw new InvalidConfigurationException(
            "name",
            "must have 1.."
                + Rtnl.MAX_NAME_LENGTH
                + " bytes without '/', ':' or white space, was \""
                + name
                + "\"");
      }
      InvalidConfigurationException.requireInRange(
          "parentIndex", parentIndex, 1, Integer.MAX_VALUE);
      if (mac.isMulticast()) {
        throw new InvalidConfigurationException("mac", "must be a unicast address, was " + mac);
      }
      if (linkLocal != null && !linkLocal.isLinkLocalAddress()) {
        throw new InvalidConfigurationException(
            "linkLocal", "must be an IPv6 link-local address, was " + AddressText.of(linkLocal));
      }
      return new MacvlanSpec(name, parentIndex, mac, mode, up, linkLocal);
    }
  }
}
