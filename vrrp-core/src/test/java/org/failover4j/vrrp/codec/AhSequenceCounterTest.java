package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AhSequenceCounterTest {

  private final AhSequenceCounter counter = new AhSequenceCounter();

  @Test
  void theFirstAdvertCarriesOneAndEachNextOneMore() {
    assertEquals(0, counter.current());
    assertEquals(1, counter.nextForSend());
    assertEquals(2, counter.nextForSend());
    assertEquals(2, counter.current());
    assertFalse(counter.cycled());
  }

  @Test
  void acceptsOnlyStrictlyGreaterNumbersAndAdoptsThem() {
    assertTrue(counter.acceptReceived(5));
    assertEquals(5, counter.current());
    assertFalse(counter.acceptReceived(5), "equal is a replay");
    assertFalse(counter.acceptReceived(4), "lower is a replay");
    assertEquals(5, counter.current());
    assertEquals(6, counter.nextForSend(), "a backup taking over continues the count");
  }

  @Test
  void comparesAsUnsigned32Bits() {
    assertTrue(counter.acceptReceived(0x80000000));
    assertEquals(0x80000000L, counter.current());
    assertTrue(counter.acceptReceived(0xFFFFFFF0));
    assertFalse(counter.acceptReceived(1), "1 is below 0xFFFFFFF0, not after it");
  }

  @Test
  void stopsAtTheCycleThresholdAndRestartsFromZeroOnBecomingMaster() {
    counter.acceptReceived(0xFFFFFFFC);
    assertEquals(0xFFFFFFFDL, counter.nextForSend());
    assertFalse(counter.cycled());
    assertEquals(0xFFFFFFFEL, counter.nextForSend());
    assertFalse(counter.cycled());
    assertEquals(0xFFFFFFFEL, counter.nextForSend(), "held above the threshold");
    assertTrue(counter.cycled());
    assertEquals(0xFFFFFFFEL, counter.nextForSend());
    counter.onBecomeMaster();
    assertFalse(counter.cycled());
    assertEquals(0, counter.current());
    assertEquals(1, counter.nextForSend());
  }

  @Test
  void becomingMasterWithoutACycleKeepsTheCount() {
    counter.acceptReceived(41);
    counter.onBecomeMaster();
    assertEquals(42, counter.nextForSend());
  }

  @Test
  void aMasterHearingALowerPriorityContinuesAfterItsNumber() {
    counter.acceptReceived(0xFFFFFFFE);
    counter.nextForSend();
    assertTrue(counter.cycled());
    counter.syncAfterLowerPriority(100);
    assertEquals(101, counter.current(), "even backwards, as keepalived does");
    assertFalse(counter.cycled());
    counter.syncAfterLowerPriority(0xFFFFFFFF);
    assertEquals(0, counter.current(), "wraps modulo 2^32");
  }

  @Test
  void clearingTheCycleFlagLeavesTheCount() {
    counter.acceptReceived(0xFFFFFFFF);
    counter.nextForSend();
    assertTrue(counter.cycled());
    counter.clearCycle();
    assertFalse(counter.cycled());
    assertEquals(0xFFFFFFFFL, counter.current());
    assertTrue(counter.toString().contains("4294967295"));
  }
}
