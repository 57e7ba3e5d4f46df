package org.failover4j.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.address.VirtualMac;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.ChecksumMode;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;
import org.failover4j.vrrp.codec.VrrpWireConfig;

/**
 * The immutable configuration of one VRRP instance, built with {@link #builder(String)}. Every
 * setting has keepalived's meaning and, where keepalived has one, its default.
 */
public final class VrrpInstanceConfig {

  private final String name;
  private final String iface;
  private final VrrpWireConfig wire;
  private final int priority;
  private final List<VirtualAddress> virtualAddresses;
  private final List<VirtualAddress> excludedAddresses;
  private final boolean preempt;
  private final Duration preemptDelay;
  private final InetAddress unicastSource;
  private final String virtualMacName;
  private final List<TrackedInterface> trackedInterfaces;
  private final List<TrackedCheck> trackedChecks;
  private final GratuitousAnnouncements announcements;
  private final boolean lowerPriorityNoAdvert;
  private final boolean takeOverHostAddress;
  private final Duration addressRetry;

  private VrrpInstanceConfig(Builder b, VrrpWireConfig wire, String virtualMacName) {
    this.name = b.name;
    this.iface = b.iface;
    this.wire = wire;
    this.priority = b.priority;
    this.virtualAddresses = List.copyOf(b.virtualAddresses);
    this.excludedAddresses = List.copyOf(b.excludedAddresses);
    this.preempt = b.preempt;
    this.preemptDelay = b.preemptDelay;
    this.lowerPriorityNoAdvert = b.lowerPriorityNoAdvert;
    this.takeOverHostAddress = b.takeOverHostAddress;
    this.addressRetry = b.addressRetry;
    this.unicastSource = b.unicastSource;
    this.virtualMacName = virtualMacName;
    this.trackedInterfaces = List.copyOf(b.trackedInterfaces);
    this.trackedChecks = List.copyOf(b.trackedChecks);
    this.announcements = b.announcements;
  }

  /**
   * Starts a configuration for the instance called {@code name} (as in keepalived's logs).
   *
   * @param name the instance's name
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@return the instance's name} */
  public String name() {
    return name;
  }

  /** {@return the interface the instance runs on} */
  public String iface() {
    return iface;
  }

  /**
   * {@return what the instance puts on the wire: version, VRID, interval, addresses,
   * authentication}
   */
  public VrrpWireConfig wire() {
    return wire;
  }

  /** {@return the virtual router id} */
  public int vrid() {
    return wire.vrid();
  }

  /** {@return the VRRP version it speaks} */
  public VrrpVersion version() {
    return VrrpVersion.of(wire.version());
  }

  /** {@return the configured priority (255: address owner)} */
  public int priority() {
    return priority;
  }

  /** {@return the advertisement interval} */
  public Duration advertInterval() {
    return wire.interval();
  }

  /** {@return the advertisement interval in centiseconds, the unit of the wire} */
  public int advertIntervalCentis() {
    return wire.intervalCentiseconds();
  }

  /** {@return the virtual addresses, in advert order} */
  public List<VirtualAddress> virtualAddresses() {
    return virtualAddresses;
  }

  /**
   * {@return the addresses held with the virtual ones but left out of adverts (keepalived's {@code
   * virtual_ipaddress_excluded}), of either family}
   */
  public List<VirtualAddress> excludedAddresses() {
    return excludedAddresses;
  }

  /** {@return every address the master holds: the virtual ones, then the excluded ones} */
  public List<VirtualAddress> heldAddresses() {
    if (excludedAddresses.isEmpty()) {
      return virtualAddresses;
    }
    List<VirtualAddress> all = new ArrayList<>(virtualAddresses);
    all.addAll(excludedAddresses);
    return List.copyOf(all);
  }

  /** {@return true when the virtual addresses are IPv6} */
  public boolean isIpv6() {
    return virtualAddresses.get(0).isIpv6();
  }

