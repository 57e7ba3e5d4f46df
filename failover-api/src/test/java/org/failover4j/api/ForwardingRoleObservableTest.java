package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingRoleObservableTest {

  @Test
  void everyCallReachesTheDelegate() throws Exception {
    RolePublisher publisher = new RolePublisher("vi", Instant.EPOCH);
    ForwardingRoleObservable forwarding = () -> publisher;
    List<Role> seen = new ArrayList<>();
    RoleListener listener =
        new RoleListener() {
          @Override
          public void roleChanged(RoleChangeEvent e) {
            seen.add(e.to());
          }
        };
    forwarding.addListener(listener, Runnable::run);
    publisher.publish(Role.BACKUP, TransitionReason.STARTUP, Instant.EPOCH);
    assertEquals(Role.BACKUP, forwarding.role());
    assertTrue(forwarding.awaitRole(Role.BACKUP, Duration.ZERO));
    assertTrue(forwarding.removeListener(listener));
    publisher.publish(Role.MASTER, TransitionReason.MASTER_DOWN, Instant.EPOCH);
    assertEquals(List.of(Role.INITIALIZE, Role.BACKUP), seen);
  }
}
