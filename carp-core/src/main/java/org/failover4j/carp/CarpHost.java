package org.failover4j.carp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.LoopCall;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleChangeListener;
import org.failover4j.api.RoleObservable;
import org.failover4j.api.RolePublisher;
import org.failover4j.api.Timer;
import org.failover4j.api.TransitionReason;
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
import org.failover4j.carp.replay.ReplayGuard;
import org.failover4j.carp.replay.SendCounter;

/**
 * One CARP virtual host on a {@link Platform}: it claims its VHID on the interface's shared
 * protocol-112 socket, runs the {@link CarpStateMachine} on the platform's event loop, adds and
 * announces the virtual addresses as master and removes them otherwise, and tells listeners with
 * the same vocabulary as VRRP ({@code becameMaster}, {@code becameBackup}, {@code stopped}, epochs,
 * the current role on registration). The application moves the demotion counter from its own health
 * checks with {@link #setDemotion}. Drops are counted per {@link CarpDropReason}.
 *
 * <p>Public methods are thread-safe: they hand work to the loop. The receive and periodic send
 * paths allocate nothing.
 */
public final class CarpHost implements RoleObservable, AutoCloseable {

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
  private final ByteBuffer out = ByteBuffer.allocateDirect(CarpAdvertEncoder.IPV4_LENGTH);
  private final byte[] source = new byte[16];
  private final AtomicReference<String> state = new AtomicReference<>("new");

  private CarpStateMachine machine;
  private CarpAdvertValidator validator;
  private AdvertChannel channel;
  private Timer timer;
  private InterfaceState iface;
  private int sourceInt;
  private int group;
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
            open();
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
    iface = platform.interfaceState(config.iface());
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
    InetAddress groupAddress = InetAddress.getByName(config.isIpv6() ? "ff02::12" : "224.0.0.18");
    group = channel.addDestination(groupAddress);
    timer = loop.newTimer(this::fire);
    machine.start(loop.nanoTime());
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
        reason = validator.validate(decoder, wallMillis());
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
      long next = counter.next(wallMillis());
      int length;
      if (config.isIpv6()) {
        length = encoder.encode(out, 0, advbase, advskew, demote, next);
      } else {
        ipId = (ipId + 1) & 0xFFFF;
        length =
            encoder.encodeIpv4(
                out, 0, sourceInt, Ipv4Header.ADVERT_GROUP, ipId, advbase, advskew, demote, next);
      }
      SendOutcome outcome = channel.send(out, 0, length, group);
      if (outcome.isSent()) {
        advertsSent.incrementAndGet();
      } else {
        sendFailures.incrementAndGet();
      }
    }

    @Override
    public void transition(Role from, Role to, TransitionReason reason) {
      if (to == Role.MASTER) {
        addAddresses();
      } else if (from == Role.MASTER) {
        removeAddresses();
      }
      publisher.publish(to, reason, loop.now());
    }

    @Override
    public void reassert() {
      announce();
    }
  }

  private void addAddresses() {
    for (CarpHostConfig.VirtualAddress a : config.addresses()) {
      try {
        platform.addAddress(config.iface(), a.address(), a.prefixLength());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    announce();
  }

  private void announce() {
    for (CarpHostConfig.VirtualAddress a : config.addresses()) {
      try {
        platform.announce(config.iface(), a.address(), iface.mac());
      } catch (IOException e) {
        // An announcement lost is repaired by the next reassert; the address is in place.
        sendFailures.incrementAndGet();
      }
    }
  }

  private void removeAddresses() {
    for (CarpHostConfig.VirtualAddress a : config.addresses()) {
      try {
        platform.removeAddress(config.iface(), a.address(), a.prefixLength());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
    loop.execute(
        () -> {
          if (machine != null && machine.role() != Role.STOPPED) {
            machine.setDemotion(loop.nanoTime(), value);
            rearm();
          }
        });
  }

  /** {@return the configuration} */
  public CarpHostConfig config() {
    return config;
  }

  /** {@return adverts dropped, per reason (zeros included)} */
  public Map<CarpDropReason, Long> drops() {
    return drops.snapshot();
  }

  /** {@return adverts sent} */
  public long advertsSent() {
    return advertsSent.get();
  }

  /** {@return adverts accepted (that reached the election)} */
  public long advertsAccepted() {
    return advertsAccepted.get();
  }

  /**
   * Sends the platform refused or could not buffer, and announcements that failed.
   *
   * @return the count
   */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** {@return the lifecycle: new, starting, started, failed or closed} */
  public String state() {
    return state.get();
  }

  @Override
  public Role role() {
    return publisher.role();
  }

  @Override
  public RoleChangeEvent lastChange() {
    return publisher.lastChange();
  }

  @Override
  public void addListener(RoleChangeListener listener) {
    publisher.addListener(listener);
  }

  @Override
  public void addListener(RoleChangeListener listener, Executor executor) {
    publisher.addListener(listener, executor);
  }

  @Override
  public boolean removeListener(RoleChangeListener listener) {
    return publisher.removeListener(listener);
  }

  /** Waits until the role is {@code role}; false on timeout. */
  public boolean awaitRole(Role role, Duration timeout) throws InterruptedException {
    return publisher.awaitRole(role, timeout);
  }

  /**
   * Leaves gracefully: a master sends advbase = advskew = 255 so a backup takes over at once, the
   * virtual addresses are removed, listeners get {@code stopped}. Idempotent.
   */
  @Override
  public void close() {
    String before = state.getAndSet("closed");
    if (before.equals("closed") || before.equals("new")) {
      return;
    }
    try {
      onLoop(
          () -> {
            if (machine != null) {
              machine.shutdown(loop.nanoTime());
              timer.cancel();
            }
            if (channel != null) {
              channel.close();
            }
            return null;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T onLoop(LoopCall.Task<T> task) throws IOException {
    return LoopCall.call(loop, task);
  }
}
