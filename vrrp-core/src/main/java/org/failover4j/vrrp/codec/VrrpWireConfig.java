package org.failover4j.vrrp.codec;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.platform.IpFamily;

/**
 * What one VRRP instance puts on the wire and expects back: version, VRID, interval, virtual
 * addresses, authentication, unicast peers and the checksum variants. Immutable; {@link
 * VrrpPacketEncoder} and {@link VrrpAdvertValidator} are built from it.
 *
 * <p>The family follows from the virtual addresses. VRRPv2 runs over IPv4 only (as in keepalived,
 * which moves IPv6 instances to v3), and authentication exists in VRRPv2 only. The password is
 * never part of {@link #toString()}.
 */
public final class VrrpWireConfig {

  private final int version;
  private final IpFamily family;
  private final int vrid;
  private final int intervalCentiseconds;
  private final List<InetAddress> virtualAddresses;
  private final byte[] packedAddresses;
  private final AuthType authType;
  private final byte[] authData;
  private final List<InetAddress> unicastPeers;
  private final byte[] packedPeers;
  private final ChecksumMode checksumMode;
  private final Set<ChecksumMode> acceptedChecksumModes;
  private final int ttl;
  private final boolean checkUnicastSource;
  private final HmacAuthentication hmac;

  private VrrpWireConfig(Builder b, IpFamily family, int intervalCentiseconds, byte[] authData) {
    this.version = b.version;
    this.family = family;
    this.vrid = b.vrid;
    this.intervalCentiseconds = intervalCentiseconds;
    this.virtualAddresses = List.copyOf(b.virtualAddresses);
    this.packedAddresses = pack(virtualAddresses, family);
    this.authType = b.authType;
    this.authData = authData;
    this.unicastPeers = List.copyOf(b.unicastPeers);
    this.packedPeers = pack(unicastPeers, family);
    this.checksumMode = b.checksumMode;
    this.acceptedChecksumModes = Collections.unmodifiableSet(EnumSet.copyOf(b.acceptedModes));
    this.ttl = b.ttl;
    this.checkUnicastSource = b.checkUnicastSource;
    this.hmac = b.hmac;
  }

  /** {@return a builder with keepalived's defaults: VRRPv2, 1 s, no authentication, multicast} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return 2 or 3} */
  public int version() {
    return version;
  }

  /**
   * IPv4 or IPv6, as the virtual addresses are.
   *
   * @return the address family
   */
  public IpFamily family() {
    return family;
  }

  /** {@return the virtual router ID, 1..255} */
  public int vrid() {
    return vrid;
  }

  /** {@return the advertisement interval} */
  public Duration interval() {
    return Duration.ofMillis(intervalCentiseconds * 10L);
  }

  /** {@return the advertisement interval in centiseconds (v2: a multiple of 100)} */
  public int intervalCentiseconds() {
    return intervalCentiseconds;
  }

  /** {@return the virtual addresses, in the order adverts list them} */
  public List<InetAddress> virtualAddresses() {
    return virtualAddresses;
  }

  /** {@return the authentication type (always {@link AuthType#NONE} for VRRPv3)} */
  public AuthType authType() {
    return authType;
  }

  /** {@return the unicast peers; empty for a multicast instance} */
  public List<InetAddress> unicastPeers() {
    return unicastPeers;
  }

  /** {@return true when the instance sends unicast to its peers instead of to the group} */
  public boolean isUnicast() {
    return !unicastPeers.isEmpty();
  }

  /** {@return how VRRPv3 over IPv4 adverts are checksummed on send} */
  public ChecksumMode checksumMode() {
    return checksumMode;
  }

  /** {@return the VRRPv3-over-IPv4 checksum variants accepted on receipt} */
  public Set<ChecksumMode> acceptedChecksumModes() {
    return acceptedChecksumModes;
  }

  /** {@return the TTL or hop limit to send with: 255 unless a unicast setup says otherwise} */
  public int ttl() {
    return ttl;
  }

  /** {@return whether a unicast instance drops adverts from sources that are not its peers} */
  public boolean checkUnicastSource() {
    return checkUnicastSource;
  }

  /** {@return keepalived 2.4's {@code auth_hmac} configuration, or null without it} */
  public HmacAuthentication hmacAuthentication() {
    return hmac;
  }

  /**
   * {@return this configuration with {@code value} as its {@code auth_hmac} (keepalived's reload of
   * the keys and mode)}
   *
   * @param value the new keys and modes, or null for none
   * @throws InvalidConfigurationException when VRRPv2 authentication is configured, which {@code
   *     auth_hmac} replaces
   */
  public VrrpWireConfig withHmacAuthentication(HmacAuthentication value) {
    if (authType != AuthType.NONE) {
      if (value == null) {
        return this;
      }
      throw new InvalidConfigurationException(
          "authType", "must be NONE with auth_hmac, which replaces it, was " + authType);
    }
    return builder()
        .version(version)
        .vrid(vrid)
        .interval(interval())
        .virtualAddresses(virtualAddresses)
        .unicastPeers(unicastPeers)
        .checksumMode(checksumMode)
        .acceptedChecksumModes(acceptedChecksumModes)
        .ttl(ttl)
        .checkUnicastSource(checkUnicastSource)
        .hmacAuthentication(value)
        .build();
  }

