package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.failover4j.api.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll-based loop under real time, with real descriptors (netlink sockets need no root). */
class PollEventLoopTest {

  /**
   * How late a timer may fire before the test calls it broken. Typical lateness is tens of
   * microseconds (docs/BENCHMARKS.md); the bound is loose because CI shares two cores.
   */
  private static final long LATENESS_BOUND = Duration.ofMillis(250).toNanos();

  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  private PollEventLoop start() throws IOException {
    PollEventLoop loop = PollEventLoop.start("test-loop");
    closeAfter.add(loop);
    return loop;
  }

  private static <T> T onLoop(PollEventLoop loop, java.util.concurrent.Callable<T> task)
      throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void timersFireInDeadlineOrderAndNeverEarly() throws Exception {
    PollEventLoop loop = start();
    int count = 500;
    long[] deadlines = new long[count];
    long[] fired = new long[count];
    List<Integer> order = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(count);
    java.util.Random random = new java.util.Random(42);
    onLoop(
        loop,
        () -> {
          long base = loop.nanoTime() + Duration.ofMillis(20).toNanos();
          for (int i = 0; i < count; i++) {
            int id = i;
            Timer timer =
                loop.newTimer(
                    () -> {
                      fired[id] = loop.nanoTime();
                      order.add(id);
                      done.countDown();
                    });
            deadlines[i] = base + random.nextInt(100_000) * 1_000L; // up to 100 ms, µs steps
            timer.scheduleAt(deadlines[i]);
          }
          return null;
        });
    assertTrue(done.await(10, TimeUnit.SECONDS), "timers did not all fire");
    List<Integer> byDeadline = onLoop(loop, () -> new ArrayList<>(order));
    for (int i = 1; i < count; i++) {
      long previous = deadlines[byDeadline.get(i - 1)];
      long current = deadlines[byDeadline.get(i)];
      assertTrue(previous <= current, "fired out of order at position " + i);
    }
    for (int i = 0; i < count; i++) {
      long lateness = fired[i] - deadlines[i];
      assertTrue(lateness >= 0, "timer " + i + " fired " + -lateness + " ns early");
      assertTrue(lateness < LATENESS_BOUND, "timer " + i + " fired " + lateness + " ns late");
    }
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
  void aTimerRearmedByItsActionKeepsFiringAndCancelStopsIt() throws Exception {
    PollEventLoop loop = start();
    AtomicInteger ticks = new AtomicInteger();
    CountDownLatch hundred = new CountDownLatch(100);
    Timer[] timer = new Timer[1];
    loop.execute(
        () -> {
          timer[0] =
              loop.newTimer(
                  () -> {
                    ticks.incrementAndGet();
                    hundred.countDown();
                    timer[0].scheduleAfter(Duration.ofMillis(1).toNanos());
                  });
          timer[0].scheduleAfter(0);
        });
    assertTrue(hundred.await(10, TimeUnit.SECONDS));
    onLoop(
        loop,
        () -> {
          timer[0].cancel();
          return null;
        });
    int stopped = ticks.get();
    Thread.sleep(20);
    assertEquals(stopped, ticks.get());
    assertFalse(onLoop(loop, timer[0]::isScheduled));
  }

  @Test
  void tasksPostedFromManyThreadsAllRunOnTheLoopInPerThreadOrder() throws Exception {
    PollEventLoop loop = start();
    int threads = 8;
    int perThread = 20_000;
    int[] lastSeen = new int[threads];
    java.util.Arrays.fill(lastSeen, -1);
    AtomicInteger outOfOrder = new AtomicInteger();
    AtomicInteger offLoop = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(threads * perThread);
    List<Thread> posters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      posters.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  int n = i;
                  loop.execute(
                      () -> {
                        if (!loop.inEventLoop()) {
                          offLoop.incrementAndGet();
                        }
                        if (lastSeen[thread] != n - 1) {
                          outOfOrder.incrementAndGet();
                        }
                        lastSeen[thread] = n;
                        all.countDown();
                      });
                }
              }));
    }
    posters.forEach(Thread::start);
    for (Thread p : posters) {
      p.join();
    }
    assertTrue(all.await(30, TimeUnit.SECONDS), "tasks lost: " + all.getCount());
    assertEquals(0, outOfOrder.get());
    assertEquals(0, offLoop.get());
    assertFalse(loop.inEventLoop());
  }

  @Test
  void theHandlerRunsWhenARegisteredSocketBecomesReadable() throws Exception {
    PollEventLoop loop = start();
    NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    closeAfter.add(socket);
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
    AtomicInteger links = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    NetlinkMessageCursor cursor = new NetlinkMessageCursor();
    Registration registration =
        loop.register(
            socket,
            () -> {
              int n;
              while ((n = socket.receive(in.clear())) > 0) {
                cursor.wrap(in, 0, n);
                while (cursor.next()) {
                  if (cursor.message().type() == Netlink.NLMSG_DONE) {
                    done.countDown();
                  } else {
                    links.incrementAndGet();
                  }
                }
              }
            });
    ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    new NetlinkMessageWriter()
        .wrap(request)
        .begin(18, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 1, 0)
        .putZeros(16)
        .end();
    socket.send(request.flip());
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
    int fd = socket.fd();
    Registration registration = loop.register(socket, () -> {});
    onLoop(loop, () -> null);
    socket.close();
    assertFalse(socket.isOpen());
    onLoop(loop, () -> null); // the release runs on the loop, after the close request
    assertEquals(-1, socket.fd());
    assertFalse(Descriptors.open().containsKey(fd) && fd == socket.fd());
    assertFalse(registration.isActive());
    assertThrows(java.nio.channels.ClosedChannelException.class, () -> socket.joinGroup(1));
  }

  @Test
  void aFailingTaskTimerOrHandlerDoesNotStopTheLoop() throws Exception {
    PollEventLoop loop = start();
    loop.execute(
        () -> {
          throw new IllegalStateException("task fails on purpose");
        });
    onLoop(
        loop,
        () -> {
          loop.newTimer(
                  () -> {
                    throw new IllegalStateException("timer fails on purpose");
                  })
              .scheduleAfter(0);
          return null;
        });
    NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    closeAfter.add(socket);
    AtomicInteger calls = new AtomicInteger();
    loop.register(
        socket,
        () -> {
          socket.receive(ByteBuffer.allocateDirect(64 * 1024));
          if (calls.incrementAndGet() == 1) {
            throw new IOException("handler fails on purpose");
          }
        });
    ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    new NetlinkMessageWriter()
        .wrap(request)
        .begin(18, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 1, 0)
        .putZeros(16)
        .end();
    socket.send(request.flip());
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
    ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    new NetlinkMessageWriter()
        .wrap(request)
        .begin(18, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 1, 0)
        .putZeros(16)
        .end();
    chosen.send(request.flip());
    assertTrue(readable.await(5, TimeUnit.SECONDS));
    assertTrue(fired.await(10, TimeUnit.SECONDS), fired.getCount() + " timers did not fire");
  }

  @Test
  void everyTaskAcceptedWhileClosingRunsExactlyOnce() throws Exception {
    for (int round = 0; round < 20; round++) {
      PollEventLoop loop = PollEventLoop.start("racing-close");
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch started = new CountDownLatch(4);
      List<Thread> posters = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread poster =
            new Thread(
                () -> {
                  started.countDown();
                  while (true) {
                    try {
                      loop.execute(ran::incrementAndGet);
                      accepted.incrementAndGet();
                    } catch (RejectedExecutionException closed) {
                      return;
                    }
                  }
                });
        poster.start();
        posters.add(poster);
      }
      started.await();
      Thread.sleep(2);
      loop.close();
      for (Thread poster : posters) {
        poster.join();
      }
      assertEquals(accepted.get(), ran.get(), "round " + round);
    }
  }

  @Test
  void closeFromInsideTheLoopStopsItAfterTheCurrentTurn() throws Exception {
    PollEventLoop loop = PollEventLoop.start("self-closing");
    Thread thread = onLoop(loop, Thread::currentThread);
    loop.execute(loop::close);
    thread.join(5_000);
    assertFalse(thread.isAlive());
    assertTrue(loop.isClosed());
  }

  @Test
  void wallClockFollowsTheMonotonicClock() throws Exception {
    PollEventLoop loop = start();
    Instant before = Instant.now();
    Instant now = loop.now();
    assertTrue(Duration.between(before, now).abs().toMillis() < 1_000, before + " vs " + now);
    long a = loop.nanoTime();
    Thread.sleep(5);
    assertTrue(loop.nanoTime() - a >= 5_000_000L);
  }

  @Test
  void longWaitsStopShortSoThatTheLastOneIsWithinTheTimerSlack() {
    // A Master_Down_Interval of 360 ms: 310 ms, then the last 50 ms separately.
    assertEquals(310_000_000L, PollEventLoop.waitNanos(360_000_000L));
    assertEquals(50_000_000L, PollEventLoop.waitNanos(50_000_000L));
    // An advert interval of 100 ms (slack 100 µs at most) is waited in one go.
    assertEquals(100_000_000L, PollEventLoop.waitNanos(100_000_000L));
    assertEquals(PollEventLoop.SPLIT_ABOVE_NANOS, PollEventLoop.waitNanos(200_000_000L));
    assertTrue(PollEventLoop.waitNanos(200_000_001L) > PollEventLoop.FINAL_WAIT_NANOS);
    assertEquals(0, PollEventLoop.waitNanos(0));
    assertEquals(0, PollEventLoop.waitNanos(-5));
  }
}
