package org.failover4j.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The timer heap behind every {@link EventLoop}: a binary min-heap ordered by deadline and then by
 * arming order, where each timer remembers its heap slot so that re-arming and cancelling are O(log
 * n) and allocate nothing. Not thread-safe: the owning loop's thread is the only user.
 */
public final class TimerQueue {

  private static final int NOT_QUEUED = -1;

  private final LongSupplier clock;
  private QueuedTimer[] heap = new QueuedTimer[64];
  private int size;
  private long armCounter;

  /**
   * Creates a queue whose relative deadlines are measured on {@code clock} (nanoseconds).
   *
   * @param clock the clock, in nanoseconds
   */
  public TimerQueue(LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@return a new idle timer that runs {@code action} when it fires}
   *
   * @param action what the timer runs
   */
  public Timer newTimer(Runnable action) {
    return new QueuedTimer(Objects.requireNonNull(action, "action"));
  }

  /** {@return the earliest deadline, or {@link Long#MAX_VALUE} when no timer is armed} */
  public long nextDeadline() {
    return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
  }

  /** {@return how many timers are armed} */
  public int size() {
    return size;
  }

  /**
   * Fires every timer whose deadline is at or before {@code now}, earliest first. A timer that an
   * action re-arms at or before {@code now} fires on the next call, so one call always ends.
   *
   * @param now the current time on the clock
   * @return how many timers fired
   */
  public int runExpired(long now) {
    int budget = size;
    int fired = 0;
    while (size > 0 && heap[0].deadline - now <= 0 && fired < budget) {
      QueuedTimer timer = heap[0];
      removeAt(0);
      fired++;
      timer.action.run();
    }
    return fired;
  }

  /** Disarms every timer. */
  public void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].index = NOT_QUEUED;
      heap[i] = null;
    }
    size = 0;
  }

  private void insert(QueuedTimer timer) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = timer;
    timer.index = size;
    size++;
    siftUp(timer.index);
  }

  private void removeAt(int index) {
    QueuedTimer removed = heap[index];
    removed.index = NOT_QUEUED;
    size--;
    if (index == size) {
      heap[size] = null;
      return;
    }
    QueuedTimer last = heap[size];
    heap[size] = null;
    heap[index] = last;
    last.index = index;
    siftDown(index);
    siftUp(last.index);
  }

  private void siftUp(int index) {
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      if (!before(heap[index], heap[parent])) {
        return;
      }
      swap(index, parent);
      index = parent;
    }
  }

  private void siftDown(int index) {
    while (true) {
      int left = 2 * index + 1;
      if (left >= size) {
        return;
      }
      int right = left + 1;
      int child = right < size && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], heap[index])) {
        return;
      }
      swap(index, child);
      index = child;
    }
  }

  private void swap(int a, int b) {
    QueuedTimer t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
    heap[a].index = a;
    heap[b].index = b;
  }

  private static boolean before(QueuedTimer a, QueuedTimer b) {
    long d = a.deadline - b.deadline;
    return d < 0 || (d == 0 && a.armOrder < b.armOrder);
  }

  private final class QueuedTimer implements Timer {
    private final Runnable action;
    private long deadline;
    private long armOrder;
    private int index = NOT_QUEUED;

    QueuedTimer(Runnable action) {
      this.action = action;
    }

    @Override
    public void scheduleAt(long deadlineNanos) {
      if (index != NOT_QUEUED) {
        removeAt(index);
      }
      deadline = deadlineNanos;
      armOrder = armCounter++;
      insert(this);
    }

    @Override
    public void scheduleAfter(long delayNanos) {
      scheduleAt(clock.getAsLong() + delayNanos);
    }

    @Override
    public void cancel() {
      if (index != NOT_QUEUED) {
        removeAt(index);
      }
    }

    @Override
    public boolean isScheduled() {
      return index != NOT_QUEUED;
    }

    @Override
    public long deadlineNanos() {
      return deadline;
    }
  }
}
