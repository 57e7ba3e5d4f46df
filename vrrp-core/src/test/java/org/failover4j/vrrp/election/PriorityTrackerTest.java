package org.failover4j.vrrp.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PriorityTrackerTest {

  @Test
  void positiveWeightsAddWhileUpNegativeSubtractWhileDown() {
    PriorityTracker tracker = new PriorityTracker(100);
    int uplink = tracker.track("eth1", 20, true);
    int check = tracker.track("http", -30, true);
    assertEquals(120, tracker.effectivePriority());
    assertTrue(tracker.set(check, false));
    assertEquals(90, tracker.effectivePriority());
    assertTrue(tracker.set(uplink, false));
    assertEquals(70, tracker.effectivePriority());
    assertFalse(tracker.set(uplink, false), "no change, no event");
  }

  @Test
  void theResultIsClampedTo1Through254() {
    PriorityTracker high = new PriorityTracker(250);
    high.track("a", 50, true);
    assertEquals(254, high.effectivePriority());
    PriorityTracker low = new PriorityTracker(10);
    int a = low.track("a", -50, true);
    low.set(a, false);
    assertEquals(1, low.effectivePriority());
  }

  @Test
  void theOwnerKeeps255() {
    PriorityTracker owner = new PriorityTracker(255);
    int a = owner.track("a", -100, true);
    owner.set(a, false);
    assertEquals(255, owner.effectivePriority());
  }

  @Test
  void weightZeroDownIsAFault() {
    PriorityTracker tracker = new PriorityTracker(100);
    int link = tracker.track("eth0", 0, true);
    assertNull(tracker.firstFault());
    assertTrue(tracker.set(link, false));
    assertTrue(tracker.isFaulty());
    assertEquals("eth0", tracker.firstFault());
    assertTrue(tracker.set(link, true));
    assertFalse(tracker.isFaulty());
  }
}
