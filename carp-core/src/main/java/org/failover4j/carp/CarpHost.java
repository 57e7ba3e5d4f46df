package org.failover4j.carp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.failover4j.api.BeforeTakeover;
import org.failover4j.api.BeforeTakeoverHooks;
import org.failover4j.api.DeferredTakeover;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ForwardingRoleObservable;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.LoopCall;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.RoleSource;
import org.failover4j.api.SourceLifecycle;
import org.failover4j.api.Timer;
import org.failover4j.api.TransitionReason;
import org.failover4j.api.address.AddressHolder;
import org.failover4j.api.address.AddressHolder.HostAddressPolicy;
import org.failover4j.api.address.AddressHolder.VirtualMacLifetime;
import org.failover4j.api.address.VirtualMac;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.PlatformOwnership;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.carp.codec.CarpAdvertDecoder;
import org.failover4j.carp.codec.CarpAdvertEncoder;
import org.failover4j.carp.codec.CarpAdvertValidator;
import org.failover4j.carp.codec.CarpDropReason;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.codec.CarpPacketDecoder;
import org.failover4j.carp.election.AdvertCause;
import org.failover4j.carp.election.CarpActions;
import org.failover4j.carp.election.CarpElectionConfig;
import org.failover4j.carp.election.CarpStateMachine;
import org.failover4j.carp.election.CarpTiming;
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CARP virtual host on a {@link Platform}: it claims its VHID on the interface's shared
 * protocol-112 socket, runs the {@link CarpStateMachine} on the platform's event loop, adds and
 * announces the virtual addresses as master and removes them otherwise, and tells listeners with
 * the same vocabulary as VRRP ({@code becameMaster}, {@code becameBackup}, {@code stopped}, epochs,
 * the current role on registration). The application moves the demotion counter from its own health
 * checks with {@link #setDemotion}. Drops are counted per {@link CarpDropReason}. With unicast
 * peers ({@link CarpHostConfig#unicastPeers()}) adverts go to each peer and only the peers' adverts
 * are accepted; with a virtual MAC ({@link CarpHostConfig#virtualMac()}) the master holds the
 * addresses on a macvlan with {@code 00:00:5e:00:01:VHID}, which it deletes on leaving.
 *
 * <p>The addresses are held by the same {@link AddressHolder} as VRRP's: added back when someone
 * removes them, followed onto an interface deleted and created again, cleared at start when a
 * crashed run left them, announced on a schedule, re-announced (rate-limited, counted) when another
 * master is heard. CARP's own policy: a host that cannot hold its addresses is demoted to 255 and
 * reports FAULT until a retry succeeds, and, as in OpenBSD, a link that goes down takes the host
 * out of the election (FAULT) until it comes back as a backup.
 *
 * <pre>{@code
 * CarpHost host = CarpHost.builder()                 // InvalidConfigurationException names the field
 *     .ownedPlatform(NetlinkPlatform.open())
 *     .config(CarpHostConfig.builder().iface("eth0").vhid(10).passphrase("s3cr3t")
 *         .virtualAddress("192.0.2.100/24").build())
 *     .build();
 * host.addListener(myListener);                      // becameMaster, becameBackup, stopped
 * host.start();                                      // joins the election as a backup
 * host.statistics();                                 // CarpHostStatistics, drops by reason
 * host.close();                                      // 255/255, addresses removed, platform closed
 * }</pre>
 *
 * <p>Public methods are thread-safe: they hand work to the loop. The receive and periodic send
 * paths allocate nothing.
 */
public final class CarpHost implements RoleSource, ForwardingRoleObservable, BeforeTakeoverHooks {

  private final Platform platform;
  private final PlatformOwnership ownership;
  private final Duration listenerShutdownTimeout;
  private final SourceLifecycle life = new SourceLifecycle("the CARP host");
  private final EventLoop loop;
  private final CarpHostConfig config;
  private final CarpKey key;
  private final CarpHmac hmac = new CarpHmac();
  private final CarpAdvertEncoder encoder;
  private final CarpPacketDecoder decoder = new CarpPacketDecoder();
  private final SendCounter counter;
  private final ReplayGuard guard;
  private final DropCounters<CarpDropReason> drops = new DropCounters<>(CarpDropReason.class);
  private final RolePublisher publisher;
  private final AtomicLong advertsSent = new AtomicLong();
  private final AtomicLong advertsAccepted = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong leavingSent = new AtomicLong();
  private final AtomicLong becameMaster = new AtomicLong();
  private final AtomicLong releasedMaster = new AtomicLong();
  private final AddressHolder holder;
  private final DeferredTakeover takeover;

  /** The most demoted a host can advertise: any peer that can serve beats it. */
  private static final int MAX_DEMOTION = 255;

  private static final Logger log = LoggerFactory.getLogger(CarpHost.class);

  /** The demotion the application asked for; a host without its addresses advertises 255. */
  private volatile int applicationDemotion;

  private boolean addressesFailed;
  private final ByteBuffer out = ByteBuffer.allocateDirect(CarpAdvertEncoder.IPV4_LENGTH);
  private final byte[] source = new byte[16];

  // On the loop: whether a start opened anything, and whether it was all released.
  private boolean opened;
  private boolean released;

  private CarpStateMachine machine;
  // One advert path per address family the virtual host has; null for a family it lacks.
  private FamilyPath ipv4Path;
  private FamilyPath ipv6Path;
  private FamilyPath[] paths = new FamilyPath[0];
  private Timer timer;
  private InterfaceState iface;
  // The unicast peers' addresses (4 or 16 bytes), compared with each advert's source.
  private byte[][] peers = new byte[0][];
  private int ipId;
  private long wallAtStartMillis;
  private long nanosAtStart;

  private CarpHost(Builder b) {
    this.platform = b.platform;
    this.ownership = new PlatformOwnership(b.platform, b.ownsPlatform);
    this.listenerShutdownTimeout = b.listenerShutdownTimeout;
    this.loop = platform.eventLoop();
    this.config = b.config;
    this.key = config.key();
    this.encoder = new CarpAdvertEncoder(hmac, key);
    this.counter = new SendCounter(config.counterMode(), new SecureRandom());
    this.guard = new ReplayGuard(config.replayCapacity(), config.maxCounterAge());
    this.publisher = new RolePublisher("carp:" + config.vhid(), loop.now());
    this.holder =
        AddressHolder.builder(platform, "CARP VHID " + config.vhid())
            .iface(config.iface())
            .addresses(config.addresses())
            .virtualMac(
                config.virtualMac()
                    ? new VirtualMac(config.virtualMacName(), config.virtualMacAddress())
                    : null,
                VirtualMacLifetime.WHILE_HOLDING)
            .hostAddresses(HostAddressPolicy.REFUSE, "use a free address")
            .announcements(config.announcements())
            .retry(config.addressRetry())
            // Another master is answered at most once per advert interval: a flood of forged or
            // replayed adverts must not turn this master into a reflector.
            .answerGap(
                Duration.ofNanos(
                    CarpTiming.advertIntervalNanos(config.advbase(), config.advskew())))
            .events(new HolderEvents())
            .build();
    this.takeover = new DeferredTakeover(platform);
  }

  /** {@return a builder; the platform and the configuration are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the advert channel and starts as a backup, as every CARP host starts; once only. A start
   * that fails leaves nothing claimed or watched behind, and its listeners hear {@code stopped}.
   *
   * @throws IOException when the interface or the socket cannot be opened; the host is then {@link
   *     State#FAILED}
   * @throws org.failover4j.api.SourceClosedException when the host was closed, also by a close that
   *     came while this start waited for the loop
   */
  @Override
  public void start() throws IOException {
    life.requireNew();
    onLoop(
        () -> {
          // A close that came while this start waited for the loop wins: it set CLOSED first.
          life.requireNotClosed();
          if (opened) {
            throw new IllegalStateException("the CARP host is already started");
          }
          opened = true;
          try {
            open();
          } catch (IOException | RuntimeException e) {
            life.markFailed(e);
            release();
            throw e;
          }
          life.markStarted();
          return null;
        });
    // Once the host advertises: the first takeover then runs warm address code.
    platform.rehearseTakeover();
  }

  private void open() throws IOException {
    nanosAtStart = loop.nanoTime();
    wallAtStartMillis = loop.now().toEpochMilli();
    iface = holder.open();
    // A crashed run's addresses (or virtual MAC) would make two hosts answer ARP.
    holder.clearStale();
    InetAddress local4 = config.hasIpv4() ? localAddress(iface.ipv4(), "IPv4") : null;
    // Unicast adverts go from the host's own global address, as peers list it; it is fixed on the
    // socket, so a master's virtual addresses never become the source.
    InetAddress local6 =
        !config.hasIpv6()
            ? null
            : config.isUnicast()
                ? localAddress(iface.ipv6Global(), "IPv6 global")
                : localAddress(iface.ipv6LinkLocal(), "IPv6 link-local");
    // A dual-family host breaks ties against its own address of the advert's family and keeps a
    // master-down timer per family.
    machine =
        new CarpStateMachine(
            new CarpElectionConfig(
                config.vhid(),
                config.advbase(),
                config.advskew(),
                config.preempt(),
                local4 != null ? local4 : local6,
                local4 != null ? local6 : null),
            new Actions());
    if (config.isUnicast()) {
      peers = new byte[config.unicastPeers().size()][];
      for (int i = 0; i < peers.length; i++) {
        peers[i] = config.unicastPeers().get(i).getAddress();
      }
    }
    // Opened one by one so that a failure leaves the ones already open for release() to close.
    List<FamilyPath> families = new ArrayList<>();
    if (local4 != null) {
      ipv4Path = new FamilyPath(local4, InetAddress.getByName("224.0.0.18"));
      families.add(ipv4Path);
      paths = families.toArray(FamilyPath[]::new);
    }
    if (local6 != null) {
      ipv6Path = new FamilyPath(local6, InetAddress.getByName("ff02::12"));
      families.add(ipv6Path);
      paths = families.toArray(FamilyPath[]::new);
    }
    timer = loop.newTimer(this::fire);
    machine.start(loop.nanoTime());
    if (!iface.up()) {
      machine.linkDown(loop.nanoTime());
    }
    rearm();
  }

  private InetAddress localAddress(InetAddress address, String what) throws IOException {
    if (address == null) {
      throw new IOException(config.iface() + " has no " + what + " address");
    }
    return address;
  }

  /**
   * The adverts of one address family, as OpenBSD sends one per family: the family's channel, this
   * host's source address on it, the validator that knows that address, and the destinations (the
   * group, or each unicast peer).
   */
  private final class FamilyPath {
    final boolean ipv6;
    final AdvertChannel channel;
    final CarpAdvertValidator validator;
    final int sourceInt;
    final int[] destinations;
    final int[] destinationInts;

    FamilyPath(InetAddress local, InetAddress group) throws IOException {
      ipv6 = !(local instanceof Inet4Address);
      byte[] own = local.getAddress();
      sourceInt = ipv6 ? 0 : ByteBuffer.wrap(own).getInt();
      validator = new CarpAdvertValidator(key, hmac, counter, guard, own);
      channel =
          platform.openAdvertChannel(
              config.iface(),
              ipv6 ? IpFamily.IPV6 : IpFamily.IPV4,
              AdvertOwner.carp(config.vhid()),
              CarpHost.this::received);
      List<InetAddress> targets = config.isUnicast() ? config.unicastPeers() : List.of(group);
      destinations = new int[targets.size()];
      destinationInts = new int[targets.size()];
      try {
        for (int i = 0; i < targets.size(); i++) {
          // Over IPv6 a unicast advert leaves from this host's fixed address (IPv4: the header's).
          destinations[i] =
              channel.addDestination(targets.get(i), ipv6 && config.isUnicast() ? local : null);
          destinationInts[i] = ipv6 ? 0 : ByteBuffer.wrap(targets.get(i).getAddress()).getInt();
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }

    // One advert per destination, all with the same counter.
    void send(int advbase, int advskew, int demote, long next, AdvertCause cause) {
      for (int i = 0; i < destinations.length; i++) {
        int length;
        if (ipv6) {
          length = encoder.encode(out, 0, advbase, advskew, demote, next);
        } else {
          int to = config.isUnicast() ? destinationInts[i] : Ipv4Header.ADVERT_GROUP;
          length = encoder.encodeIpv4(out, 0, sourceInt, to, ipId, advbase, advskew, demote, next);
        }
        SendOutcome outcome = channel.send(out, 0, length, destinations[i]);
        if (outcome.isSent()) {
          advertsSent.incrementAndGet();
          if (cause == AdvertCause.LEAVING) {
            leavingSent.incrementAndGet();
          }
        } else {
          sendFailures.incrementAndGet();
        }
      }
    }
  }

  // ---- the loop side -----------------------------------------------------------------------

  private void received(ReceivedDatagram datagram) {
    if (machine == null || machine.role() == Role.STOPPED) {
      return;
    }
    CarpDropReason reason;
    try {
      if (datagram.isTruncated()) {
        reason = CarpDropReason.TRUNCATED;
      } else {
        if (datagram.isIpv6()) {
          datagram.copySource(source, 0);
          decoder.wrapIpv6(
              datagram.buffer(),
              datagram.payloadOffset(),
              datagram.payloadLength(),
              source,
              datagram.hopLimit());
        } else {
          decoder.wrapIpv4(datagram.buffer(), datagram.start(), datagram.storedLength());
        }
        // Before the HMAC and the replay windows: a stranger's adverts cost nothing and teach
        // the windows nothing.
        // A channel is open only for the families this host has: path is never null.
        FamilyPath path = datagram.isIpv6() ? ipv6Path : ipv4Path;
        reason =
            config.isUnicast() && !fromPeer(decoder)
                ? CarpDropReason.NOT_A_PEER
                : path.validator.validate(decoder, wallMillis());
      }
    } catch (MalformedPacketException e) {
      drops.increment(e);
      return;
    }
    if (reason != null) {
      drops.increment(reason);
      return;
    }
    advertsAccepted.incrementAndGet();
    CarpAdvertDecoder advert = decoder.advert();
    machine.onAdvert(
        loop.nanoTime(), advert.advbase(), advert.advskew(), advert.demote(), sourceOf(decoder));
    rearm();
  }

  // The state machine compares but never keeps the source: one reused array per length.
  private final byte[] source4 = new byte[4];

  private byte[] sourceOf(CarpPacketDecoder packet) {
    if (packet.sourceLength() == 4) {
      packet.copySource(source4, 0);
      return source4;
    }
    return source;
  }

  private boolean fromPeer(CarpPacketDecoder packet) {
    byte[] from = sourceOf(packet);
    for (byte[] peer : peers) {
      if (Arrays.equals(peer, from)) {
        return true;
      }
    }
    return false;
  }

  private void fire() {
    if (machine != null) {
      machine.onTimer(loop.nanoTime());
      rearm();
    }
  }

  private void rearm() {
    long deadline = machine.nextDeadline();
    if (deadline == CarpStateMachine.NO_DEADLINE) {
      timer.cancel();
    } else {
      timer.scheduleAt(deadline);
    }
  }

  // The wall clock at start plus the monotonic time since: allocation-free, and a clock stepped
  // while the host runs moves neither the counters nor the age check.
  private long wallMillis() {
    return wallAtStartMillis + (loop.nanoTime() - nanosAtStart) / 1_000_000;
  }

  /** What the state machine asks for, done on the loop. */
  private final class Actions implements CarpActions {
    @Override
    public void sendAdvert(int advbase, int advskew, int demote, AdvertCause cause) {
      // One counter per advert: each family and each unicast peer gets a copy of the same advert.
      long next = counter.next(wallMillis());
      ipId = (ipId + 1) & 0xFFFF;
      for (FamilyPath path : paths) {
        path.send(advbase, advskew, demote, next, cause);
      }
    }

    @Override
    public void transition(Role from, Role to, TransitionReason reason) {
      takeover.finish();
      if (to == Role.MASTER) {
        becameMaster.incrementAndGet();
        // The advert has left; the rest waits for the adverts of the takeovers due with this one.
        takeover.afterAdverts(() -> becomeMaster(reason));
        return;
      }
      if (from == Role.MASTER) {
        releasedMaster.incrementAndGet();
        holder.release();
      }
      report(to, reason);
    }

    private void becomeMaster(TransitionReason reason) {
      if (!holder.hold()) {
        // Never report a role this host cannot serve: the holder tells us (once the machine
        // has finished this transition) to demote, and retries.
        return;
      }
      holder.announce();
      report(Role.MASTER, reason);
    }

    private void report(Role to, TransitionReason reason) {
      // In FAULT the roles the election passes through are not reported, but the end always is.
      if (!addressesFailed || to == Role.STOPPED) {
        publisher.publish(to, reason, loop.now());
      }
    }

    @Override
    public void reassert() {
      takeover.finish();
      // Another, less preferred master: point the clients back here, at a bounded rate.
      if (holder.answerAnotherMaster()) {
        holder.announce();
      }
    }
  }

  /** CARP's policy for what the address holder reports, on the loop. */
  private final class HolderEvents implements AddressHolder.Events {
    @Override
    public void addressesLost() {
      if (machine == null || machine.role() == Role.STOPPED) {
        return;
      }
      // Demoted so that a peer takes over, reported as FAULT until a retry succeeds.
      addressesFailed = true;
      machine.setDemotion(loop.nanoTime(), MAX_DEMOTION);
      rearm();
      publisher.publish(Role.FAULT, TransitionReason.ADDRESS_FAILED, loop.now());
    }

    @Override
    public void retryDue() {
      if (machine == null || machine.role() == Role.STOPPED) {
        return;
      }
      takeover.finish();
      if (machine.role() == Role.MASTER) {
        if (!holder.hold()) {
          return;
        }
        holder.announce();
      }
      addressesFailed = false;
      machine.setDemotion(loop.nanoTime(), applicationDemotion);
      rearm();
      publisher.publish(machine.role(), TransitionReason.RECOVERED, loop.now());
    }

    @Override
    public void linkChanged(String name, boolean up) {
      if (machine == null || machine.role() == Role.STOPPED || !name.equals(config.iface())) {
        return;
      }
      if (up) {
        machine.linkUp(loop.nanoTime());
      } else {
        machine.linkDown(loop.nanoTime());
      }
      rearm();
    }
  }

  // ---- public API ----------------------------------------------------------------------------

  /**
   * Sets the demotion counter, 0..255 (0 = healthy). A master advertises it at once; a more demoted
   * master is replaced by any less demoted backup.
   *
   * @param value the demotion, 0..255
   * @throws InvalidConfigurationException when it is out of range
   * @throws org.failover4j.api.SourceClosedException when the host is closed
   */
  public void setDemotion(int value) {
    InvalidConfigurationException.requireInRange("demotion", value, 0, MAX_DEMOTION);
    life.requireNotClosed();
    applicationDemotion = value;
    loop.execute(
        () -> {
          if (machine != null && machine.role() != Role.STOPPED && !addressesFailed) {
            machine.setDemotion(loop.nanoTime(), value);
            rearm();
          }
        });
  }

  /** Runs {@code hook} on the loop before the addresses are added on becoming master. */
  @Override
  public void addBeforeTakeover(BeforeTakeover hook) {
    holder.addBeforeTakeover(hook);
  }

  @Override
  public boolean removeBeforeTakeover(BeforeTakeover hook) {
    return holder.removeBeforeTakeover(hook);
  }

  /** {@return the configuration} */
  public CarpHostConfig config() {
    return config;
  }

  /** {@return a snapshot of the host's counters, drops by reason included} */
  @Override
  public CarpHostStatistics statistics() {
    return new CarpHostStatistics(
        becameMaster.get(),
        releasedMaster.get(),
        advertsAccepted.get(),
        advertsSent.get(),
        leavingSent.get(),
        sendFailures.get(),
        holder.answersSuppressed(),
        holder.failures(),
        holder.restored(),
        drops.snapshot());
  }

  /** {@return where the host is in its life: new, started, failed or closed} */
  @Override
  public State state() {
    return life.state();
  }

  /** {@return the platform the host runs on} */
  public Platform platform() {
    return platform;
  }

  /** {@return the role publisher every {@link org.failover4j.api.RoleObservable} call goes to} */
  @Override
  public RoleObservable roles() {
    return publisher;
  }

  /**
   * Leaves gracefully: a master sends advbase = advskew = 255 so a backup takes over at once, the
   * virtual addresses are removed, listeners get {@code stopped}, and close waits (at most the
   * builder's {@link Builder#listenerShutdownTimeout}) until they have handled it, so cleanup in
   * {@code stopped()} finishes first, also in a shutdown hook. Closes an owned platform last. Any
   * state, any thread, more than once.
   */
  @Override
  public void close() {
    close(listenerShutdownTimeout);
  }

  /**
   * As {@link #close()}, waiting at most {@code listenerTimeout} for listeners.
   *
   * @param listenerTimeout how long to wait for listeners at most
   */
  @Override
  public void close(Duration listenerTimeout) {
    if (!life.close()) {
      return;
    }
    try {
      // An interrupted caller must still leave with 255/255 and its addresses removed.
      LoopCall.callUninterruptibly(
          loop,
          () -> {
            release();
            return null;
          });
      awaitListeners(listenerTimeout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ownership.closeWithSource(log, "CARP VHID " + config.vhid());
    }
  }

  /**
   * Leaves the election and gives back everything a start took (the VHID claim, the watches, the
   * addresses), once; listeners hear {@code stopped} whether or not the start got that far. On the
   * loop.
   */
  private void release() {
    if (released) {
      return;
    }
    takeover.finish(); // a takeover under way completes, then the host leaves
    released = true;
    try {
      if (machine != null) {
        machine.shutdown(loop.nanoTime());
      }
    } finally {
      holder.close();
      if (timer != null) {
        timer.cancel();
      }
      for (FamilyPath path : paths) {
        path.channel.close();
      }
      if (publisher.role() != Role.STOPPED) {
        publisher.publish(Role.STOPPED, TransitionReason.NOT_STARTED, loop.now());
      }
    }
  }

  private void awaitListeners(Duration timeout) {
    try {
      if (!publisher.awaitListeners(timeout)) {
        log.warn(
            "CARP VHID {}: listeners still busy after {}; closing without them",
            config.vhid(),
            timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T onLoop(LoopCall.Task<T> task) throws IOException {
    return LoopCall.call(loop, task);
  }

  /** Builds a {@link CarpHost}; building opens nothing and starts no thread. */
  public static final class Builder {
    private Platform platform;
    private boolean ownsPlatform;
    private CarpHostConfig config;
    private Duration listenerShutdownTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The machine to run on (required); the caller keeps ownership and closes it after the host.
     *
     * @param value the platform
     * @return this builder
     */
    public Builder platform(Platform value) {
      this.platform = value;
      this.ownsPlatform = false;
      return this;
    }

    /**
     * As {@link #platform}, but the host closes the platform when it closes.
     *
     * @param value the platform
     * @return this builder
     */
    public Builder ownedPlatform(Platform value) {
      platform(value);
      this.ownsPlatform = true;
      return this;
    }

    /**
     * The virtual host's configuration (required).
     *
     * @param value the configuration
     * @return this builder
     */
    public Builder config(CarpHostConfig value) {
      this.config = value;
      return this;
    }

    /**
     * How long {@link CarpHost#close()} waits for listeners to handle {@code stopped}; 0..10 min,
     * default 5 s.
     *
     * @param value how long to wait at most
     * @return this builder
     */
    public Builder listenerShutdownTimeout(Duration value) {
      this.listenerShutdownTimeout = value;
      return this;
    }

    /**
     * {@return the host, not started}; when a field is rejected, a platform given with {@link
     * #ownedPlatform} is closed
     *
     * @throws InvalidConfigurationException naming the missing or wrong field
     */
    public CarpHost build() {
      try {
        InvalidConfigurationException.requirePresent("platform", platform);
        InvalidConfigurationException.requirePresent("config", config);
        InvalidConfigurationException.requireListenerShutdownTimeout(listenerShutdownTimeout);
        return new CarpHost(this);
      } catch (RuntimeException e) {
        new PlatformOwnership(platform, ownsPlatform).closeAfterRefusedBuild(e);
        throw e;
      }
    }
  }
}
