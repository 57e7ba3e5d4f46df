package org.failover4j.ipvs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.failover4j.api.EventLoop;
import org.failover4j.api.ListenerSet;
import org.failover4j.api.Timer;

/**
 * A backup's replica of the master's connections, kept the way the kernel's {@code
 * ip_vs_proc_conn()} keeps its own table.
 *
 * <ul>
 *   <li>Entries are found as the kernel finds them (see {@code ConnectionKey}): connections and
 *       templates apart, templates with persistence data by the engine's data.
 *   <li>A new entry gets the entry's backup flags ({@link SyncEntry#backupFlags()}), its firewall
 *       mark, real server and, for templates only, persistence data. A v0 one-packet connection is
 *       not kept: the kernel expires it at once.
 *   <li>An existing entry takes only the {@code INACTIVE} and sequence flag bits ({@link
 *       ConnectionFlags#BACKUP_UPDATE_MASK}) and its state, timeout and sequence data.
 *   <li>A connection that the master now sends to another real server (port or address) is expired
 *       and created again, unless the message marks it inactive: then the message is about the old
 *       one and is ignored.
 *   <li>The timeout is the entry's, or when 0 the protocol's default for the state; templates and
 *       protocols without a table get three minutes. Every update restarts it; an entry that runs
 *       out expires.
 * </ul>
 *
 * <p>Confined to its event loop's thread, which also fires the expiry timers. Updating an existing
 * entry allocates nothing while no listener is registered; events are built only for listeners.
 */
public final class ConnectionTable {

  /** What {@link #apply} did with an entry. */
  public enum Outcome {
    /** A new entry. */
    ADDED,
    /** An existing entry was refreshed. */
    UPDATED,
    /** The old entry to another real server was expired and a new one added. */
    REPLACED,
    /** An inactive entry about a connection already replaced: ignored, as the kernel does. */
    IGNORED,
    /** A v0 one-packet connection: the kernel expires it at once, so it is not kept. */
    NOT_KEPT
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final EventLoop loop;
  private final Map<ConnectionKey, Slot> slots = new HashMap<>();
  private final ConnectionKey probe = ConnectionKey.probe();
  private final ListenerSet<ConnectionListener, ConnectionEvent> listeners;

  /**
   * An empty table whose entries expire on {@code loop}'s clock.
   *
   * @param loop the event loop whose clock expires entries
   */
  public ConnectionTable(EventLoop loop) {
    this(loop, newListeners());
  }

  /** A table whose listeners were registered before it existed (by its channel). */
  ConnectionTable(EventLoop loop, ListenerSet<ConnectionListener, ConnectionEvent> listeners) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.listeners = listeners;
  }

  /** {@return an empty set of connection listeners} */
  static ListenerSet<ConnectionListener, ConnectionEvent> newListeners() {
    return new ListenerSet<>("connection listener", ConnectionListener::connectionChanged);
  }

  /**
   * Applies one received entry.
   *
   * @param entry a decoded entry
   * @return what the entry did to the table
   * @throws IllegalArgumentException for an entry the kernel skips ({@link SyncEntry#skipReason()}
   *     is set): callers count and drop those
   */
  public Outcome apply(SyncEntry entry) {
    if (entry.skipReason() != null) {
      throw new IllegalArgumentException("entry is skipped: " + entry.skipReason());
    }
    int flags = entry.backupFlags();
    boolean template = (flags & ConnectionFlags.TEMPLATE) != 0;
    Slot slot = slots.get(probe.set(entry, template));
    boolean replaced = false;
    if (slot != null && !template && !slot.sameDestination(entry)) {
      if ((flags & ConnectionFlags.INACTIVE) != 0) {
        return Outcome.IGNORED;
      }
      expire(slot);
      slot = null;
      replaced = true;
    }
    boolean added = slot == null;
    if (added) {
      if ((flags & ConnectionFlags.ONE_PACKET) != 0) {
        return Outcome.NOT_KEPT;
      }
      slot = new Slot(probe.copy(), entry, flags, template);
      slots.put(slot.key, slot);
    } else {
      slot.flags =
          (flags & ConnectionFlags.BACKUP_UPDATE_MASK)
              | (slot.flags & ~ConnectionFlags.BACKUP_UPDATE_MASK);
    }
    if (entry.hasSequence()) {
      slot.sequences(entry);
    }
    slot.state = entry.state();
    long timeout = entry.timeoutSeconds();
    if (timeout == 0) {
      timeout = IpvsProtocol.defaultTimeoutSeconds(slot.protocol, template, slot.state);
    }
    slot.timeoutSeconds = timeout;
    slot.timer.scheduleAt(loop.nanoTime() + timeout * NANOS_PER_SECOND);
    if (!listeners.isEmpty()) {
      SyncConnection now = slot.toConnection();
      publish(
          added
              ? new ConnectionEvent.Added(now, loop.now())
              : new ConnectionEvent.Updated(now, loop.now()));
    }
    return replaced ? Outcome.REPLACED : added ? Outcome.ADDED : Outcome.UPDATED;
  }

