package org.failover4j.carp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ForwardingRoleObservable;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.LoopCall;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RolePublisher;
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
 * <p>Public methods are thread-safe: they hand work to the loop. The receive and periodic send
 * paths allocate nothing.
 */
public final class CarpHost
    implements ForwardingRoleObservable, org.failover4j.api.BeforeTakeoverHooks, AutoCloseable {

  private final Platform platform;
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

  /** The most demoted a host can advertise: any peer that can serve beats it. */
  private static final int MAX_DEMOTION = 255;

  private static final Logger log = LoggerFactory.getLogger(CarpHost.class);

  /** The demotion the application asked for; a host without its addresses advertises 255. */
  private volatile int applicationDemotion;

  private boolean addressesFailed;
  private final ByteBuffer out = ByteBuffer.allocateDirect(CarpAdvertEncoder.IPV4_LENGTH);
  private final byte[] source = new byte[16];
  private final AtomicReference<String> state = new AtomicReference<>("new");

  private CarpStateMachine machine;
  private CarpAdvertValidator validator;
  private AdvertChannel channel;
  private Timer timer;
  private InterfaceState iface;
  private int sourceInt;
  // One entry per destination: the group, or each unicast peer.
  private int[] destinations;
  private int[] destinationInts;
  // The unicast peers' addresses (4 or 16 bytes), compared with each advert's source.
  private byte[][] peers = new byte[0][];
  private int ipId;
  private long wallAtStartMillis;
  private long nanosAtStart;

  /**
   * A host for {@code config} on {@code platform}; {@link #start()} joins the election.
   *
   * @param platform the machine to run on (the caller closes it after the host)
   * @param config the virtual host's configuration
   */
  public CarpHost(Platform platform, CarpHostConfig config) {
    this.platform = Objects.requireNonNull(platform, "platform");
    this.loop = platform.eventLoop();
    this.config = Objects.requireNonNull(config, "config");
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
  }

  /**
   * Opens the advert channel and starts as a backup, as every CARP host starts; once only.
   *
   * @throws IOException when the interface or the socket cannot be opened
   */
  public void start() throws IOException {
    if (!state.compareAndSet("new", "starting")) {
      throw new IllegalStateException("start() once only; the host is " + state.get());
    }
    try {
      onLoop(
          () -> {
            try {
              open();
            } catch (IOException | RuntimeException e) {
              // Leave nothing claimed or watched behind.
              holder.close();
              if (channel != null) {
                channel.close();
              }
              throw e;
            }
            return null;
          });
      state.set("started");
    } catch (IOException | RuntimeException e) {
      state.set("failed");
      throw e;
    }
  }

  private void open() throws IOException {
    nanosAtStart = loop.nanoTime();
    wallAtStartMillis = loop.now().toEpochMilli();
    iface = holder.open();
    // A crashed run's addresses (or virtual MAC) would make two hosts answer ARP.
    holder.clearStale();
    InetAddress local = config.isIpv6() ? iface.ipv6LinkLocal() : iface.ipv4();
    if (local == null) {
      throw new IOException(
          config.iface()
              + " has no "
              + (config.isIpv6() ? "IPv6 link-local" : "IPv4")
              + " address");
    }
    byte[] own = local.getAddress();
    sourceInt = config.isIpv6() ? 0 : ByteBuffer.wrap(own).getInt();
    validator = new CarpAdvertValidator(key, hmac, counter, guard, own);
    machine =
        new CarpStateMachine(
            new CarpElectionConfig(
                config.vhid(), config.advbase(), config.advskew(), config.preempt(), local),
            new Actions());
    IpFamily family = config.isIpv6() ? IpFamily.IPV6 : IpFamily.IPV4;
    channel =
        platform.openAdvertChannel(
            config.iface(), family, AdvertOwner.carp(config.vhid()), this::received);
    List<InetAddress> targets =
        config.isUnicast()
            ? config.unicastPeers()
            : List.of(InetAddress.getByName(config.isIpv6() ? "ff02::12" : "224.0.0.18"));
    destinations = new int[targets.size()];
    destinationInts = new int[targets.size()];
    if (config.isUnicast()) {
      peers = new byte[targets.size()][];
      for (int i = 0; i < targets.size(); i++) {
        peers[i] = targets.get(i).getAddress();
      }
    }
    for (int i = 0; i < targets.size(); i++) {
      destinations[i] = channel.addDestination(targets.get(i));
      destinationInts[i] =
          config.isIpv6() ? 0 : ByteBuffer.wrap(targets.get(i).getAddress()).getInt();
    }
    timer = loop.newTimer(this::fire);
    machine.start(loop.nanoTime());
    if (!iface.up()) {
      machine.linkDown(loop.nanoTime());
    }
    rearm();
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
        reason =
            config.isUnicast() && !fromPeer(decoder)
                ? CarpDropReason.NOT_A_PEER
                : validator.validate(decoder, wallMillis());
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
      // One counter per advert: each unicast peer gets a copy of the same advert.
      long next = counter.next(wallMillis());
      ipId = (ipId + 1) & 0xFFFF;
      for (int i = 0; i < destinations.length; i++) {
        int length;
        if (config.isIpv6()) {
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

    @Override
    public void transition(Role from, Role to, TransitionReason reason) {
      if (to == Role.MASTER) {
        becameMaster.incrementAndGet();
        if (!holder.hold()) {
          // Never report a role this host cannot serve: the holder tells us (once the machine
          // has finished this transition) to demote, and retries.
          return;
        }
        holder.announce();
      } else if (from == Role.MASTER) {
        releasedMaster.incrementAndGet();
        holder.release();
      }
      if (!addressesFailed) {
        publisher.publish(to, reason, loop.now());
      }
    }

    @Override
    public void reassert() {
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
   */
  public void setDemotion(int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("demotion must be in 0..255, was " + value);
    }
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
  public void addBeforeTakeover(org.failover4j.api.BeforeTakeover hook) {
    holder.addBeforeTakeover(hook);
  }

  @Override
  public boolean removeBeforeTakeover(org.failover4j.api.BeforeTakeover hook) {
    return holder.removeBeforeTakeover(hook);
  }

  /** {@return the configuration} */
  public CarpHostConfig config() {
    return config;
  }

  /** {@return adverts dropped, per reason (zeros included)} */
  public Map<CarpDropReason, Long> drops() {
    return drops.snapshot();
  }

  /**
   * {@return times the virtual addresses could not be added, or added back after a removal (the
   * host then demoted)}
   */
  public long addressFailures() {
    return holder.failures();
  }

  /** {@return virtual addresses someone else removed that were added back and announced} */
  public long addressesRestored() {
    return holder.restored();
  }

  /**
   * {@return answers to another master held back because one was sent less than an interval ago}
   */
  public long answersSuppressed() {
    return holder.answersSuppressed();
  }

  /** {@return adverts sent} */
  public long advertsSent() {
    return advertsSent.get();
  }

  /** {@return adverts accepted (that reached the election)} */
  public long advertsAccepted() {
    return advertsAccepted.get();
  }

  /** {@return adverts sent with advbase = advskew = 255 when leaving as master (at most 1)} */
  public long leavingAdvertsSent() {
    return leavingSent.get();
  }

  /** {@return how often the host became master} */
  public long becameMaster() {
    return becameMaster.get();
  }

  /** {@return how often the host left the master role (to backup or stopped)} */
  public long releasedMaster() {
    return releasedMaster.get();
  }

  /** {@return sends the platform refused or could not buffer, and announcements that failed} */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** {@return the lifecycle: new, starting, started, failed or closed} */
  public String state() {
    return state.get();
  }

  /** {@return the role publisher every {@link org.failover4j.api.RoleObservable} call goes to} */
  @Override
  public RoleObservable roles() {
    return publisher;
  }

  /** How long {@link #close()} waits for listeners to handle {@code stopped}. */
  private static final Duration LISTENER_SHUTDOWN = Duration.ofSeconds(5);

  /**
   * Leaves gracefully: a master sends advbase = advskew = 255 so a backup takes over at once, the
   * virtual addresses are removed, listeners get {@code stopped}, and close waits (at most 5 s)
   * until they have handled it, so cleanup in {@code stopped()} finishes first, also in a shutdown
   * hook. Idempotent.
   */
  @Override
  public void close() {
    String before = state.getAndSet("closed");
    if (before.equals("closed")) {
      return;
    }
    if (before.equals("new")) {
      // Never started: nothing to leave, but its listeners still hear that it is over.
      publisher.publish(Role.STOPPED, TransitionReason.NOT_STARTED, loop.now());
      awaitListeners();
      return;
    }
    try {
      // An interrupted caller must still leave with 255/255 and its addresses removed.
      LoopCall.callUninterruptibly(
          loop,
          () -> {
            try {
              if (machine != null) {
                machine.shutdown(loop.nanoTime());
              }
            } finally {
              holder.close();
              if (timer != null) {
                timer.cancel();
              }
              if (channel != null) {
                channel.close();
              }
            }
            return null;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitListeners();
  }

  private void awaitListeners() {
    try {
      if (!publisher.awaitListeners(LISTENER_SHUTDOWN)) {
        log.warn(
            "CARP VHID {}: listeners still busy after {}; closing without them",
            config.vhid(),
            LISTENER_SHUTDOWN);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T onLoop(LoopCall.Task<T> task) throws IOException {
    return LoopCall.call(loop, task);
  }
}
