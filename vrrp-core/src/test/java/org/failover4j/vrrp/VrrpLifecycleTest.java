package org.failover4j.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.junit.jupiter.api.Test;

/** What a newcomer relies on at the edges of a router's life. */
class VrrpLifecycleTest {

  private final SimulatedLan lan = new SimulatedLan(3);

  @Test
  void closeWaitsUntilListenersHaveHandledStopped() throws Exception {
    SimulatedLan.Node node = lan.add(150);
    node.start();
    lan.loop.advanceBy(Duration.ofSeconds(5));
    AtomicBoolean cleanedUp = new AtomicBoolean();
    node.instance()
        .addListener(
            new RoleListener() {
              @Override
              public void stopped(RoleChangeEvent event) {
                try {
                  Thread.sleep(300); // slow cleanup, as an application's stop hook may be
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                cleanedUp.set(true);
              }
            });
    node.stop();
    assertTrue(cleanedUp.get(), "close() returned before stopped() finished");
  }

  @Test
  void awaitingARoleOfAStoppedInstanceReturnsFalseAtOnce() throws Exception {
    SimulatedLan.Node node = lan.add(100);
    node.start();
    VrrpInstance instance = node.instance();
    node.stop();
    assertEquals(Role.STOPPED, instance.role());
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertFalse(instance.awaitRole(Role.MASTER, Duration.ofHours(1))));
  }
}
