package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.failover4j.api.RoleSource.State;
import org.junit.jupiter.api.Test;

/** The one life every role source leads, and the one text its statistics print. */
class SourceLifecycleTest {

  private final SourceLifecycle life = new SourceLifecycle("the thing");

  @Test
  void aStartThatRacedAHeadOfACloseCannotBringTheSourceBack() {
    life.requireNew(); // the start checked, then the close ran before it finished
    assertTrue(life.close());
    SourceClosedException e = assertThrows(SourceClosedException.class, life::markStarted);
    assertEquals("the thing is closed; build a new one", e.getMessage());
    assertEquals(State.CLOSED, life.state());
  }

  @Test
  void closeHappensOnceAndAFailureAfterItDoesNotReopen() {
    assertTrue(life.close());
    assertFalse(life.close());
    life.markFailed(new java.io.IOException("late"));
    assertEquals(State.CLOSED, life.state());
    assertThrows(SourceClosedException.class, life::requireNew);
  }

  @Test
  void aFailedStartSaysWhyAndRefusesAnother() {
    life.markFailed(new java.io.IOException("no eth9"));
    assertEquals(State.FAILED, life.state());
    IllegalStateException e = assertThrows(IllegalStateException.class, life::requireNew);
    assertEquals(
        "the thing failed to start (java.io.IOException: no eth9); close it and build a new one",
        e.getMessage());
  }

  @Test
  void aStartedSourceRefusesASecondStart() {
    life.markStarted();
    assertEquals(
        "the thing is already started",
        assertThrows(IllegalStateException.class, life::requireNew).getMessage());
  }

  enum Why implements DropReason {
    TRUNCATED,
    BAD_CHECKSUM,
    REPLAYED
  }

  record Counts(long messagesSent, Map<Why, Long> drops) implements SourceStatistics {
    Counts {
      drops = SourceStatistics.ordered(drops);
    }

    @Override
    public String toString() {
      return SourceStatistics.text(this);
    }
  }

  @Test
  void statisticsPrintOnlyTheDropsThatHappenedInTheReasonsOrder() {
    Map<Why, Long> drops = new EnumMap<>(Why.class);
    drops.put(Why.REPLAYED, 3L);
    drops.put(Why.BAD_CHECKSUM, 0L);
    drops.put(Why.TRUNCATED, 1L);
    Counts counts = new Counts(7, new java.util.HashMap<>(drops));
    assertEquals("Counts[messagesSent=7, drops={TRUNCATED=1, REPLAYED=3}]", counts.toString());
    assertEquals(4, counts.totalDropped());
    assertEquals(
        java.util.List.of(Why.TRUNCATED, Why.BAD_CHECKSUM, Why.REPLAYED),
        java.util.List.copyOf(counts.drops().keySet()));
  }
}
