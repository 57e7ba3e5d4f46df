package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.failover4j.api.EventLoop;
import org.failover4j.api.EventLoopContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poll-based loop under the {@link EventLoop} contract, and with real descriptors (netlink
 * sockets need no root).
 */
class PollEventLoopTest extends EventLoopContract {

  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  @Override
  protected EventLoop newLoop(String name) throws IOException {
    return PollEventLoop.start(name);
  }

  /** A NETLINK_ROUTE socket (no root needed), closed after the test. */
  private NetlinkSocket routeSocket() throws IOException {
    NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    closeAfter.add(socket);
    return socket;
  }

  private PollEventLoop start() throws IOException {
    PollEventLoop loop = PollEventLoop.start("test-loop");
    closeAfter.add(loop);
    return loop;
  }

  @Test
  void aSubMillisecondTimerWaitsItsFullDelay() throws Exception {
    PollEventLoop loop = start();
    long delay = TimeUnit.MICROSECONDS.toNanos(300);
    CompletableFuture<Long> lateness = new CompletableFuture<>();
    loop.execute(
        () -> {
          long armed = loop.nanoTime();
          loop.newTimer(() -> lateness.complete(loop.nanoTime() - armed - delay))
              .scheduleAfter(delay);
        });
    long late = lateness.get(5, TimeUnit.SECONDS);
    assertTrue(late >= 0 && late < LATENESS_BOUND, "lateness " + late + " ns");
  }

  @Test
  void theLoopThreadWaitsWithTheLeastTimerSlack() throws Exception {
    PollEventLoop loop = start();
    int slack = onLoop(loop, () -> LibC.prctl(LibC.PR_GET_TIMERSLACK, 0, 0, 0, 0));
    assertEquals(PollEventLoop.TIMER_SLACK_NANOS, slack, "ns of slack the kernel may add");
    int callers = LibC.prctl(LibC.PR_GET_TIMERSLACK, 0, 0, 0, 0);
    assertTrue(callers > 1, "other threads keep theirs: " + callers);
  }

