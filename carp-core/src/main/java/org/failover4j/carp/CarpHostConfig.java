package org.failover4j.carp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.address.VirtualMac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.replay.CounterMode;

/**
 * The immutable configuration of one CARP virtual host, built with {@link #builder()}; {@link
 * Builder#build()} names the field and the allowed range of anything wrong. {@link #toString()}
 * never shows the passphrase.
 */
public final class CarpHostConfig {

  private final String iface;
  private final int vhid;
  private final byte[] passphrase;
  private final List<VirtualAddress> addresses;
  private final int advbase;
  private final int advskew;
  private final boolean preempt;
  private final CounterMode counterMode;
  private final Duration maxCounterAge;
  private final int replayCapacity;
  private final List<InetAddress> unicastPeers;
  private final boolean virtualMac;
  private final GratuitousAnnouncements announcements;
  private final Duration addressRetry;

  private CarpHostConfig(Builder b) {
    this.iface = b.iface;
    this.vhid = b.vhid;
    this.passphrase = b.passphrase.clone();
    this.addresses = List.copyOf(b.addresses);
    this.advbase = b.advbase;
    this.advskew = b.advskew;
    this.preempt = b.preempt;
    this.counterMode = b.counterMode;
    this.maxCounterAge = b.maxCounterAge;
    this.replayCapacity = b.replayCapacity;
    this.unicastPeers = List.copyOf(b.unicastPeers);
    this.virtualMac = b.virtualMac;
    this.announcements = b.announcements;
    this.addressRetry = b.addressRetry;
  }

  /**
   * {@return a builder with ucarp's defaults: advbase 1 s, advskew 0, no preemption,
   * replay-protected}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return when a new master announces its addresses (gratuitous ARP / unsolicited NA)} */
  public GratuitousAnnouncements announcements() {
    return announcements;
  }

  /** {@return how long a host that could not add its addresses stays demoted before retrying} */
  public Duration addressRetry() {
    return addressRetry;
  }

  /** {@return the interface the host runs on} */
  public String iface() {
    return iface;
  }

  /** {@return the virtual host id} */
  public int vhid() {
    return vhid;
  }

  /** {@return the virtual addresses} */
  public List<VirtualAddress> addresses() {
    return addresses;
  }

  /** {@return true when an IPv4 virtual address is configured: adverts go out on IPv4} */
  public boolean hasIpv4() {
    return addresses.stream().anyMatch(a -> a.address() instanceof Inet4Address);
  }

  /** {@return true when an IPv6 virtual address is configured: adverts go out on IPv6} */
  public boolean hasIpv6() {
    return addresses.stream().anyMatch(a -> !(a.address() instanceof Inet4Address));
  }

  /** {@return the advertisement base in seconds} */
  public int advbase() {
    return advbase;
  }

  /** {@return the advertisement skew in 1/256 s} */
  public int advskew() {
    return advskew;
  }

  /** {@return true when the host takes over from slower masters} */
  public boolean preempt() {
    return preempt;
  }

  /** {@return how counters are sent and checked} */
  public CounterMode counterMode() {
    return counterMode;
  }

  /** {@return the maximum age of a replay-protected counter, or null for no age check} */
  public Duration maxCounterAge() {
    return maxCounterAge;
  }

  /** {@return how many senders the replay windows remember} */
  public int replayCapacity() {
    return replayCapacity;
  }

  /**
   * The unicast peers: adverts go to each of them instead of the multicast group, and adverts from
   * any other source are dropped as {@code NOT_A_PEER}.
   *
   * @return the peers; empty for multicast (the default)
   */
  public List<InetAddress> unicastPeers() {
    return unicastPeers;
  }

  /** {@return true in unicast mode} */
  public boolean isUnicast() {
    return !unicastPeers.isEmpty();
  }

  /**
   * True when the master holds the addresses on a macvlan {@link #virtualMacName()} with the CARP
   * virtual MAC {@code 00:00:5e:00:01:VHID}, created on becoming master and deleted on leaving.
   *
   * @return whether the virtual MAC is used
   */
  public boolean virtualMac() {
    return virtualMac;
  }

  /**
   * {@return the name of the virtual-MAC interface: {@code carp.VHID.IFACE}, or {@code
   * carpVHID.HASH} when that would exceed 15 characters}
   */
  public String virtualMacName() {
    // Named after the interface too: two virtual hosts with one VHID on two interfaces are two
    // macvlans. A name too long for Linux's 15 characters takes a hash of the interface name.
    String full = "carp." + vhid + "." + iface;
    return full.length() <= VirtualMac.MAX_NAME_LENGTH
        ? full
        : "carp" + vhid + "." + String.format("%07x", iface.hashCode() & 0xFFFFFFF);
  }

