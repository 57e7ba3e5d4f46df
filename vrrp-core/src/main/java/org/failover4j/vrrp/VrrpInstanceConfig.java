package org.failover4j.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.failover4j.api.InvalidConfigurationException;

/**
 * The immutable configuration of one VRRP instance, built with {@link #builder(String)}. Every
 * setting has keepalived's meaning and, where keepalived has one, its default.
 */
public final class VrrpInstanceConfig {

  private final String name;
  private final String iface;
  private final int vrid;
  private final int version;
  private final int priority;
  private final Duration advertInterval;
  private final List<VirtualAddress> virtualAddresses;
  private final Authentication authentication;
  private final boolean preempt;
  private final Duration preemptDelay;
  private final InetAddress unicastSource;
  private final List<InetAddress> unicastPeers;
  private final boolean virtualMac;
  private final List<TrackedInterface> trackedInterfaces;
  private final List<TrackedCheck> trackedChecks;
  private final GratuitousAnnouncements announcements;

  private VrrpInstanceConfig(Builder b) {
    this.name = b.name;
    this.iface = b.iface;
    this.vrid = b.vrid;
    this.version = b.version;
    this.priority = b.priority;
    this.advertInterval = b.advertInterval;
    this.virtualAddresses = List.copyOf(b.virtualAddresses);
    this.authentication = b.authentication;
    this.preempt = b.preempt;
    this.preemptDelay = b.preemptDelay;
    this.unicastSource = b.unicastSource;
    this.unicastPeers = List.copyOf(b.unicastPeers);
    this.virtualMac = b.virtualMac;
    this.trackedInterfaces = List.copyOf(b.trackedInterfaces);
    this.trackedChecks = List.copyOf(b.trackedChecks);
    this.announcements = b.announcements;
  }

  /** Starts a configuration for the instance called {@code name} (as in keepalived's logs). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The instance's name. */
  public String name() {
    return name;
  }

  /** The interface the instance runs on. */
  public String iface() {
    return iface;
  }

  /** The virtual router id. */
  public int vrid() {
    return vrid;
  }

  /** 2 or 3. */
  public int version() {
    return version;
  }

  /** The configured priority (255: address owner). */
  public int priority() {
    return priority;
  }

  /** The advertisement interval. */
  public Duration advertInterval() {
    return advertInterval;
  }

  /** The advertisement interval in centiseconds, the unit of the wire. */
  public int advertIntervalCentis() {
    return (int) (advertInterval.toMillis() / 10);
  }

  /** The virtual addresses, in advert order. */
  public List<VirtualAddress> virtualAddresses() {
    return virtualAddresses;
  }

  /** True when the virtual addresses are IPv6. */
  public boolean isIpv6() {
    return virtualAddresses.get(0).isIpv6();
  }

  /** How adverts are authenticated (VRRPv2 only). */
  public Authentication authentication() {
    return authentication;
  }

  /** Whether a higher-priority backup takes over from a lower-priority master. */
  public boolean preempt() {
    return preempt;
  }

  /** keepalived's {@code preempt_delay}. */
  public Duration preemptDelay() {
    return preemptDelay;
  }

  /** The source address in unicast mode, or null for the interface's primary address. */
  public InetAddress unicastSource() {
    return unicastSource;
  }

  /** The unicast peers; empty for multicast mode. */
  public List<InetAddress> unicastPeers() {
    return unicastPeers;
  }

  /** True in unicast mode. */
  public boolean isUnicast() {
    return !unicastPeers.isEmpty();
  }

  /** Whether adverts and addresses live on a macvlan with the VRRP virtual MAC. */
  public boolean virtualMac() {
    return virtualMac;
  }

  /** The interfaces tracked. */
  public List<TrackedInterface> trackedInterfaces() {
    return trackedInterfaces;
  }

  /** The health checks tracked. */
  public List<TrackedCheck> trackedChecks() {
    return trackedChecks;
  }

  /** Gratuitous ARP / unsolicited NA settings. */
  public GratuitousAnnouncements announcements() {
    return announcements;
  }

