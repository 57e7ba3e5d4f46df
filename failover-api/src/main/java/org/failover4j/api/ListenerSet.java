package org.failover4j.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one kind of event, called the way every failover4j source calls them: each
 * listener gets the events in order, one at a time, on its own executor (by default the library's
 * {@link #listenerThreads()}, never an event-loop thread); one that throws is logged and keeps
 * receiving events; one whose executor refuses work is removed. {@link #publish} never blocks on a
 * listener, so it is safe on the event loop, and {@link #awaitIdle} lets a closing source wait
 * until the final events were handled.
 *
 * @param <L> the listener type
 * @param <E> the event type
 */
public final class ListenerSet<L, E> {

  private static final Logger log = LoggerFactory.getLogger(ListenerSet.class);

  /** Daemon threads shared by every source: listeners never run on an event-loop thread. */
  private static final ExecutorService LISTENER_THREADS =
      Executors.newCachedThreadPool(
          new ThreadFactory() {
            private final AtomicInteger counter = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "failover4j-listener-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  /** Set while this thread runs a listener callback: waiting for listeners there would deadlock. */
  private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> false);

  private final String kind;
  private final BiConsumer<L, E> call;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final Object idle = new Object();

  /**
   * No listeners yet.
   *
   * @param kind how logs name the listeners, such as {@code role listener}
   * @param call how one listener is handed one event, such as {@code
   *     RoleChangeListener::roleChanged}
   */
  public ListenerSet(String kind, BiConsumer<L, E> call) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.call = Objects.requireNonNull(call, "call");
  }

  /** {@return the daemon threads listeners run on unless the caller gives an executor} */
  public static Executor listenerThreads() {
    return LISTENER_THREADS;
  }

  /**
   * Registers a listener called on {@code executor}.
   *
   * @param listener the listener
   * @param executor where to call it; {@code Runnable::run} calls it on the publishing thread
   */
  public void add(L listener, Executor executor) {
    add(listener, executor, null);
  }

  /**
   * Registers a listener and hands it {@code first} before any later event (a role source's current
   * role).
   *
   * @param listener the listener
   * @param executor where to call it
   * @param first the event it gets first, or null for none
   */
  public void add(L listener, Executor executor, E first) {
    Subscription s =
        new Subscription(
            Objects.requireNonNull(listener, "listener"),
            Objects.requireNonNull(executor, "executor"));
    subscriptions.add(s);
    if (first != null) {
      deliverOrDrop(s, first);
    }
  }

  /**
   * Unregisters a listener; events already handed to its executor may still arrive.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean remove(L listener) {
    return subscriptions.removeIf(s -> s.listener == listener);
  }

  /** {@return whether no listener is registered (so events need not even be built)} */
  public boolean isEmpty() {
    return subscriptions.isEmpty();
  }

  /**
   * Queues {@code event} for every listener.
   *
   * @param event the event
   */
  public void publish(E event) {
    for (Subscription s : subscriptions) {
      deliverOrDrop(s, event);
    }
  }

  /**
   * Waits until every listener has handled every event published so far, at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return true when all listeners are idle, false on timeout, or at once when called from inside
   *     a listener callback (which would otherwise wait for itself)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    if (IN_CALLBACK.get()) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (!allIdle()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        idle.wait(Math.max(1, remaining / 1_000_000), 0);
      }
      return true;
    }
  }

  private boolean allIdle() {
    for (Subscription s : subscriptions) {
      if (s.pending.get() != 0) {
        return false;
      }
    }
    return true;
  }

  private void deliverOrDrop(Subscription s, E event) {
    try {
      s.deliver(event);
    } catch (RuntimeException e) {
      subscriptions.remove(s);
      log.warn("{} {} removed: its executor refused {}", kind, s.listener, event, e);
    }
  }

  /** One listener with its executor; runs its events strictly one after another. */
  private final class Subscription {
    private final L listener;
    private final SerialExecutor serial;
    private final AtomicInteger pending = new AtomicInteger();

    Subscription(L listener, Executor executor) {
      this.listener = listener;
      this.serial = new SerialExecutor(executor);
    }

    void deliver(E event) {
      pending.incrementAndGet();
      try {
        serial.execute(() -> handle(event));
      } catch (RuntimeException e) {
        done();
        throw e;
      }
    }

    private void handle(E event) {
      boolean nested = IN_CALLBACK.get();
      IN_CALLBACK.set(true);
      try {
        call.accept(listener, event);
      } catch (RuntimeException e) {
        log.warn("{} {} failed on {}", kind, listener, event, e);
      } finally {
        IN_CALLBACK.set(nested);
        done();
      }
    }

    private void done() {
      if (pending.decrementAndGet() == 0) {
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }
  }
}