  /** {@return the number of entries} */
  public int size() {
    return slots.size();
  }

  /** {@return every entry, in no particular order} */
  public List<SyncConnection> snapshot() {
    List<SyncConnection> all = new ArrayList<>(slots.size());
    for (Slot slot : slots.values()) {
      all.add(slot.toConnection());
    }
    return all;
  }

  /**
   * {@return the entry a sync of {@code connection} would update, found as the kernel would, or
   * null}
   *
   * @param connection the connection to look up
   */
  public SyncConnection find(SyncConnection connection) {
    Slot slot = slots.get(probe.set(connection));
    return slot == null ? null : slot.toConnection();
  }

  /**
   * When the entry matching {@code connection} expires on the loop's clock, or -1.
   *
   * @param connection the connection to look up
   * @return the expiry on the loop's clock, or -1 when there is no such entry
   */
  public long expiryNanos(SyncConnection connection) {
    Slot slot = slots.get(probe.set(connection));
    return slot == null ? -1 : slot.timer.deadlineNanos();
  }

  /** Removes every entry without events and disarms their timers. */
  public void clear() {
    for (Slot slot : slots.values()) {
      slot.timer.cancel();
    }
    slots.clear();
  }

  /**
   * Registers a listener called on {@code executor}, one event at a time; pass {@code
   * Runnable::run} to be called on the loop thread (then it must not block).
   *
   * @param listener the listener
   * @param executor where to call it; {@code Runnable::run} calls it on the loop
   */
  public void addListener(ConnectionListener listener, Executor executor) {
    listeners.add(listener, executor);
  }

  /**
   * Unregisters a listener; events already handed to its executor may still arrive.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean removeListener(ConnectionListener listener) {
    return listeners.remove(listener);
  }

  private void expire(Slot slot) {
    slot.timer.cancel();
    slot.run();
  }

  private void publish(ConnectionEvent event) {
    listeners.publish(event);
  }

  /** One entry: the kernel's {@code struct ip_vs_conn} fields that sync carries. */
  private final class Slot implements Runnable {
    final ConnectionKey key;
    final boolean ipv6;
    final int protocol;
    final int clientPort;
    final int virtualPort;
    final int destinationPort;
    final long clientHigh;
    final long clientLow;
    final long virtualHigh;
    final long virtualLow;
    final long destinationHigh;
    final long destinationLow;
    final int firewallMark;
    final PersistenceData persistence;
    final Timer timer;
    int flags;
    int state;
    long timeoutSeconds;
    int inInit;
    int inDelta;
    int inPrevious;
    int outInit;
    int outDelta;
    int outPrevious;

    Slot(ConnectionKey key, SyncEntry e, int flags, boolean template) {
      this.key = key;
      this.ipv6 = e.ipv6();
      this.protocol = e.protocol();
      this.clientPort = e.clientPort();
      this.virtualPort = e.virtualPort();
      this.destinationPort = e.destinationPort();
      this.clientHigh = e.addressHigh(SyncEntry.CLIENT);
      this.clientLow = e.addressLow(SyncEntry.CLIENT);
      this.virtualHigh = e.addressHigh(SyncEntry.VIRTUAL);
      this.virtualLow = e.addressLow(SyncEntry.VIRTUAL);
      this.destinationHigh = e.addressHigh(SyncEntry.DESTINATION);
      this.destinationLow = e.addressLow(SyncEntry.DESTINATION);
      this.firewallMark = e.firewallMark();
      // Only templates keep the engine's data (ip_vs_conn_new); connections drop it.
      this.persistence = template ? e.persistence() : null;
      this.flags = flags;
      this.timer = loop.newTimer(this);
    }

    boolean sameDestination(SyncEntry e) {
      return destinationPort == e.destinationPort()
          && destinationHigh == e.addressHigh(SyncEntry.DESTINATION)
          && destinationLow == e.addressLow(SyncEntry.DESTINATION);
    }

    void sequences(SyncEntry e) {
      inInit = e.inInitSeq();
      inDelta = e.inDelta();
      inPrevious = e.inPreviousDelta();
      outInit = e.outInitSeq();
      outDelta = e.outDelta();
      outPrevious = e.outPreviousDelta();
    }

    /** The timer fired: the entry's timeout ran out. */
    @Override
    public void run() {
      slots.remove(key);
      if (!listeners.isEmpty()) {
        publish(new ConnectionEvent.Expired(toConnection(), loop.now()));
      }
    }

    SyncConnection toConnection() {
      return new SyncConnection(
          protocol,
          Addresses.of(ipv6, clientHigh, clientLow),
          clientPort,
          Addresses.of(ipv6, virtualHigh, virtualLow),
          virtualPort,
          Addresses.of(ipv6, destinationHigh, destinationLow),
          destinationPort,
          ConnectionFlags.of(flags),
          state,
          firewallMark,
          Duration.ofSeconds(timeoutSeconds),
          new SequenceAdjustment(inInit, inDelta, inPrevious),
          new SequenceAdjustment(outInit, outDelta, outPrevious),
          persistence);
    }
  }
}
