package org.failover4j.netlink;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.EventLoop;
import org.failover4j.api.TaskQueue;
import org.failover4j.api.Timer;
import org.failover4j.api.TimerQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link EventLoop}: one thread that waits in {@code ppoll(2)} on two descriptors, an
 * {@code eventfd} for wake-ups and an {@code epoll(7)} set holding every registered descriptor,
 * with a nanosecond timeout taken from the {@link TimerQueue}, so timers fire within microseconds
 * (the thread runs without timer slack, see {@link #SPLIT_ABOVE_NANOS}). When the set is readable,
 * one {@code epoll_wait} with a zero timeout names the ready descriptors, so a wake-up costs the
 * same with three descriptors as with three thousand (a socket per virtual-MAC instance); {@code
 * epoll_wait}'s own timeout counts in milliseconds, which is why the wait itself stays in ppoll.
 * One loop serves thousands of timers and thousands of sockets.
 *
 * <p>Each turn runs the tasks posted with {@link #execute} (from any thread), then the timers that
 * are due, then waits, then calls the {@link ReadHandler} of every readable descriptor. When timers
 * are due, the descriptors that are readable already are read first: a loop that was busy (or not
 * scheduled) past a deadline reads what arrived meanwhile before a timer judges its absence.
 * Polling is level-triggered. Anything a task, timer or handler throws is logged and the loop
 * carries on.
 *
 * <p>{@link #close()} stops accepting tasks, runs the ones already posted, disarms the timers,
 * closes every registered descriptor and the wake-up descriptor, and waits for the thread to end
 * (unless called on the loop thread itself, which then stops after the current turn). The thread is
 * a daemon: close the loop to release its descriptors.
 */
public final class PollEventLoop implements EventLoop, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PollEventLoop.class);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * The kernel lets ppoll (like select and epoll_wait) wake up late by the larger of the thread's
   * timer slack and 0.1 % of its timeout (0.5 % when niced). The loop thread sets its slack to
   * {@link #TIMER_SLACK_NANOS} (the default, 50 µs, showed as takeover time, and keepalived's
   * timerfd has none), which leaves the 0.1 %: 360 µs on a 360 ms Master_Down_Interval. A wait
   * longer than {@link #SPLIT_ABOVE_NANOS} therefore stops {@link #FINAL_WAIT_NANOS} short and
   * waits the rest separately, late by 5 µs at most: one extra wake-up per long wait, none for the
   * short waits of a busy loop.
   */
  static final long SPLIT_ABOVE_NANOS = 10_000_000L;

  static final long FINAL_WAIT_NANOS = 5_000_000L;

  /** The loop thread's timer slack: 1 ns, the least {@code PR_SET_TIMERSLACK} takes (0 resets). */
  static final long TIMER_SLACK_NANOS = 1;

  private static final int WAKE_INDEX = 0;
  private static final int EPOLL_INDEX = 1;

  private static final ByteBuffer ONE = LibC.allocate(8);

  static {
    ByteAccess.putHost64(ONE, 0, 1L); // eventfd counters are host-order u64
  }

  private static final long ONE_ADDRESS = LibC.address(ONE);

  private final String name;
  private final Thread thread;
  private final TimerQueue timers = new TimerQueue(this::nanoTime);
  private final TaskQueue tasks;
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final Object wakeLock = new Object();
  private final long startNanos = System.nanoTime();
  private final Instant startInstant = Instant.now();
  private int wakeFd;
  private final int epollFd;

  // Loop-thread state.
  private final ByteBuffer drained = LibC.allocate(8);
  private final long drainedAddress = LibC.address(drained);
  private final ByteBuffer timespec = LibC.allocate(LibC.TIMESPEC_SIZE);
  private final long timespecAddress = LibC.address(timespec);
  private final ByteBuffer pollfds = LibC.allocate(2 * LibC.POLLFD_SIZE);
  private final long pollfdsAddress = LibC.address(pollfds);

  /**
   * Room for an event per watched descriptor, so that one turn reads every descriptor that is
   * ready, as ppoll did, before the timers run again: a Master_Down timer must not fire while its
   * advert waits unread in a socket the turn did not reach.
   */
  private ByteBuffer events = LibC.allocate(16 * LibC.EPOLL_EVENT_SIZE);

  private long eventsAddress = LibC.address(events);
  private int eventCapacity = 16;
  private final ByteBuffer control = LibC.allocate(LibC.EPOLL_EVENT_SIZE);
  private final long controlAddress = LibC.address(control);

  /** The entry behind each epoll data value; a slot is reused only after a purge. */
  private Entry[] slots = new Entry[16];

  private int[] freeSlots = new int[16];
  private int freeCount;
  private int slotsUsed;

  /** Entries in {@link #slots}: the events one turn may need room for. */
  private int watched;

  /** Some entries were cancelled: take them out of the set before the next wait. */
  private boolean dirty;

  private boolean runningTimers;
  private volatile Runnable[] afterTimers = new Runnable[0];

  private PollEventLoop(String name, int wakeFd, int epollFd) {
    this.name = name;
    this.tasks = new TaskQueue(name);
    this.wakeFd = wakeFd;
    this.epollFd = epollFd;
    setPollfd(WAKE_INDEX, wakeFd);
    setPollfd(EPOLL_INDEX, epollFd);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /** Creates a loop and starts its thread, named {@code name}. */
  public static PollEventLoop start(String name) throws IOException {
    Objects.requireNonNull(name, "name");
    int wakeFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
    if (wakeFd < 0) {
      throw ErrnoException.of("eventfd(" + name + ")", Native.getLastError());
    }
    int epollFd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
    if (epollFd < 0) {
      int errno = Native.getLastError();
      LibC.close(wakeFd);
      throw ErrnoException.of("epoll_create1(" + name + ")", errno);
    }
    PollEventLoop loop = new PollEventLoop(name, wakeFd, epollFd);
    loop.thread.start();
    return loop;
  }

  /** The loop's name, which is also its thread's. */
  public String name() {
    return name;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return startInstant.plusNanos(nanoTime() - startNanos);
  }

  /**
   * A reusable timer on this loop's {@link TimerQueue}; arm it on the loop thread. What its action
   * throws is logged.
   */
  @Override
  public Timer newTimer(Runnable action) {
    Objects.requireNonNull(action, "action");
    return timers.newTimer(() -> tasks.runSafely(action, "timer"));
  }

  /**
   * Runs {@code task} on the loop thread, after the tasks posted before it (from the same thread).
   *
   * @throws RejectedExecutionException once the loop is closing
   */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (!inEventLoop()) {
      wake();
    }
  }

  @Override
  public boolean inEventLoop() {
    return Thread.currentThread() == thread;
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return !tasks.isRunning();
  }

  /**
   * Watches {@code pollable}: {@code handler} runs on the loop thread whenever it is readable or
   * has an error pending. Callable from any thread (from another, watching starts on the loop's
   * next turn). Closing the pollable, or the loop, ends the registration. A pollable has one
   * registration at a time: a second one while the first is active is refused with a warning and
   * never becomes active (epoll watches a descriptor once).
   *
   * @throws RejectedExecutionException once the loop is closing
   */
  public Registration register(Pollable pollable, ReadHandler handler) {
    Entry entry =
        new Entry(Objects.requireNonNull(pollable, "pollable"), Objects.requireNonNull(handler));
    if (pollable instanceof NativeSocket socket) {
      socket.registeredWith(this);
    }
    if (inEventLoop()) {
      add(entry);
    } else {
      execute(() -> add(entry));
    }
    return entry;
  }

  /**
   * Stops the loop: see the class description. Idempotent; waits for the thread unless called on
   * it.
   */
  @Override
  public void close() {
    if (tasks.beginClose()) {
      wakeupPending.set(false);
      wake();
    }
    TaskQueue.join(thread);
  }

  /**
   * A registered socket was closed off the loop thread: stop polling it, then release its
   * descriptor, on the loop. False when the loop no longer takes tasks (the caller releases it).
   */
  boolean releaseLater(NativeSocket socket) {
    if (inEventLoop()) {
      forget(socket);
      socket.releaseDescriptor();
      return true;
    }
    try {
      execute(
          () -> {
            forget(socket);
            socket.releaseDescriptor();
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void run() {
    if (LibC.prctl(LibC.PR_SET_TIMERSLACK, TIMER_SLACK_NANOS, 0, 0, 0) < 0) {
      log.debug("{}: timer slack unchanged: {}", name, LibC.strerror(Native.getLastError()));
    }
    try {
      while (tasks.isRunning()) {
        tasks.runTurn();
        if (timersDue()) {
          // What arrived while the loop was busy is read before the timers judge its absence: a
          // Master_Down timer must not fire over an advert that waits in its socket.
          dispatchReady();
        }
        runTimers();
        if (!tasks.isRunning()) {
          break;
        }
        waitAndDispatch();
      }
    } catch (Throwable t) {
      log.error("event loop {} stopped by an unexpected error", name, t);
      throw t;
    } finally {
      shutDown();
    }
  }

  /**
   * Runs the due timers, then the {@link #afterTimers} hooks: what the timers queued (the adverts
   * of instances whose timers fell due together, their address moves) leaves in a batch.
   */
  private void runTimers() {
    runningTimers = true;
    try {
      timers.runExpired(nanoTime());
    } finally {
      runningTimers = false;
    }
    for (Runnable hook : afterTimers) {
      tasks.runSafely(hook, "after-timers hook");
    }
  }

  /**
   * Runs {@code action} now, as the loop runs its own tasks, timers and hooks: what it throws is
   * logged as the failure of a {@code what} and the caller goes on; only a {@link
   * VirtualMachineError} propagates. For work a hook runs on behalf of others.
   *
   * @param action what to run
   * @param what what the action is, for the log
   */
  public void runSafely(Runnable action, String what) {
    tasks.runSafely(action, what);
  }

  /**
   * Runs {@code hook} on the loop thread after the due timers of every turn, whether any ran or
   * not: a platform sends there what its timers queued ({@link #runningTimers()}).
   *
   * @param hook cheap when there is nothing to do; what it throws is logged
   */
  public void afterTimers(Runnable hook) {
    Objects.requireNonNull(hook, "hook");
    synchronized (wakeLock) {
      Runnable[] more = Arrays.copyOf(afterTimers, afterTimers.length + 1);
      more[afterTimers.length] = hook;
      afterTimers = more;
    }
  }

  /** {@return true when a timer is due already: the next turn runs it without waiting} */
  public boolean timersDue() {
    return timers.size() > 0 && timers.nextDeadline() - nanoTime() <= 0;
  }

  /** {@return true on the loop thread while timers run: what they send may wait for the hooks} */
  public boolean runningTimers() {
    return runningTimers && inEventLoop();
  }

  private void waitAndDispatch() {
    if (dirty) {
      purge();
    }
    long timeoutAddress;
    if (tasks.hasTasks()) {
      ByteAccess.putHost64(timespec, 0, 0);
      ByteAccess.putHost64(timespec, 8, 0);
      timeoutAddress = timespecAddress;
    } else if (timers.size() == 0) {
      timeoutAddress = 0; // no timer: sleep until a descriptor or a wake-up
    } else {
      long wait = waitNanos(timers.nextDeadline() - nanoTime());
      ByteAccess.putHost64(timespec, 0, wait / NANOS_PER_SECOND);
      ByteAccess.putHost64(timespec, 8, wait % NANOS_PER_SECOND);
      timeoutAddress = timespecAddress;
    }
    int ready = LibC.ppoll(pollfdsAddress, 2, timeoutAddress, 0);
    if (ready < 0) {
      logUnlessInterrupted("ppoll");
      return;
    }
    if (ready == 0) {
      return;
    }
    if (revents(WAKE_INDEX) != 0) {
      drainWakeups();
    }
    if (revents(EPOLL_INDEX) != 0) {
      dispatchReady();
    }
  }

  /** Calls the handler of every descriptor the epoll set reports ready, each once. */
  private void dispatchReady() {
    int ready = LibC.epoll_wait(epollFd, eventsAddress, eventCapacity, 0);
    if (ready < 0) {
      logUnlessInterrupted("epoll_wait");
      return;
    }
    for (int i = 0; i < ready; i++) {
      int slot =
          (int) ByteAccess.getHostLong(events, i * LibC.EPOLL_EVENT_SIZE + LibC.EPOLL_EVENT_DATA);
      Entry entry = slots[slot];
      if (entry == null || !entry.active) {
        continue; // cancelled by a handler earlier in this turn
      }
      try {
        entry.handler.onReadable();
      } catch (Throwable t) {
        rethrowFatal(t);
        log.warn("{}: read handler of {} failed", name, entry.pollable, t);
      }
    }
  }

  private int revents(int index) {
    return ByteAccess.getHostU16(pollfds, index * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS);
  }

  private void logUnlessInterrupted(String call) {
    int errno = Native.getLastError();
    if (errno != Errno.EINTR.number()) {
      log.error("{}: {}", name, ErrnoException.of(call, errno).getMessage());
    }
  }

  /** How long to wait in ppoll for a timer due in {@code untilDeadline} nanoseconds. */
  static long waitNanos(long untilDeadline) {
    if (untilDeadline <= 0) {
      return 0;
    }
    return untilDeadline > SPLIT_ABOVE_NANOS ? untilDeadline - FINAL_WAIT_NANOS : untilDeadline;
  }

  private void drainWakeups() {
    LibC.read(wakeFd, drainedAddress, 8);
    wakeupPending.set(false);
  }

  private void setPollfd(int index, int fd) {
    int at = index * LibC.POLLFD_SIZE;
    ByteAccess.putHost32(pollfds, at, fd);
    ByteAccess.putHost16(pollfds, at + LibC.POLLFD_EVENTS, LibC.POLLIN);
    ByteAccess.putHost16(pollfds, at + LibC.POLLFD_REVENTS, 0);
  }

  /** Adds the entry's descriptor to the epoll set, under a slot that names the entry. */
  private void add(Entry entry) {
    if (!entry.active) {
      return;
    }
    int fd = entry.pollable.fd();
    if (!entry.pollable.isOpen() || fd < 0) {
      entry.active = false;
      return;
    }
    int slot = takeSlot();
    ByteAccess.putHost32(control, 0, LibC.EPOLLIN);
    ByteAccess.putHost64(control, LibC.EPOLL_EVENT_DATA, slot);
    if (LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, controlAddress) < 0) {
      int errno = Native.getLastError();
      log.warn(
          "{}: cannot watch {}: {}",
          name,
          entry.pollable,
          ErrnoException.of("epoll_ctl(ADD)", errno).getMessage());
      entry.active = false;
      freeSlots[freeCount++] = slot;
      return;
    }
    entry.watchedFd = fd;
    slots[slot] = entry;
    watched++;
    if (watched > eventCapacity) {
      eventCapacity = Integer.highestOneBit(watched) * 2;
      events = LibC.allocate(eventCapacity * LibC.EPOLL_EVENT_SIZE);
      eventsAddress = LibC.address(events);
    }
  }

  private int takeSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    if (slotsUsed == slots.length) {
      slots = Arrays.copyOf(slots, slots.length * 2);
      freeSlots = Arrays.copyOf(freeSlots, slots.length);
    }
    return slotsUsed++;
  }

  private void remove(Entry entry) {
    entry.active = false;
    dirty = true;
  }

  /**
   * Takes the entry's descriptor out of the epoll set while the descriptor is still the one that
   * was added: a released descriptor left the set when the kernel closed it, and its number may
   * belong to another socket by now.
   */
  private void unwatch(Entry entry) {
    if (entry.watchedFd >= 0 && entry.pollable.fd() == entry.watchedFd) {
      LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_DEL, entry.watchedFd, 0);
    }
    entry.watchedFd = -1;
  }

  /**
   * Forgets the cancelled and closed entries. Runs before a wait, never during a dispatch, so a
   * freed slot cannot be named by an event already taken from the set.
   */
  private void purge() {
    for (int slot = 0; slot < slotsUsed; slot++) {
      Entry entry = slots[slot];
      if (entry == null || (entry.active && entry.pollable.isOpen())) {
        continue;
      }
      entry.active = false;
      unwatch(entry);
      slots[slot] = null;
      freeSlots[freeCount++] = slot;
      watched--;
    }
    dirty = false;
  }

  private void forget(NativeSocket socket) {
    for (int slot = 0; slot < slotsUsed; slot++) {
      Entry entry = slots[slot];
      if (entry != null && entry.pollable == socket) {
        // Never watch a descriptor that is about to be released (and whose number may be reused).
        unwatch(entry);
        remove(entry);
      }
    }
  }

  private void shutDown() {
    tasks.finishClose(this::release);
  }

  /** Disarms the timers and closes every registered descriptor and the wake-up descriptor. */
  private void release() {
    timers.clear();
    for (int slot = 0; slot < slotsUsed; slot++) {
      Entry entry = slots[slot];
      if (entry == null) {
        continue;
      }
      entry.active = false;
      Pollable pollable = entry.pollable;
      try {
        if (pollable instanceof NativeSocket socket) {
          socket.closeNow();
        } else {
          pollable.close();
        }
      } catch (RuntimeException e) {
        log.warn("{}: closing {} failed", name, pollable, e);
      }
    }
    Arrays.fill(slots, null);
    watched = 0;
    LibC.close(epollFd);
    synchronized (wakeLock) {
      LibC.close(wakeFd);
      wakeFd = -1;
    }
  }

  private void wake() {
    if (wakeupPending.compareAndSet(false, true)) {
      synchronized (wakeLock) {
        if (wakeFd >= 0) {
          LibC.write(wakeFd, ONE_ADDRESS, 8);
        }
      }
    }
  }

  private static void rethrowFatal(Throwable t) {
    if (t instanceof VirtualMachineError error) {
      throw error;
    }
  }

  @Override
  public String toString() {
    return "PollEventLoop[" + name + (isClosed() ? ", closed" : "") + "]";
  }

  private final class Entry implements Registration {
    private final Pollable pollable;
    private final ReadHandler handler;
    private volatile boolean active = true;
    private int watchedFd = -1;

    Entry(Pollable pollable, ReadHandler handler) {
      this.pollable = pollable;
      this.handler = handler;
    }

    @Override
    public Pollable pollable() {
      return pollable;
    }

    @Override
    public void cancel() {
      active = false;
      if (inEventLoop()) {
        dirty = true;
      } else {
        try {
          execute(() -> remove(this));
        } catch (RejectedExecutionException e) {
          // The loop is stopping and forgets every registration anyway.
        }
      }
    }

    @Override
    public boolean isActive() {
      return active && pollable.isOpen() && tasks.isRunning();
    }
  }
}
