package org.failover4j.api;

import java.util.concurrent.atomic.AtomicReference;
import org.failover4j.api.RoleSource.State;

/**
 * The life of a {@link RoleSource}, kept the same way by every source: the {@link State}, the
 * exceptions a wrong call gets, and the race between a start and a close.
 *
 * <p>Thread-safe. A start that began before a close cannot bring the source back: {@link
 * #markStarted()} refuses once {@link #close()} ran.
 */
public final class SourceLifecycle {

  private final String source;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile Throwable failure;

  /**
   * A new source.
   *
   * @param source how messages name it, such as {@code the router}
   */
  public SourceLifecycle(String source) {
    this.source = source;
  }

  /** {@return where the source is} */
  public State state() {
    return state.get();
  }

  /** {@return whether {@link #close()} ran} */
  public boolean isClosed() {
    return state.get() == State.CLOSED;
  }

  /**
   * Throws unless the source is {@link State#NEW}: what {@link RoleSource#start()} checks first.
   *
   * @throws IllegalStateException when started or failed before
   * @throws SourceClosedException when closed
   */
  public void requireNew() {
    switch (state.get()) {
      case NEW -> {
        // go on
      }
      case STARTED -> throw new IllegalStateException(source + " is already started");
      case FAILED ->
          throw new IllegalStateException(
              source + " failed to start (" + failure + "); close it and build a new one", failure);
      case CLOSED -> throw closed();
    }
  }

  /**
   * Throws when the source is closed: what every method that does work checks.
   *
   * @throws SourceClosedException when closed
   */
  public void requireNotClosed() {
    if (isClosed()) {
      throw closed();
    }
  }

  /**
   * Records a successful start.
   *
   * @throws SourceClosedException when a close came first: the caller releases what it opened
   */
  public void markStarted() {
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      requireNotClosed();
      requireNew();
    }
  }

  /**
   * Records a failed start, unless a close came first.
   *
   * @param cause why it failed
   */
  public void markFailed(Throwable cause) {
    failure = cause;
    state.compareAndSet(State.NEW, State.FAILED);
  }

  /**
   * Marks the source closed.
   *
   * @return true the first time, so that only one caller does the closing
   */
  public boolean close() {
    return state.getAndSet(State.CLOSED) != State.CLOSED;
  }

  /** {@return the exception a closed source throws} */
  public SourceClosedException closed() {
    return SourceClosedException.of(source);
  }
}
