package org.failover4j.vrrp;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.vrrp.codec.AhSequenceCounter;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacReplayGuard;
import org.failover4j.vrrp.codec.VrrpAdvertDecoder;
import org.failover4j.vrrp.codec.VrrpAdvertValidator;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;
import org.failover4j.vrrp.election.AdvertCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VRRP instance's end of its interface's shared advert socket: it encodes and sends the
 * instance's adverts to each destination, decodes and validates (keepalived's order) what arrives,
 * keeps the AH and auth_hmac sequence state, and counts what it drops or cannot send. Valid adverts
 * go to a {@link Receiver}. Use on the event loop; the receive and periodic send paths allocate
 * nothing.
 */
final class AdvertEndpoint {

  /** Where a valid advert goes, on the loop. */
  interface Receiver {
    /**
     * A valid advert arrived.
     *
     * @param priority the sender's priority
     * @param intervalCentis its advert interval, in centiseconds for either version
     * @param source its source address, valid until the next advert
     */
    void advert(int priority, int intervalCentis, byte[] source);
  }

  private static final Logger log = LoggerFactory.getLogger(AdvertEndpoint.class);

  private static final int MAX_PACKET = 1500;

  private final VrrpInstanceConfig config;
  private final VrrpWireConfig wire;
  private final Platform platform;
  private final EventLoop loop;
  private final BooleanSupplier isBackup;
  private final Receiver receiver;
  private final AhSequenceCounter ahCounter;
  // The auth_hmac part may be reloaded on the loop (reloadAuthHmac): these four follow it.
  private VrrpPacketEncoder encoder;
  private HmacReplayGuard hmacGuard;
  private VrrpAdvertValidator validator;
  private VrrpWireConfig signing;
  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();
  private final DropCounters<VrrpDropReason> drops = new DropCounters<>(VrrpDropReason.class);
  private final AtomicLong advertsSent = new AtomicLong();
  private final AtomicLong priorityZeroSent = new AtomicLong();
  private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(MAX_PACKET);
  private final byte[] receivedSource;
  private final AuthWarnings warnings;

  /** The loop's wall clock, read once: auth_hmac's sequences follow it by the monotonic clock. */
  private final long wallNanosAtStart;

  private final long nanosAtStart;
  private AdvertChannel channel;
  private String iface;
  private int[] destinationIndex;
  private int[] destinationIpv4;
  private byte[][] destinationIpv6;
  private int sourceIpv4;
  private byte[] sourceIpv6;
  private int identification;
  private int lastAhSequence;

  /**
   * @param isBackup whether the instance is a backup now (an accepted AH advert puts a backup's
   *     sequence in step again)
   */
  AdvertEndpoint(
      VrrpInstanceConfig config, Platform platform, BooleanSupplier isBackup, Receiver receiver) {
    this.config = config;
    this.wire = config.wire();
    this.platform = platform;
    this.loop = platform.eventLoop();
    this.isBackup = isBackup;
    this.receiver = receiver;
    this.encoder = new VrrpPacketEncoder(wire);
    this.signing = wire;
    this.ahCounter = wire.authType() == AuthType.IPSEC_AH ? new AhSequenceCounter() : null;
    this.hmacGuard = replayGuard(wire);
    this.validator = new VrrpAdvertValidator(wire, ahCounter, hmacGuard);
    Instant start = loop.now();
    this.nanosAtStart = loop.nanoTime();
    this.wallNanosAtStart = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    this.receivedSource = new byte[wire.family().addressLength()];
    this.warnings = new AuthWarnings(config.name(), wire.authType(), loop);
  }