  /** {@return 28 when adverts carry an {@code auth_hmac} trailer, else 0} */
  public int hmacTrailerLength() {
    return hmac != null && hmac.mode().signs() ? HmacTrailer.LENGTH : 0;
  }

  /** The virtual addresses as consecutive 4- or 16-byte values (shared: do not modify). */
  byte[] packedAddresses() {
    return packedAddresses;
  }

  /** The peers as consecutive 4- or 16-byte values (shared: do not modify). */
  byte[] packedPeers() {
    return packedPeers;
  }

  /** The 8 bytes of authentication data: the password zero-padded (shared: do not modify). */
  byte[] authData() {
    return authData;
  }

  @Override
  public String toString() {
    return "VrrpWireConfig[v"
        + version
        + " "
        + family
        + " vrid "
        + vrid
        + ", interval "
        + interval()
        + ", addresses "
        + virtualAddresses
        + ", auth "
        + authType
        + (authType == AuthType.NONE ? "" : " (password hidden)")
        + (hmac == null ? "" : ", " + hmac)
        + (isUnicast() ? ", unicast to " + unicastPeers : ", multicast")
        + ", checksum "
        + checksumMode
        + "]";
  }

  private static byte[] pack(List<InetAddress> addresses, IpFamily family) {
    int width = family.addressLength();
    byte[] packed = new byte[addresses.size() * width];
    for (int i = 0; i < addresses.size(); i++) {
      System.arraycopy(addresses.get(i).getAddress(), 0, packed, i * width, width);
    }
    return packed;
  }

  /** Builds a {@link VrrpWireConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private int version = 2;
    private int vrid;
    private Duration interval = Duration.ofSeconds(1);
    private final List<InetAddress> virtualAddresses = new ArrayList<>();
    private AuthType authType = AuthType.NONE;
    private byte[] password = new byte[0];
    private final List<InetAddress> unicastPeers = new ArrayList<>();
    private ChecksumMode checksumMode = ChecksumMode.PSEUDO_HEADER;
    private Set<ChecksumMode> acceptedModes = EnumSet.allOf(ChecksumMode.class);
    private int ttl = 255;
    private boolean checkUnicastSource = true;
    private HmacAuthentication hmac;

    private Builder() {}

    /**
     * VRRP version 2 or 3 (default 2, as keepalived).
     *
     * @param value 2 or 3
     * @return this builder
     */
    public Builder version(int value) {
      this.version = value;
      return this;
    }

    /**
     * The virtual router ID, 1..255 (required).
     *
     * @param value the VRID, 1..255
     * @return this builder
     */
    public Builder vrid(int value) {
      this.vrid = value;
      return this;
    }

    /**
     * The advertisement interval: whole seconds 1..255 for v2, 10 ms steps to 40.95 s for v3.
     *
     * @param value the interval
     * @return this builder
     */
    public Builder interval(Duration value) {
      this.interval = value;
      return this;
    }

    /**
     * The virtual addresses, 1 to 255 of one family (replaces earlier ones).
     *
     * @param addresses the virtual addresses
     * @return this builder
     */
    public Builder virtualAddresses(List<InetAddress> addresses) {
      this.virtualAddresses.clear();
      this.virtualAddresses.addAll(addresses);
      return this;
    }

    /**
     * The virtual addresses, 1 to 255 of one family (replaces earlier ones).
     *
     * @param addresses the virtual addresses
     * @return this builder
     */
    public Builder virtualAddresses(InetAddress... addresses) {
      return virtualAddresses(List.of(addresses));
    }

    /**
     * VRRPv2 authentication with a password of 1 to 8 bytes; {@link AuthType#NONE} takes none.
     *
     * @param type the authentication type
     * @param passwordBytes the password, 1 to 8 bytes (none for {@code NONE})
     * @return this builder
     */
    public Builder authentication(AuthType type, byte[] passwordBytes) {
      this.authType = Objects.requireNonNull(type, "type");
      this.password = passwordBytes.clone();
      return this;
    }

