package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RolePublisherTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aNewListenerFirstReceivesTheCurrentRole() {
    RolePublisher publisher = new RolePublisher("vrrp-60", T0);
    publisher.publish(Role.BACKUP, TransitionReason.STARTUP, T0);
    publisher.publish(Role.MASTER, TransitionReason.MASTER_DOWN, T0.plusSeconds(3));

    List<RoleChangeEvent> seen = new ArrayList<>();
    publisher.addListener(
        new RoleListener() {
          @Override
          public void becameMaster(RoleChangeEvent event) {
            seen.add(event);
          }
        },
        Runnable::run);

    assertEquals(1, seen.size());
    RoleChangeEvent e = seen.get(0);
    assertEquals(Role.BACKUP, e.from());
    assertEquals(Role.MASTER, e.to());
    assertEquals("master-down", e.reason().token());
    assertEquals(2, e.epoch());
    assertEquals("vrrp-60", e.source());
  }

  @Test
  void republishingTheSameRoleIsNotAnEvent() {
    RolePublisher publisher = new RolePublisher("x", T0);
    publisher.publish(Role.BACKUP, TransitionReason.STARTUP, T0);
    assertNull(publisher.publish(Role.BACKUP, TransitionReason.STARTUP, T0));
    assertEquals(1, publisher.current().epoch());
  }

  @Test
  void listenersSeeEveryEventInOrderAndNeverConcurrently() throws Exception {
    RolePublisher publisher = new RolePublisher("x", T0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Long> epochs = new CopyOnWriteArrayList<>();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    int transitions = 2_000;
    publisher.addListener(
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent event) {
            if (inside.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            epochs.add(event.epoch());
            inside.decrementAndGet();
            if (event.epoch() == transitions) {
              done.countDown();
            }
          }
        },
        pool);
    for (int i = 0; i < transitions; i++) {
      publisher.publish(i % 2 == 0 ? Role.MASTER : Role.BACKUP, TransitionReason.MASTER_DOWN, T0);
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    pool.shutdown();
    assertEquals(0, overlaps.get());
    for (int i = 0; i < epochs.size(); i++) {
      assertEquals(i, epochs.get(i));
    }
  }

  @Test
  void defaultListenersRunOffThePublishingThread() throws Exception {
    RolePublisher publisher = new RolePublisher("x", T0);
    Thread publishing = Thread.currentThread();
    CountDownLatch called = new CountDownLatch(1);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    publisher.addListener(
        new RoleListener() {
          @Override
          public void becameBackup(RoleChangeEvent event) {
            threads.add(Thread.currentThread());
            called.countDown();
          }
        });
    publisher.publish(Role.BACKUP, TransitionReason.STARTUP, T0);
    assertTrue(called.await(5, TimeUnit.SECONDS));
    assertFalse(threads.contains(publishing));
  }

  @Test
  void awaitRoleReturnsWhenTheRoleIsReachedOrTimesOut() throws Exception {
    RolePublisher publisher = new RolePublisher("x", T0);
    assertFalse(publisher.awaitRole(Role.MASTER, Duration.ofMillis(20)));
    Thread later =
        new Thread(
            () -> {
              sleepQuietly(50);
              publisher.publish(Role.MASTER, TransitionReason.MASTER_DOWN, T0);
            });
    later.start();
    assertTrue(publisher.awaitRole(Role.MASTER, Duration.ofSeconds(5)));
    later.join();
  }

  @Test
  void aListenerWhoseExecutorIsShutDownIsDroppedAndTheOthersStillHear() throws Exception {
    RolePublisher publisher = new RolePublisher("x", T0);
    ExecutorService gone = Executors.newSingleThreadExecutor();
    publisher.addListener(new RoleListener() {}, gone);
    gone.shutdown();
    assertTrue(gone.awaitTermination(5, TimeUnit.SECONDS));
    List<Role> seen = new ArrayList<>();
    publisher.addListener(
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent event) {
            seen.add(event.to());
          }
        },
        Runnable::run);
    publisher.publish(Role.BACKUP, TransitionReason.STARTUP, T0);
    publisher.publish(Role.MASTER, TransitionReason.MASTER_DOWN, T0);
    assertEquals(List.of(Role.INITIALIZE, Role.BACKUP, Role.MASTER), seen);
    assertTrue(publisher.awaitRole(Role.MASTER, Duration.ZERO));
  }

  @Test
  void aThrowingListenerKeepsReceivingEvents() {
    RolePublisher publisher = new RolePublisher("x", T0);
    List<Role> seen = new ArrayList<>();
    publisher.addListener(
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent event) {
            seen.add(event.to());
            throw new IllegalStateException("listener bug");
          }
        },
        Runnable::run);
    publisher.publish(Role.BACKUP, TransitionReason.STARTUP, T0);
    assertEquals(List.of(Role.INITIALIZE, Role.BACKUP), seen);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