  /** {@return whether a higher-priority backup takes over from a lower-priority master} */
  public boolean preempt() {
    return preempt;
  }

  /**
   * keepalived's {@code preempt_delay}.
   *
   * @return the delay
   */
  public Duration preemptDelay() {
    return preemptDelay;
  }

  /** {@return the configured advert source address, or null for the interface's default} */
  public InetAddress unicastSource() {
    return unicastSource;
  }

  /** {@return the unicast peers; empty for multicast mode} */
  public List<InetAddress> unicastPeers() {
    return wire.unicastPeers();
  }

  /** {@return true in unicast mode} */
  public boolean isUnicast() {
    return wire.isUnicast();
  }

  /** {@return whether adverts and addresses live on a macvlan with the VRRP virtual MAC} */
  public boolean virtualMac() {
    return virtualMacName != null;
  }

  /**
   * {@return the name of the macvlan that holds the virtual MAC ({@code vrrp.VRID} unless
   * configured, as keepalived's {@code use_vmac}), or null without a virtual MAC}
   */
  public String virtualMacName() {
    return virtualMacName;
  }

  /** {@return the interfaces tracked} */
  public List<TrackedInterface> trackedInterfaces() {
    return trackedInterfaces;
  }

  /** {@return the health checks tracked} */
  public List<TrackedCheck> trackedChecks() {
    return trackedChecks;
  }

  /**
   * Gratuitous ARP / unsolicited NA settings.
   *
   * @return the settings
   */
  public GratuitousAnnouncements announcements() {
    return announcements;
  }

  /**
   * keepalived's {@code lower_prio_no_advert}: a master that hears a lower priority re-announces
   * its addresses but sends no advert in answer.
   *
   * @return true when enabled
   */
  public boolean lowerPriorityNoAdvert() {
    return lowerPriorityNoAdvert;
  }

  /**
   * {@return whether a virtual address that is also the interface's own address may be taken over
   * (and so removed when this instance is not master); see {@link Builder#takeOverHostAddress}}
   */
  public boolean takeOverHostAddress() {
    return takeOverHostAddress;
  }

  /**
   * {@return how long an instance that could not add its addresses stays in FAULT before it tries
   * again}
   */
  public Duration addressRetry() {
    return addressRetry;
  }

  @Override
  public String toString() {
    return "VrrpInstanceConfig["
        + name
        + " on "
        + iface
        + " prio "
        + priority
        + " "
        + virtualAddresses
        + " "
        + wire
        + "]";
  }

  /** Builds a {@link VrrpInstanceConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private final String name;
    private String iface;
    private Integer vrid;
    private int version = 3;
    private int priority = 100;
    private Duration advertInterval = Duration.ofSeconds(1);
    private final List<VirtualAddress> virtualAddresses = new ArrayList<>();
    private final List<VirtualAddress> excludedAddresses = new ArrayList<>();
    private AuthType authType = AuthType.NONE;
    private String authSecret = "";
    private HmacAuthentication hmac;
    private ChecksumMode checksumMode = ChecksumMode.PSEUDO_HEADER;
    private boolean preempt = true;
    private Duration preemptDelay = Duration.ZERO;
    private boolean lowerPriorityNoAdvert;
    private boolean takeOverHostAddress;
    private Duration addressRetry = Duration.ofSeconds(5);
    private InetAddress unicastSource;
    private final List<InetAddress> unicastPeers = new ArrayList<>();
    private boolean virtualMac;
    private String virtualMacName;
    private final List<TrackedInterface> trackedInterfaces = new ArrayList<>();
    private final List<TrackedCheck> trackedChecks = new ArrayList<>();
    private GratuitousAnnouncements announcements = GratuitousAnnouncements.KEEPALIVED_DEFAULTS;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * The interface to run on (required).
     *
     * @param interfaceName the interface name
     * @return this builder
     */
    public Builder iface(String interfaceName) {
      this.iface = interfaceName;
      return this;
    }