  /**
   * Claims the instance's adverts on {@code advertIface}'s shared socket and registers their
   * destinations; call {@link #close()} even when this fails.
   *
   * @param advertIface the interface the adverts go out on (the virtual MAC's, if any)
   * @param base the configured interface, whose addresses are the fallback source
   * @return the source address of the adverts
   */
  InetAddress open(InterfaceState advertIface, InterfaceState base) throws IOException {
    this.iface = advertIface.name();
    this.channel =
        platform.openAdvertChannel(
            advertIface.name(),
            wire.family(),
            AdvertOwner.vrrp(wire.version(), wire.vrid()),
            this::onDatagram);
    InetAddress source = chooseSource(advertIface, base);
    // An IPv6 source other than the link-local is fixed on the socket: the checksum covers it.
    InetAddress fixedSource = wire.family() == IpFamily.IPV6 && !followsLinkLocal() ? source : null;
    List<InetAddress> destinations =
        wire.isUnicast() ? wire.unicastPeers() : List.of(wire.family().advertGroup());
    destinationIndex = new int[destinations.size()];
    destinationIpv4 = new int[destinations.size()];
    destinationIpv6 = new byte[destinations.size()][];
    for (int i = 0; i < destinations.size(); i++) {
      InetAddress d = destinations.get(i);
      destinationIndex[i] = channel.addDestination(d, fixedSource);
      if (wire.family() == IpFamily.IPV4) {
        destinationIpv4[i] = ByteBuffer.wrap(d.getAddress()).getInt();
      } else {
        destinationIpv6[i] = d.getAddress();
      }
    }
    if (wire.family() == IpFamily.IPV4) {
      sourceIpv4 = ByteBuffer.wrap(source.getAddress()).getInt();
    } else {
      sourceIpv6 = source.getAddress();
    }
    return source;
  }

  private InetAddress chooseSource(InterfaceState advertIface, InterfaceState base)
      throws IOException {
    if (config.unicastSource() != null) {
      return config.unicastSource();
    }
    InetAddress source;
    String kind;
    if (wire.family() == IpFamily.IPV4) {
      source = first(advertIface.ipv4(), base.ipv4());
      kind = "IPv4";
    } else if (wire.isUnicast()) {
      // The host's own global address, as unicast peers are listed by: a peer that checks the
      // source finds it, where keepalived's default, the link-local address, is in no peer list.
      source = first(advertIface.ipv6Global(), base.ipv6Global());
      kind = "IPv6 global";
    } else {
      source = first(advertIface.ipv6LinkLocal(), base.ipv6LinkLocal());
      kind = "IPv6 link-local";
    }
    if (source == null) {
      throw new IOException(
          config.name()
              + ": "
              + base.name()
              + " has no "
              + kind
              + " address to send from"
              + (wire.isUnicast() ? " (or set unicastSource)" : ""));
    }
    return source;
  }

  /** Whether the adverts go from the interface's link-local address, whichever it is now. */
  private boolean followsLinkLocal() {
    return config.unicastSource() == null && !wire.isUnicast();
  }

  private static InetAddress first(InetAddress a, InetAddress b) {
    return a != null ? a : b;
  }

  /** {@return the interface the adverts go out on, once open} */
  String iface() {
    return iface;
  }

  /**
   * The interface may have been deleted and created again: over IPv6, send from its current
   * link-local address (a fixed source stays).
   */
  void refreshSource() {
    if (wire.family() != IpFamily.IPV6 || !followsLinkLocal()) {
      return;
    }
    try {
      InterfaceState now = platform.interfaceState(iface);
      if (now.ipv6LinkLocal() != null) {
        sourceIpv6 = now.ipv6LinkLocal().getAddress();
      }
    } catch (IOException e) {
      log.warn("({}) cannot read {}: {}", config.name(), iface, e.getMessage());
    }
  }

  /** Releases the claim on the shared socket, if it was made. */
  void close() {
    if (channel != null) {
      channel.close();
    }
  }

  // ---- receiving ---------------------------------------------------------------------------

  /** A datagram for this version and VRID arrived on the interface's shared socket. */
  private void onDatagram(ReceivedDatagram datagram) {
    try {
      decoder.wrap(datagram);
    } catch (MalformedPacketException e) {
      drops.increment(e);
      return;
    }
    onPacket(decoder);
  }

  /** A packet for this VRID, wrapped. */
  void onPacket(VrrpPacketDecoder packet) {
    VrrpDropReason reason = validator.validate(packet, true, wallNanos());
    if (reason != null) {
      drops.increment(reason);
      warnings.refused(packet, reason, hmacGuard);
      return;
    }
    if (validator.acceptedWithHmac()) {
      warnings.acceptedWithHmac(packet, signing.hmacAuthentication(), hmacGuard);
    }
    VrrpAdvertDecoder advert = packet.advert();
    if (packet.hasAh()) {
      lastAhSequence = packet.ahSequence();
      if (isBackup.getAsBoolean()) {
        // keepalived: a backup that accepts an AH advert is in step again, cycle or not.
        ahCounter.clearCycle();
      }
    }
    int interval =
        wire.version() == 3 ? advert.intervalCentiseconds() : advert.advertIntervalSeconds() * 100;
    packet.copySource(receivedSource, 0);
    receiver.advert(advert.priority(), interval, receivedSource);
  }

