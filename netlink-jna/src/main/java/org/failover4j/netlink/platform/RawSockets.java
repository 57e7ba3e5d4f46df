package org.failover4j.netlink.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.AddressText;
import org.failover4j.api.DropCounters;
import org.failover4j.api.RateLimitedLog;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.AdvertSocket;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.netlink.AddressNotAvailableException;
import org.failover4j.netlink.Errno;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.RawIpSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw sockets of one interface and family as one {@link AdvertSocket}: sends each advert
 * through the socket chosen for its destination (over IPv6, one bound to the destination's fixed
 * source, if it has one), drains received datagrams into the sink a bounded number per wake-up,
 * grows the receive buffers with the owners, and counts what the kernel dropped from a full queue.
 * Adverts sent while the loop runs its timers are queued and leave together with one {@code
 * sendmmsg} per socket when the timers are done ({@link TurnBatch}); those with a fixed source
 * leave at once. Opened by {@link AdvertSocketFactory}; used on the event loop.
 */
final class RawSockets implements AdvertSocket, TurnBatch.Flushable {

  /** Opens a send-only socket bound to an IPv6 source address of the interface. */
  @FunctionalInterface
  interface SourceBinder {
    /**
     * @throws AddressNotAvailableException while {@code source} is tentative or not on the host
     */
    RawIpSocket bind(InetAddress source) throws IOException;
  }

  /**
   * The sender of one fixed IPv6 source, shared by every destination sent from it: bound at the
   * first send that can bind it, since an address is tentative for a while after it is added.
   */
  private static final class FixedSource {
    final InetAddress address;
    RawIpSocket socket;

    FixedSource(InetAddress address) {
      this.address = address;
    }
  }

  private static final int RECEIVE_BUFFER = 1500;

  /**
   * Packets read per wake-up at least: a flood must not starve the loop's timers (polling is
   * level). A socket shared by more owners reads one advert per owner, one burst of the masters'
   * aligned timers, per wake-up: fewer ppoll calls for the same packets.
   */
  private static final int MIN_READS_PER_WAKEUP = 64;

  /** Batch slots of a socket with few owners: a burst of a few adverts still takes one call. */
  private static final int MIN_BATCH_SLOTS = 8;

  /** A probe's length: an IPv4 header and a VRRP advert, as the kernel's length checks want. */
  private static final int PROBE_LENGTH = 40;

  /**
   * Receive buffer asked per owner of a shared advert socket (the kernel doubles it): room for a
   * few adverts each, as the masters' timers drift into step and their adverts arrive in bursts of
   * one per instance. The default buffer (about 270 small packets) dropped adverts from 2000.
   */
  private static final int RECEIVE_BYTES_PER_CLAIM = 2048;

  /** Below this the kernel's default buffer (rmem_default, 208 KiB here) is left alone. */
  private static final int MIN_RECEIVE_BUFFER = 256 * 1024;

  private static final int MAX_RECEIVE_BUFFER = 64 * 1024 * 1024;

  /** A refused send is logged at most this often per interface, with the count in between. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(RawSockets.class);

  private final String iface;
  private final RawIpSocket sender;
  private final RawIpSocket boundSender;
  private final int ifindex;
  private final List<RawIpSocket> sockets;
  private final DropCounters<AdvertDropReason> drops;
  private final TurnBatch batch;
  private boolean awaitingFlush;

  /** The sockets besides the plain sender with adverts queued in this turn (a few at most). */
  private final List<RawIpSocket> queuedOn = new ArrayList<>();

  private final SourceBinder binder;

  /** Per socket, the kernel's running total of queue drops as last counted. */
  private final long[] kernelDropsSeen;

  private final List<IpDestination> destinations = new ArrayList<>();

  /**
   * Per destination without a fixed source: the link-local sender for multicast (when there is
   * one), else the plain one; null for a destination with a fixed source.
   */
  private final List<RawIpSocket> senders = new ArrayList<>();

  /** Senders whose send path ran once ({@link #probe}). */
  private final List<RawIpSocket> probed = new ArrayList<>(2);

  /** Per destination: its fixed source, or null. */
  private final List<FixedSource> fixedSources = new ArrayList<>();

  /** Each fixed source once. */
  private final Map<InetAddress, FixedSource> bySource = new HashMap<>();

  private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
  private final ReceivedDatagram datagram = new ReceivedDatagram();
  private final RateLimitedLog refusals = new RateLimitedLog(REFUSAL_LOG_INTERVAL_NANOS);
  private int receiveBufferAsked = MIN_RECEIVE_BUFFER;
  private int readsPerWakeup = MIN_READS_PER_WAKEUP;

  RawSockets(
      String iface,
      RawIpSocket sender,
      RawIpSocket boundSender,
      int ifindex,
      List<RawIpSocket> sockets,
      DropCounters<AdvertDropReason> drops,
      TurnBatch batch,
      SourceBinder binder) {
    this.iface = iface;
    this.sender = sender;
    this.boundSender = boundSender;
    this.ifindex = ifindex;
    this.sockets = sockets;
    this.drops = drops;
    this.batch = batch;
    this.binder = binder;
    this.kernelDropsSeen = new long[sockets.size()];
  }

