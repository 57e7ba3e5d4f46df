package org.failover4j.netlink.rtnl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;

/**
 * An address to add to or delete from an interface. Build it with {@link #builder}.
 *
 * @param address the address
 * @param prefixLength its prefix length (0..32 for IPv4, 0..128 for IPv6)
 * @param ifindex the interface
 * @param label the IPv4 label ({@code eth0:vip}, at most 15 characters), or null
 * @param flags flags to set when adding ({@link AddressFlag#NODAD} for IPv6 virtual addresses)
 * @param scope the scope
 */
public record AddressSpec(
    InetAddress address,
    int prefixLength,
    int ifindex,
    String label,
    Set<AddressFlag> flags,
    AddressScope scope) {

  /**
   * Copies the flags; use {@link #builder} for validation.
   *
   * @param address the address
   * @param prefixLength its prefix length (0..32 for IPv4, 0..128 for IPv6)
   * @param ifindex the interface
   * @param label the IPv4 label ({@code eth0:vip}, at most 15 characters), or null
   * @param flags flags to set when adding ({@link AddressFlag#NODAD} for IPv6 virtual addresses)
   * @param scope the scope
   */
  public AddressSpec {
    flags = Set.copyOf(flags);
  }

  /**
   * {@return a builder for {@code address} on interface {@code ifindex}}
   *
   * @param address the address
   * @param ifindex the interface
   */
  public static Builder builder(InetAddress address, int ifindex) {
    return new Builder(address, ifindex);
  }

  /** {@return true for an IPv6 address} */
  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  @Override
  public String toString() {
    return AddressText.of(address)
        + "/"
        + prefixLength
        + " on ifindex "
        + ifindex
        + (label == null ? "" : " label " + label)
        + (flags.isEmpty() ? "" : " " + flags);
  }

  /** Builds an {@link AddressSpec}; {@link #build()} validates. */
  public static final class Builder {
    private final InetAddress address;
    private final int ifindex;
    private Integer prefixLength;
    private String label;
    private final Set<AddressFlag> flags = EnumSet.noneOf(AddressFlag.class);
    private AddressScope scope = AddressScope.UNIVERSE;

    private Builder(InetAddress address, int ifindex) {
      this.address = address;
      this.ifindex = ifindex;
    }

    /**
     * The prefix length; defaults to a host route (32 or 128).
     *
     * @param prefixLength its prefix length (0..32 for IPv4, 0..128 for IPv6)
     * @return this builder
     */
    public Builder prefixLength(int prefixLength) {
      this.prefixLength = prefixLength;
      return this;
    }

    /**
     * An IPv4 label, such as {@code eth0:vip}.
     *
     * @param label the IPv4 label ({@code eth0:vip}, at most 15 characters), or null
     * @return this builder
     */
    public Builder label(String label) {
      this.label = label;
      return this;
    }

    /**
     * Adds a flag to set.
     *
     * @param flag the flag
     * @return this builder
     */
    public Builder flag(AddressFlag flag) {
      flags.add(flag);
      return this;
    }

    /**
     * The scope (default {@link AddressScope#UNIVERSE}).
     *
     * @param scope the scope
     * @return this builder
     */
    public Builder scope(AddressScope scope) {
      this.scope = scope;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return this object
     * @throws InvalidConfigurationException naming the field that is wrong
     */
    public AddressSpec build() {
      InvalidConfigurationException.requirePresent("address", address);
      InvalidConfigurationException.requirePresent("scope", scope);
      if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
        throw new InvalidConfigurationException("address", "must be IPv4 or IPv6");
      }
      int max = address instanceof Inet4Address ? 32 : 128;
      int length = prefixLength == null ? max : prefixLength;
      InvalidConfigurationException.requireInRange("prefixLength", length, 0, max);
      InvalidConfigurationException.requireInRange("ifindex", ifindex, 1, Integer.MAX_VALUE);
      if (label != null) {
        if (address instanceof Inet6Address) {
          throw new InvalidConfigurationException("label", "IPv6 addresses have no label");
        }
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > Rtnl.MAX_NAME_LENGTH) {
          throw new InvalidConfigurationException(
              "label", "must have 1.." + Rtnl.MAX_NAME_LENGTH + " bytes, was " + bytes);
        }
      }
      for (AddressFlag flag : flags) {
        if (!AddressFlag.REQUESTABLE.contains(flag)) {
          throw new InvalidConfigurationException(
              "flags",
              flag
                  + " is reported by the kernel, not requested; allowed: "
                  + AddressFlag.REQUESTABLE);
        }
      }
      return new AddressSpec(address, length, ifindex, label, flags, scope);
    }
  }
}