  @Override
  public String toString() {
    return "VrrpInstanceConfig["
        + name
        + " "
        + iface
        + " vrid "
        + vrid
        + " v"
        + version
        + " prio "
        + priority
        + " "
        + virtualAddresses
        + " auth "
        + authentication
        + "]";
  }

  /** Builds a {@link VrrpInstanceConfig}; {@link #build()} validates every field. */
  public static final class Builder {
    private final String name;
    private String iface;
    private int vrid;
    private int version = 3;
    private int priority = 100;
    private Duration advertInterval = Duration.ofSeconds(1);
    private final List<VirtualAddress> virtualAddresses = new ArrayList<>();
    private Authentication authentication = Authentication.NONE;
    private boolean preempt = true;
    private Duration preemptDelay = Duration.ZERO;
    private InetAddress unicastSource;
    private final List<InetAddress> unicastPeers = new ArrayList<>();
    private boolean virtualMac;
    private final List<TrackedInterface> trackedInterfaces = new ArrayList<>();
    private final List<TrackedCheck> trackedChecks = new ArrayList<>();
    private GratuitousAnnouncements announcements = GratuitousAnnouncements.KEEPALIVED_DEFAULTS;

    private Builder(String name) {
      this.name = name;
    }

    /** The interface to run on (required). */
    public Builder iface(String interfaceName) {
      this.iface = interfaceName;
      return this;
    }

    /** The virtual router id, 1..255 (required). */
    public Builder vrid(int id) {
      this.vrid = id;
      return this;
    }

    /** 2 or 3 (default 3). */
    public Builder version(int vrrpVersion) {
      this.version = vrrpVersion;
      return this;
    }

    /** 1..255 (default 100; 255 makes this router the address owner). */
    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    /** Default 1 s; v3: 10 ms steps up to 40.95 s, v2: whole seconds up to 255 s. */
    public Builder advertInterval(Duration interval) {
      this.advertInterval = interval;
      return this;
    }

    /** Adds a virtual address such as {@code 192.0.2.100/24}. */
    public Builder virtualAddress(String cidr) {
      return virtualAddress(VirtualAddress.parse(cidr));
    }