    /**
     * As {@link #authentication(AuthType, byte[])} with the password's UTF-8 bytes.
     *
     * @param type the authentication type
     * @param passwordText the password, 1 to 8 UTF-8 bytes (none for {@code NONE})
     * @return this builder
     */
    public Builder authentication(AuthType type, String passwordText) {
      return authentication(type, passwordText.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Unicast peers of the instance's family; none (the default) means multicast.
     *
     * @param peers the unicast peers
     * @return this builder
     */
    public Builder unicastPeers(List<InetAddress> peers) {
      this.unicastPeers.clear();
      this.unicastPeers.addAll(peers);
      return this;
    }

    /**
     * How VRRPv3-over-IPv4 adverts are checksummed on send (default {@code PSEUDO_HEADER}).
     *
     * @param mode the checksum mode
     * @return this builder
     */
    public Builder checksumMode(ChecksumMode mode) {
      this.checksumMode = mode;
      return this;
    }

    /**
     * The checksum variants accepted on receipt (default: all three).
     *
     * @param modes the accepted checksum modes
     * @return this builder
     */
    public Builder acceptedChecksumModes(Set<ChecksumMode> modes) {
      this.acceptedModes = new LinkedHashSet<>(modes);
      return this;
    }

    /**
     * The TTL or hop limit to send with, 1..255 (default 255).
     *
     * @param value the TTL or hop limit, 1..255
     * @return this builder
     */
    public Builder ttl(int value) {
      this.ttl = value;
      return this;
    }

    /**
     * Whether a unicast instance drops adverts from non-peers (default true).
     *
     * @param value true to drop adverts from non-peers
     * @return this builder
     */
    public Builder checkUnicastSource(boolean value) {
      this.checkUnicastSource = value;
      return this;
    }

    /**
     * keepalived 2.4's {@code auth_hmac} (v2 and v3, IPv4 and IPv6); null (the default) for none.
     * It replaces VRRPv2's own authentication, which must then be {@link AuthType#NONE}.
     *
     * @param value the keys and modes, or null
     * @return this builder
     */
    public Builder hmacAuthentication(HmacAuthentication value) {
      this.hmac = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return this object
     * @throws InvalidConfigurationException naming the first invalid field and what is allowed
     */
    public VrrpWireConfig build() {
      InvalidConfigurationException.requireInRange("vrid", vrid, 1, 255);
      if (version != 2 && version != 3) {
        throw new InvalidConfigurationException("version", "must be 2 or 3, was " + version);
      }
      if (virtualAddresses.isEmpty() || virtualAddresses.size() > 255) {
        throw new InvalidConfigurationException(
            "virtualAddresses", "must hold 1..255 addresses, held " + virtualAddresses.size());
      }
      if (virtualAddresses.contains(null)) {
        throw new InvalidConfigurationException("virtualAddresses", "must not contain null");
      }
      IpFamily family = IpFamily.of(virtualAddresses.get(0));
      for (InetAddress a : virtualAddresses) {
        if (IpFamily.of(a) != family) {
          throw new InvalidConfigurationException(
              "virtualAddresses", "must all be " + family + ", " + AddressText.of(a) + " is not");
        }
      }
      if (family == IpFamily.IPV6 && version == 2) {
        throw new InvalidConfigurationException("version", "VRRPv2 runs over IPv4 only, use 3");
      }
      int centiseconds = intervalCentiseconds(version, interval);
      byte[] authData = authData(version, authType, password);
      for (InetAddress peer : unicastPeers) {
        if (peer == null || IpFamily.of(peer) != family) {
          throw new InvalidConfigurationException(
              "unicastPeers",
              "must all be " + family + " addresses, found " + AddressText.of(peer));
        }
      }
      InvalidConfigurationException.requirePresent("checksumMode", checksumMode);
      if (acceptedModes.isEmpty() || acceptedModes.contains(null)) {
        throw new InvalidConfigurationException(
            "acceptedChecksumModes", "must name at least one mode, and no null");
      }
      InvalidConfigurationException.requireInRange("ttl", ttl, 1, 255);
      if (hmac != null && authType != AuthType.NONE) {
        throw new InvalidConfigurationException(
            "authType", "must be NONE with auth_hmac, which replaces it, was " + authType);
      }
      return new VrrpWireConfig(this, family, centiseconds, authData);
    }

    private static int intervalCentiseconds(int version, Duration interval) {
      InvalidConfigurationException.requirePresent("interval", interval);
      if (version == 2) {
        long seconds = interval.getSeconds();
        if (interval.getNano() != 0 || seconds < 1 || seconds > 255) {
          throw new InvalidConfigurationException(
              "interval", "must be whole seconds in 1..255 for VRRPv2, was " + interval);
        }
        return (int) seconds * 100;
      }
      long millis = interval.toMillis();
      if (interval.isNegative()
          || interval.toNanos() % 10_000_000L != 0
          || millis < 10
          || millis > 40_950) {
        throw new InvalidConfigurationException(
            "interval", "must be 10 ms steps in 10 ms..40.95 s for VRRPv3, was " + interval);
      }
      return (int) (millis / 10);
    }

    private static byte[] authData(int version, AuthType type, byte[] password) {
      InvalidConfigurationException.requirePresent("authType", type);
      byte[] data = new byte[VrrpAdvertDecoder.AUTH_DATA_LENGTH];
      if (type == AuthType.NONE) {
        if (password.length != 0) {
          throw new InvalidConfigurationException("authPassword", "must be empty without auth");
        }
        return data;
      }
      if (version != 2) {
        throw new InvalidConfigurationException(
            "authType", "VRRPv3 has no authentication, was " + type);
      }
      if (password.length < 1 || password.length > VrrpAdvertDecoder.AUTH_DATA_LENGTH) {
        throw new InvalidConfigurationException(
            "authPassword", "must be 1..8 bytes, was " + password.length);
      }
      System.arraycopy(password, 0, data, 0, password.length);
      return data;
    }
  }
}