    /**
     * The virtual router id, 1..255 (required).
     *
     * @param id the VRID
     * @return this builder
     */
    public Builder vrid(int id) {
      this.vrid = id;
      return this;
    }

    /**
     * Sets the VRRP version (default {@link VrrpVersion#V3}).
     *
     * @param vrrpVersion the VRRP version
     * @return this builder
     */
    public Builder version(VrrpVersion vrrpVersion) {
      this.version = Objects.requireNonNull(vrrpVersion, "version").number();
      return this;
    }

    /**
     * The VRRP version as a number, for configuration read as text (command lines, properties): the
     * same as {@link #version(VrrpVersion)} with {@link VrrpVersion#of}.
     *
     * @param vrrpVersion 2 or 3
     * @return this builder
     * @throws InvalidConfigurationException for anything but 2 or 3
     */
    public Builder version(int vrrpVersion) {
      return version(VrrpVersion.of(vrrpVersion));
    }

    /**
     * 1..255 (default 100; 255 makes this router the address owner).
     *
     * @param value the priority
     * @return this builder
     */
    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    /**
     * Default 1 s; v3: 10 ms steps up to 40.95 s, v2: whole seconds up to 255 s.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder advertInterval(Duration interval) {
      this.advertInterval = interval;
      return this;
    }

    /**
     * Adds a virtual address such as {@code 192.0.2.100/24}.
     *
     * @param cidr the address and prefix length
     * @return this builder
     */
    public Builder virtualAddress(String cidr) {
      return virtualAddress(VirtualAddress.parse(cidr));
    }