    /** Adds a virtual address. */
    public Builder virtualAddress(VirtualAddress address) {
      virtualAddresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** Authentication for VRRPv2 over IPv4 (default none). */
    public Builder authentication(Authentication auth) {
      this.authentication = Objects.requireNonNull(auth, "authentication");
      return this;
    }

    /** Never take over from a lower-priority master ({@code nopreempt}). */
    public Builder noPreempt() {
      this.preempt = false;
      return this;
    }

    /** keepalived's {@code preempt_delay}, 0..1000 s. */
    public Builder preemptDelay(Duration delay) {
      this.preemptDelay = delay;
      return this;
    }

    /** Unicast mode: send adverts to these peers instead of the multicast group. */
    public Builder unicastPeer(InetAddress peer) {
      unicastPeers.add(Objects.requireNonNull(peer, "peer"));
      return this;
    }

    /** The source address for unicast adverts (default: the interface's primary address). */
    public Builder unicastSource(InetAddress source) {
      this.unicastSource = source;
      return this;
    }

    /** Use a private macvlan with the virtual MAC 00:00:5e:00:01:VRID (IPv6: 00:02). */
    public Builder virtualMac(boolean enabled) {
      this.virtualMac = enabled;
      return this;
    }

    /** Tracks an interface with a weight (0: its failure means FAULT). */
    public Builder trackInterface(String ifname, int weight) {
      trackedInterfaces.add(new TrackedInterface(ifname, weight));
      return this;
    }

    /** Tracks an application health check with a weight (0: its failure means FAULT). */
    public Builder trackCheck(String checkName, int weight, HealthCheck check, Duration every) {
      trackedChecks.add(new TrackedCheck(checkName, weight, check, every));
      return this;
    }

    /** Gratuitous ARP / unsolicited NA timing (default: keepalived's). */
    public Builder announcements(GratuitousAnnouncements settings) {
      this.announcements = Objects.requireNonNull(settings, "announcements");
      return this;
    }

    /** Validates and builds; the exception names the field and what is allowed. */
    public VrrpInstanceConfig build() {
      if (name == null || name.isBlank()) {
        throw new InvalidConfigurationException("name", "is required");
      }
      if (iface == null || iface.isEmpty() || iface.length() > 15) {
        throw new InvalidConfigurationException(
            "iface", "interface name must be 1..15 characters, was " + iface);
      }
      InvalidConfigurationException.requireInRange("vrid", vrid, 1, 255);
      if (version != 2 && version != 3) {
        throw new InvalidConfigurationException("version", "must be 2 or 3, was " + version);
      }
      InvalidConfigurationException.requireInRange("priority", priority, 1, 255);
      checkInterval();
      checkAddresses();
      checkAuthentication();
      if (preemptDelay == null || preemptDelay.isNegative() || preemptDelay.toSeconds() > 1000) {
        throw new InvalidConfigurationException(
            "preemptDelay", "must be in 0..1000 s, was " + preemptDelay);
      }
      boolean ipv6 = virtualAddresses.get(0).isIpv6();
      for (InetAddress peer : unicastPeers) {
        boolean peerIpv6 = !(peer instanceof Inet4Address);
        if (peerIpv6 != ipv6) {
          throw new InvalidConfigurationException(
              "unicastPeer", peer.getHostAddress() + " is not of the virtual addresses' family");
        }
      }
      if (unicastSource != null && (unicastSource instanceof Inet4Address) == ipv6) {
        throw new InvalidConfigurationException(
            "unicastSource", "must be of the virtual addresses' family");
      }
      return new VrrpInstanceConfig(this);
    }

    private void checkInterval() {
      if (advertInterval == null) {
        throw new InvalidConfigurationException("advertInterval", "is required");
      }
      long millis = advertInterval.toMillis();
      if (version == 3) {
        if (millis % 10 != 0 || millis < 10 || millis > 40_950) {
          throw new InvalidConfigurationException(
              "advertInterval",
              "must be 10 ms..40.95 s in 10 ms steps for VRRPv3, was " + millis + " ms");
        }
      } else if (millis % 1000 != 0 || millis < 1000 || millis > 255_000) {
        throw new InvalidConfigurationException(
            "advertInterval", "must be 1..255 whole seconds for VRRPv2, was " + millis + " ms");
      }
    }

    private void checkAddresses() {
      if (virtualAddresses.isEmpty()) {
        throw new InvalidConfigurationException(
            "virtualAddress", "at least one is required (RFC 9568 discards a count of 0)");
      }
      boolean ipv6 = virtualAddresses.get(0).isIpv6();
      for (VirtualAddress a : virtualAddresses) {
        if (a.isIpv6() != ipv6) {
          throw new InvalidConfigurationException(
              "virtualAddress", "all must be of one family; " + a + " is not");
        }
      }
      if (ipv6 && version == 2) {
        throw new InvalidConfigurationException("version", "VRRPv2 is IPv4-only; use version 3");
      }
      // One advert carries every address and must fit an Ethernet frame.
      int perAddress = ipv6 ? 16 : 4;
      int max = ipv6 ? (1500 - 40 - 8) / 16 : (1500 - 20 - 24 - 16) / 4;
      if (virtualAddresses.size() > Math.min(255, max)) {
        throw new InvalidConfigurationException(
            "virtualAddress",
            "at most "
                + Math.min(255, max)
                + " fit one advert, was "
                + virtualAddresses.size()
                + " of "
                + perAddress
                + " bytes");
      }
    }

    private void checkAuthentication() {
      if (authentication instanceof Authentication.None) {
        return;
      }
      if (version != 2) {
        throw new InvalidConfigurationException(
            "authentication", "only VRRPv2 has authentication; use version 2");
      }
      if (virtualAddresses.get(0).isIpv6()) {
        throw new InvalidConfigurationException(
            "authentication", "VRRPv2 authentication is IPv4-only");
      }
    }
  }
}
