package org.failover4j.netlink.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.failover4j.api.AddressText;
import org.failover4j.api.RateLimitedLog;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.netlink.rtnl.AddressSpec;
import org.failover4j.netlink.rtnl.RtNetlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the timers of one loop turn ask of the kernel, sent together once they are done: first every
 * queued advert ({@code sendmmsg} per socket), then the work that waited for them (the rest of each
 * takeover, through {@code DeferredTakeover}), then every address in netlink batches (many {@code
 * RTM_NEWADDR} per datagram), then the announcements. A thousand instances whose Master_Down timers
 * fall due together thus send every advert before the first address moves, instead of one
 * instance's advert, address and announcements after another's. Outside the timers (packet
 * handlers, tasks) nothing waits: the platform does each thing at once, as before. Used on the
 * event loop only.
 */
final class TurnBatch {

  /** A refused deferred announcement is logged at most this often. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(TurnBatch.class);

  /**
   * How long addresses and announcements may wait while more timers fall due (a mass takeover whose
   * timers the loop runs turn after turn): their adverts go first, then every address.
   */
  private static final long MAX_DEFER_NANOS = 20_000_000L;

  /** Sends what an advert socket queued. */
  interface Flushable {
    /** Sends every advert queued since the last call. */
    void flushQueued();
  }

  /** Sends one announcement. */
  interface AnnouncementSender {
    /**
     * Announces {@code address} at {@code mac} on {@code iface}.
     *
     * @throws IOException when the kernel refuses
     */
    void announce(String iface, InetAddress address, byte[] mac) throws IOException;
  }

  private record PendingAdd(AddressSpec spec, Consumer<IOException> refused) {}

  private record PendingAnnouncement(String iface, InetAddress address, byte[] mac) {}

  private final PollEventLoop loop;
  private final RtNetlink rtnl;
  private final AnnouncementSender announcer;
  private final List<Flushable> sockets = new ArrayList<>();
  private final List<PendingAdd> adds = new ArrayList<>();
  private final List<PendingAnnouncement> announcements = new ArrayList<>();
  private final List<Runnable> afterAdverts = new ArrayList<>();
  private long firstQueuedAt;
  private boolean advertSentThisTurn;
  private boolean advertDeferredThisTurn;
  private boolean flushing;
  private boolean runningAfterAdverts;
  private final RateLimitedLog refusals = new RateLimitedLog(REFUSAL_LOG_INTERVAL_NANOS);

  TurnBatch(PollEventLoop loop, RtNetlink rtnl, AnnouncementSender announcer) {
    this.loop = loop;
    this.rtnl = rtnl;
    this.announcer = announcer;
    loop.afterTimers(this::afterTimers);
  }

  /**
   * {@return true while the loop runs its timers, or the work that waited for their adverts: what
   * they ask for may wait for the flush}
   */
  boolean collecting() {
    return loop.runningTimers() || runningAfterAdverts;
  }

  /**
   * {@return true when an advert sent now should be queued for the flush: while the timers run,
   * every advert but the turn's first} The first leaves at once, so that a single takeover's advert
   * does not wait for its own transition's work (listeners, log line, address hold: several
   * milliseconds in a fresh process); the ones after it are the batch.
   */
  boolean deferAdvert() {
    if (!collecting()) {
      return false;
    }
    if (!advertSentThisTurn) {
      advertSentThisTurn = true;
      return false;
    }
    advertDeferredThisTurn = true;
    return true;
  }

  /**
   * {@return true when an address add or announcement asked for now should wait for the flush: once
   * this turn has queued an advert (several takeovers fell due together), so their adverts go
   * first} A single takeover adds its address and announces at once, as outside the timers.
   */
  boolean deferAddressWork() {
    return runningAfterAdverts || (collecting() && advertDeferredThisTurn);
  }

  /** {@code socket} queued an advert: flush it with the others. Call once until it is flushed. */
  void queuedAdverts(Flushable socket) {
    sockets.add(socket);
  }

  /**
   * Adds the address after this turn's adverts, in a netlink batch; a refusal reaches {@code
   * refused} then, on the loop.
   */
  void addAddress(AddressSpec spec, Consumer<IOException> refused) {
    noteFirst();
    adds.add(new PendingAdd(spec, refused));
  }