    /**
     * Adds a virtual address.
     *
     * @param address the address
     * @return this builder
     */
    public Builder virtualAddress(VirtualAddress address) {
      virtualAddresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * Adds an address the master holds and announces like the virtual ones but leaves out of its
     * adverts, of either family (keepalived's {@code virtual_ipaddress_excluded}: many addresses,
     * or IPv6 beside IPv4 ones, without growing the advert).
     *
     * @param address the address
     * @return this builder
     */
    public Builder excludedAddress(VirtualAddress address) {
      excludedAddresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * VRRPv2 simple-text authentication with a password of 1..8 bytes.
     *
     * @param password the password
     * @return this builder
     */
    public Builder authPassword(String password) {
      this.authType = AuthType.SIMPLE_TEXT;
      this.authSecret = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * VRRPv2 IPsec-AH authentication keyed with 1..8 bytes, exactly as keepalived does it.
     *
     * @param key the key
     * @return this builder
     */
    public Builder authAh(String key) {
      this.authType = AuthType.IPSEC_AH;
      this.authSecret = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * keepalived 2.4's {@code auth_hmac}: an HMAC-SHA256 trailer with anti-replay on every advert,
     * VRRPv2 and v3, IPv4 and IPv6, multicast and unicast. It replaces {@link #authPassword} and
     * {@link #authAh}; null (the default) for none. Roll it out as keepalived documents: {@link
     * HmacMode#RECEIVE_ONLY} on every node, then {@link HmacMode#PERMISSIVE}, then {@link
     * HmacMode#ENFORCE}; rotate by adding the new key everywhere, then moving the active key.
     *
     * @param hmac the keys and modes, or null
     * @return this builder
     */
    public Builder authHmac(HmacAuthentication hmac) {
      this.hmac = hmac;
      return this;
    }

    /**
     * How VRRPv3-over-IPv4 adverts are checksummed (default keepalived 2.2.7's pseudo-header with
     * the actual destination); every variant is accepted on receipt.
     *
     * @param mode the checksum mode
     * @return this builder
     */
    public Builder checksumMode(ChecksumMode mode) {
      this.checksumMode = Objects.requireNonNull(mode, "checksumMode");
      return this;
    }

    /**
     * Never take over from a lower-priority master ({@code nopreempt}).
     *
     * @return this builder
     */
    public Builder noPreempt() {
      this.preempt = false;
      return this;
    }

    /**
     * keepalived's {@code preempt_delay}, 0..1000 s.
     *
     * @param delay the delay
     * @return this builder
     */
    public Builder preemptDelay(Duration delay) {
      this.preemptDelay = delay;
      return this;
    }

    /**
     * Unicast mode: send adverts to these peers instead of the multicast group.
     *
     * @param peer a peer's address (call once per peer)
     * @return this builder
     */
    public Builder unicastPeer(InetAddress peer) {
      unicastPeers.add(Objects.requireNonNull(peer, "peer"));
      return this;
    }

    /**
     * The source address of the adverts, keepalived's {@code unicast_src_ip} (and {@code
     * mcast_src_ip}). By default: over IPv4 the interface's primary address; over IPv6 with unicast
     * peers the interface's oldest global address (its own, not a virtual one), else its link-local
     * address. An IPv6 source is fixed: every advert leaves from it, whatever the kernel would
     * choose.
     *
     * @param source the source address
     * @return this builder
     */
    public Builder unicastSource(InetAddress source) {
      this.unicastSource = source;
      return this;
    }

    /**
     * Use a private macvlan with the virtual MAC 00:00:5e:00:01:VRID (IPv6: 00:02).
     *
     * @param enabled true to use the virtual MAC
     * @return this builder
     */
    public Builder virtualMac(boolean enabled) {
      this.virtualMac = enabled;
      this.virtualMacName = null;
      return this;
    }

    /**
     * Use a private macvlan called {@code name} with the virtual MAC, as keepalived's {@code
     * use_vmac NAME}: instances with one VRID on several interfaces each need a name of their own.
     *
     * @param name the macvlan's interface name, valid as Linux checks one (1..15 bytes, no {@code
     *     /}, {@code :}, {@code %} or whitespace, not {@code .} or {@code ..})
     * @return this builder
     */
    public Builder virtualMac(String name) {
      this.virtualMac = true;
      this.virtualMacName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Tracks an interface with a weight (0: its failure means FAULT).
     *
     * @param ifname the interface to track
     * @param weight -254..254; 0 makes its failure a fault
     * @return this builder
     */
    public Builder trackInterface(String ifname, int weight) {
      trackedInterfaces.add(new TrackedInterface(ifname, weight));
      return this;
    }

    /**
     * Tracks an application health check with a weight (0: its failure means FAULT).
     *
     * @param checkName the check's name, for logs and events
     * @param weight -254..254; 0 makes its failure a fault
     * @param check the check, run off the event loop
     * @param every how often it runs
     * @return this builder
     */
    public Builder trackCheck(String checkName, int weight, HealthCheck check, Duration every) {
      trackedChecks.add(new TrackedCheck(checkName, weight, check, every));
      return this;
    }

    /**
     * Gratuitous ARP / unsolicited NA timing (default: keepalived's).
     *
     * @param settings the announcement settings
     * @return this builder
     */
    public Builder announcements(GratuitousAnnouncements settings) {
      this.announcements = Objects.requireNonNull(settings, "announcements");
      return this;
    }

    /**
     * keepalived's {@code lower_prio_no_advert}: answer a lower-priority master by re-announcing
     * the addresses only, without an advert (answers are rate-limited to one per advert interval
     * either way).
     *
     * @param enabled true to enable it
     * @return this builder
     */
    public Builder lowerPriorityNoAdvert(boolean enabled) {
      this.lowerPriorityNoAdvert = enabled;
      return this;
    }

    /**
     * A virtual address equal to the interface's own (primary) address is refused at start, since a
     * backup would delete the host's address; an address owner (priority 255) keeps it and never
     * removes it. Set this to take such an address over anyway, as keepalived does.
     *
     * @param enabled true to take such an address over
     * @return this builder
     */
    public Builder takeOverHostAddress(boolean enabled) {
      this.takeOverHostAddress = enabled;
      return this;
    }

    /**
     * How long an instance that could not add its virtual addresses (no CAP_NET_ADMIN, address
     * refused) stays in FAULT before it rejoins the election and tries again; 1 s..1 h, default 5
     * s.
     *
     * @param delay the delay
     * @return this builder
     */
    public Builder addressRetry(Duration delay) {
      this.addressRetry = delay;
      return this;
    }

    /**
     * Validates and builds; the exception names the field and what is allowed.
     *
     * @return this object
     */
    public VrrpInstanceConfig build() {
      if (name == null || name.isBlank()) {
        throw new InvalidConfigurationException("name", "is required");
      }
      if (iface == null) {
        throw new InvalidConfigurationException("iface", "is required");
      }
      if (iface.isEmpty() || iface.length() > 15) {
        throw new InvalidConfigurationException(
            "iface", "interface name must be 1..15 characters, was " + iface);
      }
      if (iface.equals("lo")) {
        throw new InvalidConfigurationException(
            "iface", "lo cannot carry VRRP: adverts never leave the host");
      }
      if (vrid == null) {
        throw new InvalidConfigurationException("vrid", "is required");
      }
      InvalidConfigurationException.requireInRange("priority", priority, 1, 255);
      List<InetAddress> addresses = new ArrayList<>();
      virtualAddresses.forEach(a -> addresses.add(a.address()));
      VrrpWireConfig wire =
          VrrpWireConfig.builder()
              .version(version)
              .vrid(vrid)
              .interval(advertInterval)
              .virtualAddresses(addresses)
              .authentication(authType, authSecret)
              .hmacAuthentication(hmac)
              .unicastPeers(unicastPeers)
              .checksumMode(checksumMode)
              .build();
      checkFitsOneFrame(wire.family() == IpFamily.IPV6, wire.hmacTrailerLength());
      java.util.Set<InetAddress> seen = new java.util.HashSet<>(addresses);
      for (VirtualAddress a : excludedAddresses) {
        if (!seen.add(a.address())) {
          throw new InvalidConfigurationException(
              "excludedAddress", a + " is listed twice (or is also a virtual address)");
        }
      }
      if (preemptDelay == null || preemptDelay.isNegative() || preemptDelay.toSeconds() > 1000) {
        throw new InvalidConfigurationException(
            "preemptDelay", "must be in 0..1000 s, was " + preemptDelay);
      }
      if (addressRetry == null
          || addressRetry.compareTo(Duration.ofSeconds(1)) < 0
          || addressRetry.compareTo(Duration.ofHours(1)) > 0) {
        throw new InvalidConfigurationException(
            "addressRetry", "must be in 1 s..1 h, was " + addressRetry);
      }
      if (unicastSource != null && IpFamily.of(unicastSource) != wire.family()) {
        throw new InvalidConfigurationException(
            "unicastSource", "must be " + wire.family() + " like the virtual addresses");
      }
      return new VrrpInstanceConfig(this, wire, checkedVirtualMacName());
    }

    /**
     * The macvlan's name: keepalived's {@code vrrp.VRID} unless configured, checked as Linux does.
     */
    private String checkedVirtualMacName() {
      if (!virtualMac) {
        return null;
      }
      String vmacName = virtualMacName != null ? virtualMacName : "vrrp." + vrid;
      String problem = VirtualMac.nameProblem(vmacName);
      if (problem != null) {
        throw new InvalidConfigurationException("virtualMacName", problem);
      }
      return vmacName;
    }

    private void checkFitsOneFrame(boolean ipv6, int trailer) {
      // One advert carries every address and must fit a 1500-byte Ethernet payload.
      int max = ipv6 ? (1500 - 40 - 8 - trailer) / 16 : (1500 - 20 - 24 - 16 - trailer) / 4;
      if (virtualAddresses.size() > max) {
        throw new InvalidConfigurationException(
            "virtualAddress", "at most " + max + " fit one advert, was " + virtualAddresses.size());
      }
    }
  }
}
