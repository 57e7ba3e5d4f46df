package org.failover4j.api;

import java.io.IOException;
import java.time.Duration;

/**
 * The shape every part of failover4j that runs shares: a VRRP router, a CARP host, an IPVS sync
 * channel, an SA state sync. Learn one and you know the others.
 *
 * <pre>{@code
 * Source source = Source.builder()...build();    // InvalidConfigurationException names the field
 * source.start();                                 // sockets and threads open here, not before
 * source.addListener(...);                        // role or table listeners, on listener threads
 * source.statistics();                            // one record: counters and drops by reason
 * source.close();                                 // waits, bounded, for listeners' final events
 * }</pre>
 *
 * <ul>
 *   <li>A builder checks everything it can and throws {@link InvalidConfigurationException} naming
 *       the field; building opens no socket and starts no thread.
 *   <li>{@link #start()} opens what the source needs; it runs once ({@link State}).
 *   <li>Listeners run in order, never concurrently, on the library's listener threads (see {@link
 *       ListenerSet#listenerThreads()}) or on an executor the caller gives, and can be removed.
 *   <li>{@link #statistics()} returns one immutable record per source whose counters follow one
 *       naming scheme (what, then what happened to it: {@code messagesSent}, {@code
 *       advertsReceived}, {@code sendFailures}) and whose drops are counted per reason.
 *   <li>{@link #close(Duration)} stops the work, releases sockets and threads, and waits at most
 *       the given time for listeners to handle the final events. It may be called in any state,
 *       more than once, and from any thread; after it every method that would do work throws {@link
 *       SourceClosedException}.
 * </ul>
 */
public interface RoleSource extends AutoCloseable {

  /** Where a source is in its life. */
  enum State {
    /** Built, not started. */
    NEW,
    /** Started: it takes part in the election, or syncs. */
    STARTED,
    /** {@link #start()} failed; close it and build a new one. */
    FAILED,
    /** Closed. */
    CLOSED
  }

  /**
   * Opens the sockets and starts the work, once.
   *
   * @throws IOException when a socket or interface cannot be opened; the source is then {@link
   *     State#FAILED} and keeps nothing open
   * @throws IllegalStateException when it was started before, or failed to start
   * @throws SourceClosedException when it is closed
   */
  void start() throws IOException;

  /** {@return where the source is in its life} */
  State state();

  /** {@return a snapshot of the source's counters, drops by reason included} */
  SourceStatistics statistics();

  /**
   * Stops, releases sockets and threads, and waits at most {@code listenerTimeout} for listeners to
   * handle the final events (a listener still busy then is logged and left to finish alone).
   *
   * @param listenerTimeout how long to wait for listeners at most
   */
  void close(Duration listenerTimeout);

  /** As {@link #close(Duration)} with the timeout the builder set (5 s unless set). */
  @Override
  void close();
}