  /**
   * {@return the CARP virtual MAC of this host's VHID: {@code 00:00:5e:00:01:VHID}, as OpenBSD's}
   */
  public byte[] virtualMacAddress() {
    return VirtualMac.ianaMac(false, vhid);
  }

  /** {@return the HMAC key of this virtual host} */
  public CarpKey key() {
    return CarpKey.of(vhid, passphrase, addresses.stream().map(VirtualAddress::address).toList());
  }

  @Override
  public String toString() {
    return "CarpHostConfig[iface="
        + iface
        + ", vhid="
        + vhid
        + ", addresses="
        + addresses
        + ", advbase="
        + advbase
        + ", advskew="
        + advskew
        + ", preempt="
        + preempt
        + ", mode="
        + counterMode
        + (unicastPeers.isEmpty() ? "" : ", unicastPeers=" + unicastPeers)
        + (virtualMac ? ", virtualMac=" + virtualMacName() : "")
        + "]";
  }

  /** The default announcements: one round now and one after 2 s. */
  public static final GratuitousAnnouncements DEFAULT_ANNOUNCEMENTS =
      new GratuitousAnnouncements(Duration.ofSeconds(2), 1, Duration.ZERO, 1);

  /** Builds a {@link CarpHostConfig}. */
  public static final class Builder {
    private String iface;
    private int vhid;
    private byte[] passphrase;
    private final List<VirtualAddress> addresses = new ArrayList<>();
    private int advbase = 1;
    private int advskew;
    private boolean preempt;
    private CounterMode counterMode = CounterMode.REPLAY_PROTECTED;
    private Duration maxCounterAge;
    private int replayCapacity = 16;
    private final List<InetAddress> unicastPeers = new ArrayList<>();
    private boolean virtualMac;
    private GratuitousAnnouncements announcements = DEFAULT_ANNOUNCEMENTS;
    private Duration addressRetry = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * When a new master announces its addresses (default: one round at once and one more after 2 s,
     * so that a peer's late announcement from before a stall never has the last word).
     *
     * @param value the schedule
     * @return this builder
     */
    public Builder announcements(GratuitousAnnouncements value) {
      this.announcements = value;
      return this;
    }

    /**
     * How long a host that could not add its addresses stays demoted before it tries again, 1 s..1
     * h (default 5 s).
     *
     * @param delay the retry interval
     * @return this builder
     */
    public Builder addressRetry(Duration delay) {
      this.addressRetry = delay;
      return this;
    }

    /**
     * The interface (required).
     *
     * @param name the interface name
     * @return this builder
     */
    public Builder iface(String name) {
      this.iface = name;
      return this;
    }

    /**
     * The virtual host id, 1..255 (required).
     *
     * @param id the VHID
     * @return this builder
     */
    public Builder vhid(int id) {
      this.vhid = id;
      return this;
    }

    /**
     * The passphrase as UTF-8, at most 20 bytes (19 in ucarp mode) (required).
     *
     * @param text the passphrase
     * @return this builder
     */
    public Builder passphrase(String text) {
      this.passphrase = text.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * Adds a virtual address with its prefix length; IPv4 and IPv6 may be mixed (one advert per
     * family, as OpenBSD).
     *
     * @param address the address
     * @param prefixLength its prefix length
     * @return this builder
     */
    public Builder virtualAddress(InetAddress address, int prefixLength) {
      addresses.add(new VirtualAddress(address, prefixLength));
      return this;
    }

    /**
     * Adds a virtual address as {@code ADDRESS/PREFIX}: four dotted decimals or IPv6, never a host
     * name or the legacy shorthand ({@code 192.0.2} would be 192.0.0.2).
     *
     * @param cidr the address and prefix length
     * @return this builder
     */
    public Builder virtualAddress(String cidr) {
      addresses.add(VirtualAddress.parse(cidr));
      return this;
    }

    /**
     * The advertisement base in seconds, 1..255 (default 1).
     *
     * @param seconds the advertisement base in seconds
     * @return this builder
     */
    public Builder advbase(int seconds) {
      this.advbase = seconds;
      return this;
    }

    /**
     * The skew in 1/256 s, 0..254 (default 0): higher is less preferred.
     *
     * @param skew the skew in 1/256 s
     * @return this builder
     */
    public Builder advskew(int skew) {
      this.advskew = skew;
      return this;
    }

    /**
     * Take over from slower masters (default off).
     *
     * @param on true to preempt
     * @return this builder
     */
    public Builder preempt(boolean on) {
      this.preempt = on;
      return this;
    }

    /**
     * The counter mode (default {@link CounterMode#REPLAY_PROTECTED}).
     *
     * @param mode the counter mode
     * @return this builder
     */
    public Builder counterMode(CounterMode mode) {
      this.counterMode = mode;
      return this;
    }

    /**
     * Drop replay-protected counters older than {@code age} (default: no age check).
     *
     * @param age the maximum age
     * @return this builder
     */
    public Builder maxCounterAge(Duration age) {
      this.maxCounterAge = age;
      return this;
    }

    /**
     * How many senders the replay windows remember, 1..1024 (default 16).
     *
     * @param senders the number of senders
     * @return this builder
     */
    public Builder replayCapacity(int senders) {
      this.replayCapacity = senders;
      return this;
    }

    /**
     * Adds a unicast peer of the virtual addresses' family (only for a virtual host of one family):
     * adverts go to the peers instead of the multicast group, and only the peers' adverts are
     * accepted, as OpenBSD's {@code carppeer}. ucarp has no unicast mode. Over IPv6 the adverts
     * leave from the interface's oldest global address (the host's own), fixed on the socket, so
     * list each peer by its global address.
     *
     * @param peer a peer's IPv4 or IPv6 address
     * @return this builder
     */
    public Builder unicastPeer(InetAddress peer) {
      unicastPeers.add(java.util.Objects.requireNonNull(peer, "peer"));
      return this;
    }

    /**
     * Hold the addresses on a macvlan {@code carp.VHID} with the virtual MAC {@code
     * 00:00:5e:00:01:VHID} while master (default off). ucarp has no virtual MAC.
     *
     * @param enabled whether to use the virtual MAC
     * @return this builder
     */
    public Builder virtualMac(boolean enabled) {
      this.virtualMac = enabled;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return this object
     * @throws InvalidConfigurationException naming the field and what is allowed
     */
    public CarpHostConfig build() {
      InvalidConfigurationException.requirePresent("iface", iface);
      InvalidConfigurationException.requireInRange("vhid", vhid, 1, 255);
      InvalidConfigurationException.requirePresent("passphrase", passphrase);
      int maxPass =
          counterMode == CounterMode.UCARP_COMPATIBLE
              ? CarpKey.UCARP_MAX_PASSPHRASE_LENGTH
              : CarpKey.MAX_PASSPHRASE_LENGTH;
      InvalidConfigurationException.requireInRange(
          "passphrase bytes", passphrase.length, 0, maxPass);
      if (addresses.isEmpty()) {
        throw new InvalidConfigurationException("virtualAddress", "at least one is required");
      }
      // IPv4 and IPv6 may be mixed, as in OpenBSD: one advert per family, one HMAC over both.
      for (VirtualAddress a : addresses) {
        boolean v4 = a.address() instanceof Inet4Address;
        InvalidConfigurationException.requireInRange(
            "prefix length of " + AddressText.of(a.address()), a.prefixLength(), 1, v4 ? 32 : 128);
      }
      boolean mixed =
          addresses.stream().map(a -> a.address() instanceof Inet4Address).distinct().count() > 1;
      boolean v4 = addresses.get(0).address() instanceof Inet4Address;
      InvalidConfigurationException.requireInRange("advbase", advbase, 1, 255);
      InvalidConfigurationException.requireInRange("advskew", advskew, 0, 254);
      InvalidConfigurationException.requirePresent("counterMode", counterMode);
      InvalidConfigurationException.requireInRange("replayCapacity", replayCapacity, 1, 1024);
      InvalidConfigurationException.requirePresent("announcements", announcements);
      if (addressRetry == null
          || addressRetry.compareTo(Duration.ofSeconds(1)) < 0
          || addressRetry.compareTo(Duration.ofHours(1)) > 0) {
        throw new InvalidConfigurationException(
            "addressRetry", "must be in 1 s..1 h, was " + addressRetry);
      }
      if (maxCounterAge != null && (maxCounterAge.isNegative() || maxCounterAge.isZero())) {
        throw new InvalidConfigurationException("maxCounterAge", "must be positive");
      }
      if (mixed && !unicastPeers.isEmpty()) {
        throw new InvalidConfigurationException(
            "unicastPeer", "only for a virtual host whose addresses are all of one family");
      }
      for (InetAddress peer : unicastPeers) {
        if ((peer instanceof Inet4Address) != v4) {
          throw new InvalidConfigurationException(
              "unicastPeer", AddressText.of(peer) + " is not of the virtual addresses' family");
        }
        if (peer.isMulticastAddress() || peer.isAnyLocalAddress()) {
          throw new InvalidConfigurationException(
              "unicastPeer", AddressText.of(peer) + " is no unicast address");
        }
      }
      if (unicastPeers.stream().distinct().count() != unicastPeers.size()) {
        throw new InvalidConfigurationException("unicastPeer", "a peer is given twice");
      }
      CarpHostConfig config = new CarpHostConfig(this);
      try {
        config.key();
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException("virtualAddress", e.getMessage());
      }
      return config;
    }
  }
}