  /** {@return the source of the last valid advert, for the log} */
  byte[] lastSource() {
    return receivedSource;
  }

  // ---- sending -----------------------------------------------------------------------------

  /** Sends one advert with {@code priority} to every destination, counting what was not sent. */
  void send(int priority, AdvertCause cause) {
    if (ahCounter != null) {
      if (cause == AdvertCause.BECOME_MASTER) {
        ahCounter.onBecomeMaster();
      } else if (cause == AdvertCause.ANSWER_LOWER_PRIORITY) {
        ahCounter.syncAfterLowerPriority(lastAhSequence);
      }
    }
    // keepalived numbers each advert once: unicast copies share the IP ID and AH sequence.
    identification = identification == 0xFFFF ? 1 : identification + 1;
    long sequence = ahCounter != null ? ahCounter.nextForSend() : 0;
    // keepalived 2.4.3 signs once per advert: every unicast copy carries one sequence.
    long hmacSequence = encoder.signsHmac() ? hmacGuard.nextSendSequence(wallNanos()) : 0;
    for (int i = 0; i < destinationIndex.length; i++) {
      int length =
          wire.family() == IpFamily.IPV4
              ? encoder.encodeIpv4(
                  sendBuffer,
                  0,
                  priority,
                  sourceIpv4,
                  destinationIpv4[i],
                  identification,
                  sequence,
                  hmacSequence)
              : encoder.encodeIpv6(
                  sendBuffer, 0, priority, sourceIpv6, destinationIpv6[i], hmacSequence);
      SendOutcome outcome = channel.send(sendBuffer, 0, length, destinationIndex[i]);
      if (outcome.isSent()) {
        advertsSent.incrementAndGet();
        if (priority == 0) {
          priorityZeroSent.incrementAndGet();
        }
      } else {
        // The platform logs why (rate-limited); here it is counted as not sent.
        drops.increment(
            outcome == SendOutcome.BUFFER_FULL
                ? VrrpDropReason.SEND_BUFFER_FULL
                : VrrpDropReason.SEND_REFUSED);
      }
    }
  }

  /** A master stepped down to backup: AH's sequence starts a new cycle. */
  void steppedDownToBackup() {
    if (ahCounter != null) {
      ahCounter.clearCycle();
    }
  }

  /** {@return the adverts sent} */
  long advertsSent() {
    return advertsSent.get();
  }

  /** {@return the adverts with priority 0 sent} */
  long priorityZeroSent() {
    return priorityZeroSent.get();
  }

  /** {@return what was dropped or not sent, per reason} */
  Map<VrrpDropReason, Long> drops() {
    return drops.snapshot();
  }

  // ---- auth_hmac ---------------------------------------------------------------------------

  /**
   * Signs and verifies with {@code hmac} from now on (none when null), keeping the replay state.
   */
  void reloadAuthHmac(HmacAuthentication hmac) {
    VrrpWireConfig next = wire.withHmacAuthentication(hmac);
    loop.execute(() -> applyAuthHmac(next));
  }

  private void applyAuthHmac(VrrpWireConfig next) {
    HmacAuthentication hmac = next.hmacAuthentication();
    HmacReplayGuard guard = replayGuard(next);
    if (guard != null && hmacGuard != null) {
      guard.continueFrom(hmacGuard);
    }
    encoder = new VrrpPacketEncoder(next);
    validator = new VrrpAdvertValidator(next, ahCounter, guard);
    hmacGuard = guard;
    signing = next;
    log.info("({}) auth_hmac reloaded: {}", config.name(), hmac == null ? "none" : hmac.toString());
  }

  /** {@return the auth_hmac replay state {@code wire} needs, or null without auth_hmac} */
  private static HmacReplayGuard replayGuard(VrrpWireConfig wire) {
    HmacAuthentication hmac = wire.hmacAuthentication();
    return hmac == null
        ? null
        : new HmacReplayGuard(hmac, wire.intervalCentiseconds(), wire.unicastPeers().size());
  }

  /** The wall clock as auth_hmac reads it, without allocating: the start's, moved on. */
  private long wallNanos() {
    return wallNanosAtStart + (loop.nanoTime() - nanosAtStart);
  }
}
