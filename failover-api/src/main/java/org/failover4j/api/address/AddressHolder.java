package org.failover4j.api.address;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.failover4j.api.BeforeTakeover;
import org.failover4j.api.BeforeTakeoverHooks;
import org.failover4j.api.EventLoop;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.RateLimitedLog;
import org.failover4j.api.Timer;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one node's virtual addresses on one interface, whichever protocol elected it (design
 * principle 9): adds them (on a virtual MAC if asked) and announces them on an {@link
 * AnnouncementSchedule}, releases them, adds back what someone else removed, follows an interface
 * deleted and created again (new MAC, virtual MAC created anew), clears what a crashed run left,
 * refuses the host's own addresses, answers another master at most once per gap, and retries after
 * a failure. An address with a {@link VirtualAddress#device() device} of its own lives there (as
 * keepalived's {@code virtual_ipaddress ... dev IF}), whatever the virtual MAC, and is announced
 * from that interface's MAC. What the failure means (VRRP's FAULT, CARP's demotion) is the owner's
 * policy: it hears {@link Events#addressesLost()}, {@link Events#retryDue()} and every link change.
 * {@link BeforeTakeover} hooks run in {@link #hold()} before the first address is added.
 *
 * <p>Every method is called on the platform's event loop; the counters may be read from any thread.
 * Link and address events come from the platform's one watcher, shared by every holder.
 */
public final class AddressHolder implements BeforeTakeoverHooks {

  /** What the owner hears, on the event loop. */
  public interface Events {
    /**
     * The addresses could not be added or added back: what was added is released and {@link
     * #retryDue()} follows after the retry interval. Called after the current transition ends.
     */
    void addressesLost();

    /** The retry interval after {@link #addressesLost()} has passed: try to serve again. */
    void retryDue();

    /**
     * An interface went up or down, after the holder followed it (a re-created interface's MAC
     * read, its virtual MAC created again).
     *
     * @param iface the interface name
     * @param up true when it is up with a carrier
     */
    void linkChanged(String iface, boolean up);
  }

  /** What to do with a virtual address that is already the interface's own. */
  public enum HostAddressPolicy {
    /** Refuse to open: a backup would delete the host's address. */
    REFUSE,
    /** The node owns it (VRRP priority 255): announce it, never add or remove it. */
    KEEP,
    /** The configuration says to take it over: treat it as any other virtual address. */
    TAKE_OVER
  }

  /** When the virtual MAC exists. */
  public enum VirtualMacLifetime {
    /** From {@link #open()} to {@link #deleteVirtualMac()}: adverts leave through it (VRRP). */
    WHILE_OPEN,
    /** Only while the addresses are held, so that no backup answers for the MAC (CARP). */
    WHILE_HOLDING
  }

  private static final Logger log = LoggerFactory.getLogger(AddressHolder.class);

  /** How often a repeating warning (a failed announcement) reaches the log. */
  private static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;

  private final Platform platform;
  private final EventLoop loop;
  private final String label;
  private final String baseIface;
  private final List<VirtualAddress> addresses;
  private final VirtualMac virtualMac;
  private final VirtualMacLifetime virtualMacLifetime;
  private final HostAddressPolicy hostAddressPolicy;
  private final String hostAddressAdvice;
  private final Duration retry;
  private final long answerGapNanos;
  private final Events events;
  private final AnnouncementSchedule schedule;
  private final Timer retryTimer;
  private final Set<VirtualAddress> kept = new HashSet<>();

  /** The MAC of each interface an address names as its device, to announce it from. */
  private final Map<String, byte[]> deviceMacs = new HashMap<>();

  private final List<Closeable> watches = new ArrayList<>();
  private final List<BeforeTakeover> beforeTakeover = new CopyOnWriteArrayList<>();
  private final RateLimitedLog announceLog = new RateLimitedLog(WARNING_INTERVAL_NANOS);
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong restored = new AtomicLong();
  private final AtomicLong answersSuppressed = new AtomicLong();
  private final AtomicLong announcementFailures = new AtomicLong();
  private final AtomicLong interfacesFollowed = new AtomicLong();
  private final AtomicLong beforeTakeoverFailures = new AtomicLong();
  private String addressIface;
  private byte[] announceMac;
  private boolean opened;
  private boolean holding;
  private boolean closed;
  private boolean answeredBefore;
  private long lastAnswerNanos;

  private AddressHolder(Builder b) {
    this.platform = b.platform;
    this.loop = platform.eventLoop();
    this.label = b.label;
    this.baseIface = b.iface;
    this.addresses = List.copyOf(b.addresses);
    this.virtualMac = b.virtualMac;
    this.virtualMacLifetime = b.virtualMacLifetime;
    this.hostAddressPolicy = b.hostAddressPolicy;
    this.hostAddressAdvice = b.hostAddressAdvice;
    this.retry = b.retry;
    this.answerGapNanos = b.answerGap.toNanos();
    this.events = b.events;
    this.schedule = new AnnouncementSchedule(loop, b.announcements, this::announceAll);
    this.retryTimer = loop.newTimer(this::onRetryTimer);
    this.addressIface = baseIface;
  }

  /**
   * Starts a holder.
   *
   * @param platform the machine the addresses live on
   * @param label how the owner is named in the log, such as {@code VI_1} or {@code CARP VHID 10}
   * @return a builder
   */
  public static Builder builder(Platform platform, String label) {
    return new Builder(platform, label);
  }

  // ---- lifecycle, on the loop ----------------------------------------------------------------

  /**
   * Reads the interface, refuses the host's own addresses as the policy says, starts watching links
   * and addresses, and creates a {@link VirtualMacLifetime#WHILE_OPEN} virtual MAC.
   *
   * @return the interface adverts leave through: the virtual MAC while open, else the interface
   * @throws IOException when the interface is missing, an address is the host's own and refused, or
   *     the virtual MAC cannot be created
   */
  public InterfaceState open() throws IOException {
    if (opened) {
      throw new IllegalStateException(label + ": the address holder is already open");
    }
    opened = true;
    InterfaceState base = platform.interfaceState(baseIface);
    findHostAddresses(base);
    announceMac = base.mac();
    for (VirtualAddress a : addresses) {
      if (a.device() != null && !deviceMacs.containsKey(a.device())) {
        deviceMacs.put(a.device(), platform.interfaceState(a.device()).mac());
      }
    }
    watches.add(platform.watchLinks(this::onLink));
    watches.add(platform.watchAddresses(this::onAddressRemoved));
    if (virtualMac != null && virtualMacLifetime == VirtualMacLifetime.WHILE_OPEN) {
      InterfaceState vmac =
          platform.createVirtualMac(virtualMac.name(), baseIface, virtualMac.mac());
      addressIface = vmac.name();
      announceMac = vmac.mac();
      return vmac;
    }
    return base;
  }

  private void findHostAddresses(InterfaceState base) throws IOException {
    for (VirtualAddress a : addresses) {
      InterfaceState iface = a.device() == null ? base : platform.interfaceState(a.device());
      boolean own = a.address().equals(iface.ipv4()) || a.address().equals(iface.ipv6LinkLocal());
      if (!own || hostAddressPolicy == HostAddressPolicy.TAKE_OVER) {
        continue;
      }
      if (hostAddressPolicy == HostAddressPolicy.REFUSE) {
        throw new IOException(
            label
                + ": virtual address "
                + a
                + " is "
                + iface.name()
                + "'s own address, which a backup would delete; "
                + hostAddressAdvice);
      }
      kept.add(a);
    }
  }

  /**
   * Removes what a crashed run may have left: the addresses (never the host's own) and a {@link
   * VirtualMacLifetime#WHILE_HOLDING} virtual MAC, which would still answer for them.
   */
  public void clearStale() {
    for (VirtualAddress a : addresses) {
      if (!kept.contains(a)) {
        try {
          platform.removeAddress(ifaceOf(a), a.address(), a.prefixLength());
        } catch (IOException | RuntimeException e) {
          log.warn("({}) could not clear {}: {}", label, a, e.getMessage());
        }
      }
    }
    if (virtualMac != null && virtualMacLifetime == VirtualMacLifetime.WHILE_HOLDING) {
      try {
        platform.deleteVirtualMac(virtualMac.name());
      } catch (IOException | RuntimeException e) {
        log.warn("({}) could not clear {}: {}", label, virtualMac.name(), e.getMessage());
      }
    }
  }

  /** Registers work done in {@link #hold()} before the first address is added; any thread. */
  @Override
  public void addBeforeTakeover(BeforeTakeover hook) {
    beforeTakeover.add(Objects.requireNonNull(hook, "hook"));
  }

  @Override
  public boolean removeBeforeTakeover(BeforeTakeover hook) {
    return beforeTakeover.remove(hook);
  }

  /**
   * Runs the {@link BeforeTakeover} hooks, then adds the virtual MAC (while holding) and every
   * address. On failure what was added is released, the failure counted, {@link
   * Events#addressesLost()} follows once the caller's transition ends, and {@link
   * Events#retryDue()} after the retry interval. Announcing is {@link #announce()}'s.
   *
   * @return true when every address is in place
   */
  public boolean hold() {
    prepareTakeover();
    try {
      if (virtualMac != null && virtualMacLifetime == VirtualMacLifetime.WHILE_HOLDING) {
        // Only the holder has the virtual MAC: two hosts with one MAC would confuse switches.
        InterfaceState vmac =
            platform.createVirtualMac(virtualMac.name(), baseIface, virtualMac.mac());
        addressIface = vmac.name();
        announceMac = vmac.mac();
      }
      for (VirtualAddress a : addresses) {
        if (!kept.contains(a)) {
          // The platform may move it after this turn's adverts, with the other takeovers'.
          platform.addAddressSoon(ifaceOf(a), a, refusal -> refusedLater(a, refusal));
        }
      }
    } catch (IOException | RuntimeException e) {
      log.error(
          "({}) cannot add the virtual addresses on {}: {}; retrying in {} s",
          label,
          addressIface,
          e.getMessage(),
          retry.toSeconds());
      lose();
      loop.execute(this::tellLost);
      return false;
    }
    holding = true;
    return true;
  }

  /**
   * The platform refused an address it added after {@link #hold()} returned: the same failure as a
   * refusal at once (released, counted, the owner told, a retry), if this hold still stands.
   */
  private void refusedLater(VirtualAddress a, IOException refusal) {
    if (closed || !holding) {
      return;
    }
    log.error(
        "({}) cannot add {} on {}: {}; retrying in {} s",
        label,
        a,
        ifaceOf(a),
        refusal.getMessage(),
        retry.toSeconds());
    lose();
    tellLost();
  }

  /** A failed hook is counted and the addresses move all the same: serving beats waiting. */
  private void prepareTakeover() {
    for (BeforeTakeover hook : beforeTakeover) {
      try {
        hook.beforeTakeover();
      } catch (RuntimeException e) {
        beforeTakeoverFailures.incrementAndGet();
        log.error("({}) work before the takeover failed; taking over anyway", label, e);
      }
    }
  }

  /** Announces every held address now and on the schedule. */
  public void announce() {
    schedule.start();
  }

  /** Stops announcing, removes every address (each tried) and a while-holding virtual MAC. */
  public void release() {
    holding = false;
    schedule.stop();
    removeAll();
  }

  private void removeAll() {
    for (VirtualAddress a : addresses) {
      if (!kept.contains(a)) {
        try {
          platform.removeAddress(ifaceOf(a), a.address(), a.prefixLength());
        } catch (IOException | RuntimeException e) {
          String iface = ifaceOf(a);
          if (exists(iface)) {
            log.error("({}) cannot remove {} from {}: {}", label, a, iface, e.getMessage());
          } else {
            // ENODEV: the interface vanished (deleted, or a macvlan gone with its parent), and
            // the address with it. Nothing is left to remove.
            log.info("({}) {} went away with {}", label, a, iface);
          }
        }
      }
    }
    if (virtualMac != null && virtualMacLifetime == VirtualMacLifetime.WHILE_HOLDING) {
      try {
        platform.deleteVirtualMac(virtualMac.name());
      } catch (IOException | RuntimeException e) {
        if (exists(virtualMac.name())) {
          log.error("({}) cannot delete {}: {}", label, virtualMac.name(), e.getMessage());
        }
      }
      addressIface = baseIface;
      refreshAnnounceMac();
    }
  }

  /**
   * Another master is on the link (a partition healed, or this process stalled while a backup took
   * over): the owner may answer it with an advert and the addresses are announced again, at most
   * once per gap; answers held back are counted.
   *
   * @return true when the owner should send its answer now (the announcements then start)
   */
  public boolean answerAnotherMaster() {
    long now = loop.nanoTime();
    if (answeredBefore && now - lastAnswerNanos < answerGapNanos) {
      answersSuppressed.incrementAndGet();
      return false;
    }
    answeredBefore = true;
    lastAnswerNanos = now;
    return true;
  }

  /**
   * Stops: no more announcements, retries or events. Addresses stay where they are (release them
   * first to remove them), and a while-open virtual MAC stays until {@link #deleteVirtualMac()}.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    schedule.stop();
    retryTimer.cancel();
    for (Closeable watch : watches) {
      try {
        watch.close();
      } catch (IOException | RuntimeException e) {
        log.warn("({}) cannot stop watching: {}", label, e.getMessage());
      }
    }
    watches.clear();
  }

  /** Deletes the virtual MAC, if any; a missing one is not an error. */
  public void deleteVirtualMac() {
    if (virtualMac != null) {
      try {
        platform.deleteVirtualMac(virtualMac.name());
      } catch (IOException | RuntimeException e) {
        log.warn("({}) cannot delete {}: {}", label, virtualMac.name(), e.getMessage());
      }
    }
  }

  // ---- what the platform reports, on the loop ------------------------------------------------

  private void onAddressRemoved(String iface, InetAddress address, int prefixLength) {
    if (closed || !holding) {
      return;
    }
    for (VirtualAddress a : addresses) {
      if (a.address().equals(address)
          && a.prefixLength() == prefixLength
          && iface.equals(ifaceOf(a))) {
        try {
          platform.addAddress(iface, a);
        } catch (IOException e) {
          log.error(
              "({}) {} was removed from {} and cannot be added again: {}",
              label,
              a,
              iface,
              e.getMessage());
          lose();
          tellLost();
          return;
        }
        restored.incrementAndGet();
        log.warn("({}) {} was removed from {} behind our back; added it again", label, a, iface);
        schedule.start();
        return;
      }
    }
  }

  private void onLink(String iface, boolean up) {
    if (closed) {
      return;
    }
    if (up && iface.equals(baseIface)) {
      followVirtualMac();
    }
    if (up && iface.equals(addressIface)) {
      refreshAnnounceMac();
    }
    if (up && deviceMacs.containsKey(iface)) {
      try {
        deviceMacs.put(iface, platform.interfaceState(iface).mac());
      } catch (IOException e) {
        log.warn("({}) cannot read {}: {}", label, iface, e.getMessage());
      }
    }
    events.linkChanged(iface, up);
  }

  /**
   * A macvlan goes away with its parent: when an interface deleted and created again comes up, the
   * virtual MAC is created anew (the platform then rebinds its sockets), and the addresses it held
   * are added back and announced.
   */
  private void followVirtualMac() {
    boolean needed =
        virtualMac != null
            && (virtualMacLifetime == VirtualMacLifetime.WHILE_OPEN || holding)
            && !exists(virtualMac.name());
    if (!needed) {
      return;
    }
    try {
      InterfaceState vmac =
          platform.createVirtualMac(virtualMac.name(), baseIface, virtualMac.mac());
      interfacesFollowed.incrementAndGet();
      log.info("({}) {} came back: virtual MAC {} created again", label, baseIface, vmac.name());
      if (holding) {
        for (VirtualAddress a : addresses) {
          if (!kept.contains(a) && a.device() == null) {
            platform.addAddress(vmac.name(), a);
          }
        }
        schedule.start();
      }
    } catch (IOException e) {
      log.warn(
          "({}) cannot create virtual MAC {} again: {}", label, virtualMac.name(), e.getMessage());
      if (holding) {
        lose();
        tellLost();
      }
    }
  }

  private boolean exists(String iface) {
    try {
      platform.interfaceState(iface);
      return true;
    } catch (IOException gone) {
      return false;
    }
  }

  /** Announce from the interface's current MAC: a re-created interface has a new one. */
  private void refreshAnnounceMac() {
    try {
      byte[] now = platform.interfaceState(addressIface).mac();
      if (announceMac != null && !Arrays.equals(now, announceMac)) {
        interfacesFollowed.incrementAndGet();
      }
      announceMac = now;
    } catch (IOException e) {
      log.warn("({}) cannot read {}: {}", label, addressIface, e.getMessage());
    }
  }

  // ---- failures and retries ------------------------------------------------------------------

  private void lose() {
    failures.incrementAndGet();
    holding = false;
    schedule.stop();
    removeAll();
    retryTimer.scheduleAfter(retry.toNanos());
  }

  private void tellLost() {
    if (!closed) {
      events.addressesLost();
    }
  }

  private void onRetryTimer() {
    if (!closed) {
      events.retryDue();
    }
  }

  /** One round: every address {@code repeat} times; a failure for one never stops the others. */
  private void announceAll(int repeat) {
    for (int r = 0; r < repeat; r++) {
      for (VirtualAddress a : addresses) {
        try {
          platform.announce(ifaceOf(a), a.address(), macOf(a));
        } catch (IOException | RuntimeException e) {
          announcementFailures.incrementAndGet();
          long now = loop.nanoTime();
          if (announceLog.permit(now)) {
            log.warn(
                "({}) announcing {} on {} failed: {} ({} more held back)",
                label,
                a,
                addressIface,
                e.getMessage(),
                announceLog.suppressedAndReset());
          }
        }
      }
    }
  }

  /** The interface {@code a} lives on: its own device, else the virtual MAC or the interface. */
  private String ifaceOf(VirtualAddress a) {
    return a.device() == null ? addressIface : a.device();
  }

  private byte[] macOf(VirtualAddress a) {
    return a.device() == null ? announceMac : deviceMacs.get(a.device());
  }

  // ---- what it reports -----------------------------------------------------------------------

  /** {@return true while the addresses are held} */
  public boolean isHolding() {
    return holding;
  }

  /** {@return the interface the addresses are added to now: the virtual MAC or the interface} */
  public String addressInterface() {
    return addressIface;
  }

  /** {@return the addresses held} */
  public List<VirtualAddress> addresses() {
    return addresses;
  }

  /** {@return the host's own addresses among them, kept and never added or removed} */
  public Set<VirtualAddress> hostOwned() {
    return Set.copyOf(kept);
  }

  /** {@return times the addresses could not be added, or added back after a removal} */
  public long failures() {
    return failures.get();
  }

  /** {@return addresses someone else removed that were added back} */
  public long restored() {
    return restored.get();
  }

  /** {@return answers to another master held back by the gap} */
  public long answersSuppressed() {
    return answersSuppressed.get();
  }

  /** {@return announcements that could not be sent} */
  public long announcementFailures() {
    return announcementFailures.get();
  }

  /** {@return times a re-created interface was followed (a new MAC, a virtual MAC made again)} */
  public long interfacesFollowed() {
    return interfacesFollowed.get();
  }

  /** {@return {@link BeforeTakeover} hooks that threw} */
  public long beforeTakeoverFailures() {
    return beforeTakeoverFailures.get();
  }

  /** Builds an {@link AddressHolder}; {@link #build()} checks every field. */
  public static final class Builder {
    private final Platform platform;
    private final String label;
    private String iface;
    private final List<VirtualAddress> addresses = new ArrayList<>();
    private VirtualMac virtualMac;
    private VirtualMacLifetime virtualMacLifetime = VirtualMacLifetime.WHILE_HOLDING;
    private HostAddressPolicy hostAddressPolicy = HostAddressPolicy.REFUSE;
    private String hostAddressAdvice = "use a free address";
    private GratuitousAnnouncements announcements = GratuitousAnnouncements.KEEPALIVED_DEFAULTS;
    private Duration retry = Duration.ofSeconds(5);
    private Duration answerGap = Duration.ofSeconds(1);
    private Events events;

    private Builder(Platform platform, String label) {
      this.platform = Objects.requireNonNull(platform, "platform");
      this.label = Objects.requireNonNull(label, "label");
    }

    /**
     * The interface the addresses live on (or the parent of the virtual MAC).
     *
     * @param name the interface name
     * @return this builder
     */
    public Builder iface(String name) {
      this.iface = name;
      return this;
    }

    /**
     * The addresses to hold, at least one.
     *
     * @param values the addresses
     * @return this builder
     */
    public Builder addresses(List<VirtualAddress> values) {
      addresses.addAll(values);
      return this;
    }

    /**
     * Holds the addresses on a private macvlan with a MAC of its own.
     *
     * @param value the macvlan, or null for none
     * @param lifetime when it exists
     * @return this builder
     */
    public Builder virtualMac(VirtualMac value, VirtualMacLifetime lifetime) {
      this.virtualMac = value;
      this.virtualMacLifetime = Objects.requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * What to do with an address that is already the interface's own (default: refuse).
     *
     * @param policy the policy
     * @param advice what the refusal tells the user to do instead
     * @return this builder
     */
    public Builder hostAddresses(HostAddressPolicy policy, String advice) {
      this.hostAddressPolicy = Objects.requireNonNull(policy, "policy");
      this.hostAddressAdvice = Objects.requireNonNull(advice, "advice");
      return this;
    }

    /**
     * When to announce (default: keepalived's).
     *
     * @param value the schedule's settings
     * @return this builder
     */
    public Builder announcements(GratuitousAnnouncements value) {
      this.announcements = value;
      return this;
    }

    /**
     * How long after a failure {@link Events#retryDue()} comes; 1 s..1 h, default 5 s.
     *
     * @param value the interval
     * @return this builder
     */
    public Builder retry(Duration value) {
      this.retry = value;
      return this;
    }

    /**
     * The shortest time between two answers to another master (default 1 s): a flood of forged or
     * looped adverts must not turn a master into a reflector.
     *
     * @param value the gap, positive
     * @return this builder
     */
    public Builder answerGap(Duration value) {
      this.answerGap = value;
      return this;
    }

    /**
     * Who hears failures, retries and link changes.
     *
     * @param value the owner's events
     * @return this builder
     */
    public Builder events(Events value) {
      this.events = value;
      return this;
    }

    /**
     * Checks every field and builds the holder (not yet open).
     *
     * @return the holder
     */
    public AddressHolder build() {
      InvalidConfigurationException.requirePresent("iface", iface);
      InvalidConfigurationException.requirePresent("events", events);
      InvalidConfigurationException.requirePresent("announcements", announcements);
      if (addresses.isEmpty()) {
        throw new InvalidConfigurationException("virtualAddress", "at least one is required");
      }
      if (retry == null
          || retry.compareTo(Duration.ofSeconds(1)) < 0
          || retry.compareTo(Duration.ofHours(1)) > 0) {
        throw new InvalidConfigurationException(
            "addressRetry", "must be in 1 s..1 h, was " + retry);
      }
      if (answerGap == null || answerGap.isNegative() || answerGap.isZero()) {
        throw new InvalidConfigurationException("answerGap", "must be positive, was " + answerGap);
      }
      return new AddressHolder(this);
    }
  }
}