  /**
   * Runs {@code work} once this turn's queued adverts have left (or, when more timers are due
   * already, theirs too), before the addresses move; what it asks for joins the batch.
   */
  void afterAdverts(Runnable work) {
    noteFirst();
    afterAdverts.add(work);
  }

  /** Announces after this turn's addresses are in place. */
  void announce(String iface, InetAddress address, byte[] mac) {
    noteFirst();
    announcements.add(new PendingAnnouncement(iface, address, mac.clone()));
  }

  private void noteFirst() {
    if (adds.isEmpty() && announcements.isEmpty() && afterAdverts.isEmpty()) {
      firstQueuedAt = System.nanoTime();
    }
  }

  /**
   * After the timers: sends the queued adverts, then the work that waited for them, the addresses
   * and announcements, unless more timers are due already (their adverts go first, for up to {@link
   * #MAX_DEFER_NANOS}).
   */
  private void afterTimers() {
    advertSentThisTurn = false;
    advertDeferredThisTurn = false;
    flushAdverts();
    if (adds.isEmpty() && announcements.isEmpty() && afterAdverts.isEmpty()) {
      return;
    }
    if (loop.timersDue() && System.nanoTime() - firstQueuedAt < MAX_DEFER_NANOS) {
      return; // the adverts of the takeovers due next must not wait for these addresses
    }
    flush();
  }

  /**
   * Runs, in order, what waited for the adverts; the addresses and announcements it asks for, and
   * work it hands over, join the batch.
   */
  private void runAfterAdverts() {
    runningAfterAdverts = true;
    try {
      for (int i = 0; i < afterAdverts.size(); i++) {
        // One that fails (an Error included) must not cost the others their takeovers.
        loop.runSafely(afterAdverts.get(i), "work after the adverts");
      }
    } finally {
      runningAfterAdverts = false;
      afterAdverts.clear();
    }
  }

  private void flushAdverts() {
    for (int i = 0; i < sockets.size(); i++) {
      sockets.get(i).flushQueued();
    }
    sockets.clear();
  }

  /**
   * Sends everything queued, in order: adverts, the work that waited for them (and the adverts it
   * queued), addresses, announcements. Also called before an operation that must follow what was
   * queued (removing an address that may still be queued, from a timer or a packet handler alike);
   * does nothing when called inside a flush.
   */
  void flush() {
    if (flushing) {
      return; // a refusal's owner releasing its addresses, inside this flush
    }
    flushAdverts();
    if (!runningAfterAdverts) {
      // Not yet flushing: an owner that releases its addresses in this work sends what was queued
      // before its removal.
      runAfterAdverts();
    }
    flushing = true;
    try {
      flushAll();
    } finally {
      flushing = false;
    }
  }

  private void flushAll() {
    flushAdverts();
    if (adds.isEmpty() && announcements.isEmpty()) {
      return;
    }
    Set<InetAddress> refusedAddresses = addAddresses();
    List<PendingAnnouncement> due = new ArrayList<>(announcements);
    announcements.clear();
    for (PendingAnnouncement a : due) {
      if (refusedAddresses.contains(a.address())) {
        continue; // never announce what this host does not hold
      }
      try {
        announcer.announce(a.iface(), a.address(), a.mac());
      } catch (IOException | RuntimeException e) {
        if (refusals.permit(System.nanoTime())) {
          log.warn(
              "announcing {} on {} failed: {} ({} more held back)",
              AddressText.of(a.address()),
              a.iface(),
              e.getMessage(),
              refusals.suppressedAndReset());
        }
      }
    }
  }

  /** Adds every queued address; returns the ones refused, after telling their owners. */
  private Set<InetAddress> addAddresses() {
    if (adds.isEmpty()) {
      return Set.of();
    }
    List<PendingAdd> due = new ArrayList<>(adds);
    adds.clear();
    List<AddressSpec> specs = new ArrayList<>(due.size());
    for (PendingAdd add : due) {
      specs.add(add.spec());
    }
    IOException[] outcome = rtnl.addAddresses(specs);
    Set<InetAddress> refused = new HashSet<>();
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] != null) {
        refused.add(specs.get(i).address());
        due.get(i).refused().accept(outcome[i]);
      }
    }
    return refused;
  }
}