  @Override
  public int addDestination(InetAddress destination, InetAddress source) {
    destinations.add(IpDestination.of(destination, ifindex));
    if (source != null && sender.isIpv6()) {
      // Bound at its first send: it may be tentative now, and a reopened socket may not have it.
      fixedSources.add(bySource.computeIfAbsent(source, FixedSource::new));
      senders.add(null);
    } else {
      // Over IPv4 the header names the source; an IPv6 advert without one goes from link-local.
      fixedSources.add(null);
      RawIpSocket via =
          boundSender != null && destination.isMulticastAddress() ? boundSender : sender;
      senders.add(via);
      if (!probed.contains(via)) {
        probed.add(via);
        probe(via, destinations.get(destinations.size() - 1));
      }
    }
    return destinations.size() - 1;
  }

  /**
   * Sends nothing, but runs a sender's send path once ({@link RawIpSocket#probe}), so that a
   * backup's first advert, at its takeover, is not that path's first run. Never fails: only that
   * advert's speed is at stake.
   */
  private void probe(RawIpSocket via, IpDestination to) {
    try {
      via.probe(ByteBuffer.allocateDirect(PROBE_LENGTH), to);
    } catch (IOException | RuntimeException e) {
      log.debug("probe of the send path of {} on {}: {}", via, iface, e.toString());
    }
  }