  @Test
  void theHandlerRunsWhenARegisteredSocketBecomesReadable() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket socket = routeSocket();
    AtomicInteger links = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    Registration registration = loop.register(socket, () -> drainUntilDone(socket, done, links));
    socket.send(linkDump());
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertTrue(links.get() >= 1, "the dump lists at least lo");
    assertTrue(registration.isActive());
    registration.cancel();
    assertFalse(registration.isActive());
  }

  @Test
  void closeStopsTheThreadAndClosesEveryRegisteredDescriptor() throws Exception {
    PollEventLoop.start("warm-up").close(); // load native code before counting
    Map<Integer, String> before = Descriptors.open();
    PollEventLoop loop = PollEventLoop.start("closing");
    List<NetlinkSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
      sockets.add(s);
      loop.register(s, () -> {});
    }
    Thread loopThread = onLoop(loop, Thread::currentThread);
    CountDownLatch queued = new CountDownLatch(1);
    loop.execute(queued::countDown);
    loop.close();
    assertEquals(0, queued.getCount(), "tasks posted before close still run");
    assertFalse(loopThread.isAlive());
    assertTrue(loop.isClosed());
    for (NetlinkSocket s : sockets) {
      assertFalse(s.isOpen());
      assertEquals(-1, s.fd());
    }
    assertEquals(before, Descriptors.open(), "descriptors before and after");
    assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
    try (NetlinkSocket late = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      assertThrows(RejectedExecutionException.class, () -> loop.register(late, () -> {}));
    }
    loop.close(); // idempotent
  }

  @Test
  void closingARegisteredSocketFromAnotherThreadReleasesItOnTheLoop() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    String kernelSocket = Descriptors.open().get(socket.fd()); // socket:[inode], unique
    assertTrue(kernelSocket.startsWith("socket:"), kernelSocket);
    Registration registration = loop.register(socket, () -> {});
    onLoop(loop, () -> null);
    socket.close();
    assertFalse(socket.isOpen());
    onLoop(loop, () -> null); // the release runs on the loop, after the close request
    assertEquals(-1, socket.fd());
    assertFalse(Descriptors.open().containsValue(kernelSocket), "the kernel socket is closed");
    assertFalse(registration.isActive());
    assertThrows(java.nio.channels.ClosedChannelException.class, () -> socket.joinGroup(1));
  }

  @Test
  void aFailingReadHandlerDoesNotStopTheLoop() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket socket = routeSocket();
    AtomicInteger calls = new AtomicInteger();
    loop.register(
        socket,
        () -> {
          socket.receive(ByteBuffer.allocateDirect(64 * 1024));
          if (calls.incrementAndGet() == 1) {
            throw new IOException("handler fails on purpose");
          }
        });
    socket.send(linkDump());
    Thread.sleep(50);
    assertEquals("still alive", onLoop(loop, () -> "still alive"));
    assertTrue(calls.get() >= 1);
  }

  @Test
  void thousandsOfTimersAndHundredsOfSocketsShareOneLoop() throws Exception {
    PollEventLoop loop = start();
    List<NetlinkSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
      closeAfter.add(s);
      sockets.add(s);
    }
    CountDownLatch readable = new CountDownLatch(1);
    NetlinkSocket chosen = sockets.get(217);
    for (NetlinkSocket s : sockets) {
      loop.register(
          s,
          () -> {
            while (s.receive(ByteBuffer.allocateDirect(64 * 1024)) > 0) {
              if (s == chosen) {
                readable.countDown();
              }
            }
          });
    }
    int timers = 10_000;
    CountDownLatch fired = new CountDownLatch(timers);
    onLoop(
        loop,
        () -> {
          for (int i = 0; i < timers; i++) {
            loop.newTimer(fired::countDown).scheduleAfter((i % 50) * 1_000_000L);
          }
          return null;
        });
    chosen.send(linkDump());
    assertTrue(readable.await(5, TimeUnit.SECONDS));
    assertTrue(fired.await(10, TimeUnit.SECONDS), fired.getCount() + " timers did not fire");
  }

  @Test
  void oneTurnReadsEveryReadyDescriptorBeforeTheTimersRunAgain() throws Exception {
    PollEventLoop loop = start();
    int count = 600;
    CountDownLatch served = new CountDownLatch(count);
    AtomicInteger servedWhenTheTimerRan = new AtomicInteger(-1);
    AtomicBoolean first = new AtomicBoolean(true);
    List<NetlinkSocket> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
      closeAfter.add(s);
      sockets.add(s);
      s.send(linkDump());
    }
    // Every socket is readable before the first wait, and a timer falls due while the first
    // handler runs: the turn reads all 600 before the timer runs, as a Master_Down timer needs the
    // advert waiting in its socket read first.
    onLoop(
        loop,
        () -> {
          for (NetlinkSocket s : sockets) {
            loop.register(
                s,
                () -> {
                  if (first.getAndSet(false)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));
                  }
                  drainUntilDone(s, served);
                });
          }
          loop.newTimer(() -> servedWhenTheTimerRan.set((int) (count - served.getCount())))
              .scheduleAfter(TimeUnit.MILLISECONDS.toNanos(10));
          return null;
        });
    assertTrue(served.await(10, TimeUnit.SECONDS), served.getCount() + " sockets not served");
    Thread.sleep(20);
    onLoop(loop, () -> null);
    assertEquals(count, servedWhenTheTimerRan.get(), "sockets read before the timer ran");
  }

  @Test
  void whatArrivedBeforeATimersDeadlineIsReadBeforeTheTimerRuns() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket socket = routeSocket();
    CountDownLatch served = new CountDownLatch(1);
    AtomicBoolean readFirst = new AtomicBoolean();
    CountDownLatch fired = new CountDownLatch(1);
    onLoop(
        loop,
        () -> {
          // The answer is queued before the task ends, and the timer is due when it ends: the loop
          // did not wait in between, as after a stall. The socket is read before the timer runs.
          loop.register(socket, () -> drainUntilDone(socket, served));
          socket.send(linkDump());
          loop.newTimer(
                  () -> {
                    readFirst.set(served.getCount() == 0);
                    fired.countDown();
                  })
              .scheduleAfter(0);
          return null;
        });
    assertTrue(fired.await(5, TimeUnit.SECONDS));
    assertTrue(readFirst.get(), "the queued answer was read before the due timer ran");
  }

  @Test
  void aRegistrationCancelledByAnEarlierHandlerOfTheSameTurnDoesNotRun() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket first = routeSocket();
    NetlinkSocket second = routeSocket();
    first.send(linkDump());
    second.send(linkDump());
    AtomicInteger handlersRun = new AtomicInteger();
    Registration[] registrations = new Registration[2];
    onLoop(
        loop,
        () -> {
          // Both are readable when the loop next waits; whichever runs first cancels the other.
          registrations[0] = loop.register(first, cancelling(first, registrations, 1, handlersRun));
          registrations[1] =
              loop.register(second, cancelling(second, registrations, 0, handlersRun));
          return null;
        });
    for (int turn = 0; turn < 5; turn++) {
      Thread.sleep(10);
      onLoop(loop, () -> null);
    }
    assertEquals(1, handlersRun.get(), "only the handler that ran first");
    // The cancelled socket is still readable; it is out of the set, so the loop does not spin.
    assertEquals(1, activeCount(registrations));
  }

  @Test
  void aClosedSocketsNumberReusedByTheNextSocketIsWatchedForTheNewOne() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket old = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    int number = old.fd();
    AtomicInteger oldCalls = new AtomicInteger();
    loop.register(old, oldCalls::incrementAndGet);
    onLoop(loop, () -> null);
    old.close();
    onLoop(loop, () -> null); // released on the loop, after it left the epoll set
    NetlinkSocket reused = routeSocket();
    assertEquals(number, reused.fd(), "the kernel hands out the lowest free number");
    CountDownLatch served = new CountDownLatch(1);
    loop.register(reused, () -> drainUntilDone(reused, served));
    reused.send(linkDump());
    assertTrue(served.await(5, TimeUnit.SECONDS));
    assertEquals(0, oldCalls.get());
  }

  @Test
  void aSecondRegistrationOfOneSocketIsRefusedAndTheFirstKeepsWorking() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket socket = routeSocket();
    CountDownLatch served = new CountDownLatch(1);
    Registration kept = loop.register(socket, () -> drainUntilDone(socket, served));
    Registration refused = loop.register(socket, () -> {});
    onLoop(loop, () -> null);
    assertTrue(kept.isActive());
    assertFalse(refused.isActive(), "epoll holds one registration per socket");
    socket.send(linkDump());
    assertTrue(served.await(5, TimeUnit.SECONDS));
  }

  /** A handler that counts its run, cancels registration {@code other} and reads its socket. */
  private ReadHandler cancelling(
      NetlinkSocket socket, Registration[] registrations, int other, AtomicInteger runs) {
    return () -> {
      runs.incrementAndGet();
      registrations[other].cancel();
      drainUntilDone(socket, new CountDownLatch(1));
    };
  }

  private static int activeCount(Registration[] registrations) {
    int active = 0;
    for (Registration r : registrations) {
      active += r.isActive() ? 1 : 0;
    }
    return active;
  }

  private static ByteBuffer linkDump() {
    ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    new NetlinkMessageWriter()
        .wrap(request)
        .begin(18, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 1, 0)
        .putZeros(16)
        .end();
    return request.flip();
  }

  /** Reads what is queued (on the loop thread); counts {@code done} down at the dump's end. */
  private void drainUntilDone(NetlinkSocket socket, CountDownLatch done) throws IOException {
    drainUntilDone(socket, done, new AtomicInteger());
  }

  /** As above, counting the dump's messages (one per link) in {@code messages}. */
  private void drainUntilDone(NetlinkSocket socket, CountDownLatch done, AtomicInteger messages)
      throws IOException {
    int n;
    while ((n = socket.receive(in.clear())) > 0) {
      cursor.wrap(in, 0, n);
      while (cursor.next()) {
        if (cursor.message().type() == Netlink.NLMSG_DONE) {
          done.countDown();
        } else {
          messages.incrementAndGet();
        }
      }
    }
  }

  @Test
  void longWaitsStopShortSoThatTheLastOneIsWithinTheTimerSlack() {
    // A Master_Down_Interval of 360 ms: 355 ms, then the last 5 ms separately (5 µs late at most).
    assertEquals(355_000_000L, PollEventLoop.waitNanos(360_000_000L));
    assertEquals(5_000_000L, PollEventLoop.waitNanos(5_000_000L));
    // The 30 ms Master_Down of 10 ms adverts, and the adverts themselves, also end in 5 ms.
    assertEquals(25_000_000L, PollEventLoop.waitNanos(30_000_000L));
    assertEquals(PollEventLoop.SPLIT_ABOVE_NANOS, PollEventLoop.waitNanos(10_000_000L));
    assertTrue(PollEventLoop.waitNanos(10_000_001L) > PollEventLoop.FINAL_WAIT_NANOS);
    assertEquals(0, PollEventLoop.waitNanos(0));
    assertEquals(0, PollEventLoop.waitNanos(-5));
  }
}