  /**
   * Sends at once, or, while the loop runs its timers, queues the advert to leave with the others
   * due in this turn: then {@link SendOutcome#SENT} means queued, and a datagram the kernel refuses
   * at the flush is counted in the platform's drops and logged.
   */
  @Override
  public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
    packet.limit(offset + length).position(offset);
    IpDestination to = destinations.get(destination);
    FixedSource fixed = fixedSources.get(destination);
    if (fixed == null && length <= RawIpSocket.BATCH_DATAGRAM_SIZE && batch.deferAdvert()) {
      queue(packet, senders.get(destination), to);
      packet.clear();
      return SendOutcome.SENT;
    }
    try {
      if (fixed != null) {
        return sendFrom(fixed, packet, to);
      }
      RawIpSocket via = senders.get(destination);
      if (via != sender) {
        try {
          return via.send(packet, to) > 0 ? SendOutcome.SENT : SendOutcome.BUFFER_FULL;
        } catch (IOException e) {
          // The link-local address it is bound to went away: let the kernel choose, as before.
          packet.limit(offset + length).position(offset);
        }
      }
      return sender.send(packet, to) > 0 ? SendOutcome.SENT : SendOutcome.BUFFER_FULL;
    } catch (IOException e) {
      if (refusals.permit(System.nanoTime())) {
        log.warn(
            "advert not sent on {} ({} refused since the last report): {}",
            iface,
            refusals.suppressedAndReset() + 1,
            e.getMessage());
      }
      return SendOutcome.REFUSED;
    } finally {
      packet.clear();
    }
  }

  private void queue(ByteBuffer packet, RawIpSocket via, IpDestination to) {
    if (!via.queue(packet, to)) {
      flushQueued(); // a full batch leaves now; the turn's next ones start another
      via.queue(packet, to);
    }
    if (via != sender && !queuedOn.contains(via)) {
      queuedOn.add(via);
    }
    if (!awaitingFlush) {
      awaitingFlush = true;
      batch.queuedAdverts(this);
    }
  }

  /**
   * Sends what was queued: every other socket's first, since a datagram one of them refuses (say,
   * the link-local source it is bound to went away) goes again through the plain sender, which lets
   * the kernel choose, as a single send does.
   */
  @Override
  public void flushQueued() {
    awaitingFlush = false;
    for (int s = 0; s < queuedOn.size(); s++) {
      RawIpSocket via = queuedOn.get(s);
      int count = via.queued();
      if (!flush(via)) {
        continue;
      }
      for (int i = 0; i < count; i++) {
        int errno = via.flushedErrno(i);
        if (errno == 0) {
          continue;
        }
        if (isBufferFull(errno)) {
          drops.increment(AdvertDropReason.SEND_BUFFER_FULL);
        } else if (!sender.requeue(via, i)) {
          flushSender();
          sender.requeue(via, i);
        }
      }
    }
    queuedOn.clear();
    flushSender();
  }

  private void flushSender() {
    int count = sender.queued();
    if (count == 0 || !flush(sender)) {
      return;
    }
    for (int i = 0; i < count; i++) {
      int errno = sender.flushedErrno(i);
      if (isBufferFull(errno)) {
        drops.increment(AdvertDropReason.SEND_BUFFER_FULL);
      } else if (errno != 0) {
        drops.increment(AdvertDropReason.SEND_REFUSED);
        refused("errno " + errno);
      }
    }
  }

  /** {@return false when the socket was closed under its queue: the adverts are lost with it} */
  private boolean flush(RawIpSocket socket) {
    try {
      socket.flush();
      return true;
    } catch (IOException e) {
      refused(e.getMessage());
      return false;
    }
  }

  private static boolean isBufferFull(int errno) {
    return errno == Errno.EAGAIN.number() || errno == Errno.ENOBUFS.number();
  }

  private void refused(String why) {
    if (refusals.permit(System.nanoTime())) {
      log.warn(
          "advert not sent on {} ({} refused since the last report): {}",
          iface,
          refusals.suppressedAndReset() + 1,
          why);
    }
  }

  /**
   * Sends from {@code fixed}, binding its socket first if it is not bound yet. Once bound it keeps
   * the source even when the address is deleted later (the kernel does not check a bound raw
   * socket's source again): the peers go on seeing the source they know.
   */
  private SendOutcome sendFrom(FixedSource fixed, ByteBuffer packet, IpDestination to)
      throws IOException {
    if (fixed.socket == null) {
      try {
        fixed.socket = binder.bind(fixed.address);
      } catch (AddressNotAvailableException e) {
        if (refusals.permit(System.nanoTime())) {
          log.warn(
              "advert not sent on {} ({} refused since the last report): its source {} is not"
                  + " usable yet (tentative while duplicate address detection runs, or not an"
                  + " address of this host); trying again at the next advert",
              iface,
              refusals.suppressedAndReset() + 1,
              AddressText.of(fixed.address));
        }
        return SendOutcome.SOURCE_UNAVAILABLE;
      }
    }
    return fixed.socket.send(packet, to) > 0 ? SendOutcome.SENT : SendOutcome.BUFFER_FULL;
  }

  /**
   * Reads up to one advert per owner per wake-up, and grows every socket's receive buffer,
   * doubling, once the owners need more than it holds: as root with SO_RCVBUFFORCE, past
   * net.core.rmem_max; without CAP_NET_ADMIN the kernel caps it.
   */
  @Override
  public void claimed(int claims) {
    readsPerWakeup = Math.max(MIN_READS_PER_WAKEUP, claims);
    sizeBatches(claims);
    long wanted = Math.min((long) claims * RECEIVE_BYTES_PER_CLAIM, MAX_RECEIVE_BUFFER);
    if (wanted <= receiveBufferAsked) {
      return;
    }
    while (receiveBufferAsked < wanted) {
      receiveBufferAsked *= 2;
    }
    for (RawIpSocket s : sockets) {
      try {
        s.setReceiveBufferSize(receiveBufferAsked);
      } catch (IOException e) {
        log.warn(
            "cannot grow the receive buffer of {} to {} bytes for {} instances: {}",
            iface,
            receiveBufferAsked,
            claims,
            e.getMessage());
      }
    }
  }

  /**
   * Batch slots as the owners need them: an advert per owner in one turn, at least {@link
   * #MIN_BATCH_SLOTS}. A thousand virtual-MAC instances, each with sockets of its own, ran the JVM
   * out of direct memory with the 64 slots (about 150 KiB per socket and direction) of a shared
   * socket.
   */
  private void sizeBatches(int claims) {
    // Powers of two: a thousand claims made one by one resize a shared socket's batches 4 times.
    int slots =
        Math.min(
            RawIpSocket.MAX_BATCH,
            Math.max(MIN_BATCH_SLOTS, Integer.highestOneBit(claims - 1) << 1));
    for (RawIpSocket s : sockets) { // the plain sender among them
      resize(s, slots);
    }
    if (boundSender != null) {
      resize(boundSender, slots);
    }
  }

  private void resize(RawIpSocket socket, int slots) {
    if (socket.batchSlots() != slots && socket.queued() == 0) {
      socket.setBatchSlots(slots);
    }
  }

  void drain(RawIpSocket socket, AdvertSink sink) throws IOException {
    try {
      // One recvmmsg per burst of up to MAX_BATCH adverts; a short batch means the queue is empty.
      int reads = 0;
      while (reads < readsPerWakeup) {
        int asked = Math.min(socket.batchSlots(), readsPerWakeup - reads);
        int received = socket.receiveBatch(asked);
        for (int i = 0; i < received; i++) {
          receiveBuffer.clear();
          socket.batched(i, receiveBuffer, datagram);
          sink.received(datagram);
        }
        reads += received;
        if (received < asked) {
          return;
        }
      }
    } finally {
      countKernelDrops(socket);
    }
  }

  /** Adds what the kernel dropped from this socket's full queue since the last look. */
  private void countKernelDrops(RawIpSocket socket) {
    int i = sockets.indexOf(socket);
    long total = socket.receiveQueueDrops();
    if (i >= 0 && total != kernelDropsSeen[i]) {
      // A running 32-bit total: the difference modulo 2^32 is what was lost since.
      drops.add(
          AdvertDropReason.RECEIVE_QUEUE_OVERFLOW, (total - kernelDropsSeen[i]) & 0xFFFFFFFFL);
      kernelDropsSeen[i] = total;
    }
  }

  @Override
  public void close() {
    sockets.forEach(RawIpSocket::close);
    if (boundSender != null) {
      boundSender.close();
    }
    for (FixedSource fixed : bySource.values()) {
      if (fixed.socket != null) {
        fixed.socket.close();
      }
    }
  }
}
