package org.failover4j.vrrp.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;
import org.junit.jupiter.api.Test;

class VrrpStateMachineTest {

  private static final long MS = 1_000_000L;
  private static final byte[] LOWER_PEER = {(byte) 192, 0, 2, 5};
  private static final byte[] HIGHER_PEER = {(byte) 192, 0, 2, 99};

  private final RecordingActions actions = new RecordingActions();

  private static ElectionConfig v3(int priority, boolean preempt, Duration preemptDelay) {
    return new ElectionConfig(3, 60, priority, 100, preempt, preemptDelay, address("192.0.2.20"));
  }

  private static ElectionConfig v3(int priority) {
    return v3(priority, true, Duration.ZERO);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private VrrpStateMachine started(ElectionConfig config) {
    VrrpStateMachine sm = new VrrpStateMachine(config, actions);
    sm.start(0);
    return sm;
  }

  /** Runs the machine's timer until {@code until}, as a driver would. */
  private static void runUntil(VrrpStateMachine sm, long until) {
    while (sm.nextDeadline() <= until) {
      sm.onTimer(sm.nextDeadline());
    }
  }

  @Test
  void timerFormulasFollowTheRfcs() {
    // v3, priority 100, 1 s: skew = 156 * 100 cs / 256 = 60.9375 cs.
    assertEquals(609_375_000L, ElectionTiming.skewNanos(3, 100, 100));
    assertEquals(3_609_375_000L, ElectionTiming.masterDownNanos(3, 100, 100));
    // v3 at 100 ms: skew scales with the interval.
    assertEquals(60_937_500L, ElectionTiming.skewNanos(3, 100, 10));
    // v2: skew in seconds regardless of the interval.
    assertEquals(609_375_000L, ElectionTiming.skewNanos(2, 100, 300));
    assertEquals(9_609_375_000L, ElectionTiming.masterDownNanos(2, 100, 300));
    assertEquals(3_906_250L, ElectionTiming.skewNanos(2, 255, 100));
  }

  @Test
  void aLateWakeUpDoesNotMoveTheMasterOffTheGrid() {
    VrrpStateMachine sm = started(v3(100));
    runUntil(sm, sm.nextDeadline());
    actions.take();
    assertEquals(4_000 * MS, sm.nextDeadline());
    sm.onTimer(4_000 * MS + 37 * MS); // the loop woke 37 ms late
    assertEquals(List.of("advert 100 PERIODIC"), actions.take());
    assertEquals(5_000 * MS, sm.nextDeadline(), "the next advert keeps the grid, not now + 1 s");
  }

  @Test
  void theGridIsNeverLateAndAlwaysAMultipleOfTheInterval() {
    long seed = System.nanoTime();
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int i = 0; i < 10_000; i++) {
      long now = random.nextLong();
      int centis = 1 + random.nextInt(4095);
      long interval = ElectionTiming.centisToNanos(centis);
      long next = ElectionTiming.nextOnGrid(now, centis);
      String why = "seed " + seed + ", now " + now + ", interval " + centis + " cs";
      assertTrue(next - now > 0 && next - now <= interval, why);
      assertEquals(0, Math.floorMod(next, interval), why);
    }
  }

  @Test
  void aBackupBecomesMasterWhenMasterDownRunsOut() {
    VrrpStateMachine sm = started(v3(100));
    assertEquals(List.of("INITIALIZE->BACKUP startup"), actions.take());
    assertEquals(3_609_375_000L, sm.nextDeadline());

    sm.onTimer(3_609_374_999L);
    assertEquals(Role.BACKUP, sm.role());
    sm.onTimer(3_609_375_000L);
    assertEquals(List.of("advert 100 BECOME_MASTER", "BACKUP->MASTER master-down"), actions.take());
    // The second advert falls on the interval's grid: early, within one interval, never late.
    assertEquals(4_000 * MS, sm.nextDeadline());

    runUntil(sm, 3_609_375_000L + 3_000 * MS);
    assertEquals(
        List.of("advert 100 PERIODIC", "advert 100 PERIODIC", "advert 100 PERIODIC"),
        actions.take());
    assertEquals(1, sm.counters().becameMaster());
  }

  @Test
  void theAddressOwnerStartsAsMaster() {
    VrrpStateMachine sm = started(v3(255));
    assertEquals(
        List.of("advert 255 BECOME_MASTER", "INITIALIZE->MASTER address-owner"), actions.take());
    assertEquals(Role.MASTER, sm.role());
  }

  @Test
  void advertsFromABetterOrEqualMasterKeepABackupWaiting() {
    VrrpStateMachine sm = started(v3(100));
    sm.onAdvert(3_000 * MS, 150, 100, HIGHER_PEER);
    assertEquals(3_000 * MS + sm.masterDownNanos(), sm.nextDeadline());
    sm.onAdvert(6_000 * MS, 100, 100, LOWER_PEER);
    assertEquals(6_000 * MS + sm.masterDownNanos(), sm.nextDeadline());
    assertEquals(Role.BACKUP, sm.role());
  }

  @Test
  void aPreemptingBackupIgnoresALowerMasterAndTakesOver() {
    VrrpStateMachine sm = started(v3(100));
    long deadline = sm.nextDeadline();
    sm.onAdvert(1_000 * MS, 50, 100, HIGHER_PEER);
    sm.onAdvert(2_000 * MS, 50, 100, HIGHER_PEER);
    assertEquals(deadline, sm.nextDeadline(), "lower adverts do not reset Master_Down");
    runUntil(sm, deadline);
    assertEquals(
        List.of("INITIALIZE->BACKUP startup", "advert 100 BECOME_MASTER", "BACKUP->MASTER preempt"),
        actions.take());
    assertEquals(2, sm.counters().lowerPriorityDiscarded());
  }

  @Test
  void withoutPreemptALowerMasterIsKept() {
    VrrpStateMachine sm = started(v3(100, false, Duration.ZERO));
    for (long t = 1_000; t <= 20_000; t += 1_000) {
      sm.onAdvert(t * MS, 50, 100, HIGHER_PEER);
      runUntil(sm, t * MS);
    }
    assertEquals(Role.BACKUP, sm.role());
  }

  @Test
  void preemptDelayKeepsALowerMasterUntilItExpires() {
    VrrpStateMachine sm = started(v3(100, true, Duration.ofSeconds(5)));
    // The first lower advert starts the delay; adverts within it count as a valid master.
    for (long t = 1_000; t <= 5_000; t += 1_000) {
      sm.onAdvert(t * MS, 50, 100, HIGHER_PEER);
      runUntil(sm, t * MS);
    }
    assertEquals(Role.BACKUP, sm.role());
    // After 1 s + 5 s the delay is over: lower adverts are ignored and Master_Down runs out.
    long last = 6_000 * MS;
    sm.onAdvert(last, 50, 100, HIGHER_PEER);
    sm.onAdvert(7_000 * MS, 50, 100, HIGHER_PEER);
    long deadline = sm.nextDeadline();
    assertEquals(
        5_000 * MS + sm.masterDownNanos(), deadline, "reset by the last advert in the delay");
    runUntil(sm, deadline);
    assertEquals(Role.MASTER, sm.role());
  }

  @Test
  void anEqualOrHigherAdvertStopsThePreemptDelay() {
    VrrpStateMachine sm = started(v3(100, true, Duration.ofSeconds(5)));
    sm.onAdvert(1_000 * MS, 50, 100, HIGHER_PEER);
    sm.onAdvert(2_000 * MS, 120, 100, HIGHER_PEER);
    // The delay starts again at the next lower advert, 10 s in.
    sm.onAdvert(10_000 * MS, 50, 100, HIGHER_PEER);
    sm.onAdvert(14_000 * MS, 50, 100, HIGHER_PEER);
    runUntil(sm, 14_000 * MS + 100 * MS);
    assertEquals(Role.BACKUP, sm.role());
  }

  @Test
  void priorityZeroMakesABackupTakeOverAfterSkewOnly() {
    VrrpStateMachine sm = started(v3(100));
    sm.onAdvert(1_000 * MS, 150, 100, HIGHER_PEER);
    actions.take();
    sm.onAdvert(1_500 * MS, 0, 100, HIGHER_PEER);
    assertEquals(1_500 * MS + sm.skewNanos(), sm.nextDeadline());
    runUntil(sm, sm.nextDeadline());
    assertEquals(
        List.of("advert 100 BECOME_MASTER", "BACKUP->MASTER priority-zero"), actions.take());
    assertEquals(1, sm.counters().priorityZeroReceived());
  }

  @Test
  void aV3BackupLearnsTheMastersIntervalAndForgetsItAsMaster() {
    VrrpStateMachine sm = started(v3(100));
    sm.onAdvert(1_000 * MS, 150, 10, HIGHER_PEER);
    assertEquals(10, sm.masterAdverIntervalCentis());
    // 3 * 100 ms + 156/256 * 100 ms
    assertEquals(360_937_500L, sm.masterDownNanos());
    assertEquals(1_000 * MS + 360_937_500L, sm.nextDeadline());
    runUntil(sm, sm.nextDeadline());
    assertEquals(Role.MASTER, sm.role());
    assertEquals(100, sm.masterAdverIntervalCentis(), "a master advertises its own interval");
  }

  @Test
  void aV2BackupKeepsItsConfiguredInterval() {
    ElectionConfig v2 =
        new ElectionConfig(2, 60, 100, 100, true, Duration.ZERO, address("192.0.2.20"));
    VrrpStateMachine sm = started(v2);
    sm.onAdvert(1_000 * MS, 150, 300, HIGHER_PEER);
    assertEquals(100, sm.masterAdverIntervalCentis());
  }

  @Test
  void aMasterYieldsToAHigherPriorityWithoutPriorityZero() {
    VrrpStateMachine sm = started(v3(255));
    actions.take();
    sm.onAdvert(500 * MS, 254, 100, HIGHER_PEER);
    assertEquals(Role.MASTER, sm.role(), "the owner outranks 254");
    VrrpStateMachine backup = started(v3(100));
    runUntil(backup, backup.nextDeadline());
    actions.take();
    backup.onAdvert(5_000 * MS, 200, 50, HIGHER_PEER);
    assertEquals(List.of("MASTER->BACKUP higher-priority"), actions.take());
    assertEquals(5_000 * MS + ElectionTiming.masterDownNanos(3, 100, 50), backup.nextDeadline());
  }

  @Test
  void equalPrioritiesAreBrokenByTheHigherPrimaryAddress() {
    VrrpStateMachine sm = started(v3(100));
    runUntil(sm, sm.nextDeadline());
    actions.take();
    sm.onAdvert(4_000 * MS, 100, 100, LOWER_PEER);
    assertEquals(List.of("advert 100 ANSWER_LOWER_PRIORITY"), actions.take());
    sm.onAdvert(4_100 * MS, 100, 100, HIGHER_PEER);
    assertEquals(List.of("MASTER->BACKUP higher-priority"), actions.take());
  }

  @Test
  void aMasterAnswersLowerAndZeroPrioritiesAtOnce() {
    VrrpStateMachine sm = started(v3(100));
    runUntil(sm, sm.nextDeadline());
    actions.take();
    sm.onAdvert(4_000 * MS, 90, 100, HIGHER_PEER);
    sm.onAdvert(4_100 * MS, 0, 100, HIGHER_PEER);
    assertEquals(
        List.of("advert 100 ANSWER_LOWER_PRIORITY", "advert 100 ANSWER_PRIORITY_ZERO"),
        actions.take());
    assertEquals(Role.MASTER, sm.role());
    assertEquals(4_100 * MS + 1_000 * MS, sm.nextDeadline(), "priority 0 resets the Adver_Timer");
  }

  @Test
  void faultSendsPriorityZeroFromMasterAndRecoveryRejoinsAsBackup() {
    VrrpStateMachine sm = started(v3(100));
    runUntil(sm, sm.nextDeadline());
    actions.take();
    sm.setFault(5_000 * MS, true, TransitionReason.INTERFACE_DOWN);
    assertEquals(List.of("advert 0 FAULT", "MASTER->FAULT interface-down"), actions.take());
    assertEquals(VrrpStateMachine.NO_DEADLINE, sm.nextDeadline());
    sm.onAdvert(5_500 * MS, 50, 100, HIGHER_PEER);
    assertEquals(List.of(), actions.take(), "FAULT ignores adverts");
    sm.setFault(6_000 * MS, false, TransitionReason.RECOVERED);
    assertEquals(List.of("FAULT->BACKUP recovered"), actions.take());
    assertEquals(6_000 * MS + sm.masterDownNanos(), sm.nextDeadline());
  }

  @Test
  void anOwnerRecoveringFromFaultIsMasterAtOnce() {
    VrrpStateMachine sm = started(v3(255));
    sm.setFault(1, true, TransitionReason.INTERFACE_DOWN);
    actions.take();
    sm.setFault(2, false, TransitionReason.RECOVERED);
    assertEquals(List.of("advert 255 BECOME_MASTER", "FAULT->MASTER recovered"), actions.take());
  }

  @Test
  void aFaultBeforeStartStartsInFault() {
    VrrpStateMachine sm = new VrrpStateMachine(v3(100), actions);
    sm.setFault(0, true, TransitionReason.INTERFACE_DOWN);
    sm.start(0);
    assertEquals(List.of("INITIALIZE->FAULT fault-at-start"), actions.take());
  }

  @Test
  void shutdownFromMasterSendsPriorityZero() {
    VrrpStateMachine sm = started(v3(100));
    runUntil(sm, sm.nextDeadline());
    actions.take();
    sm.shutdown(9_000 * MS);
    assertEquals(List.of("advert 0 SHUTDOWN", "MASTER->STOPPED shutdown"), actions.take());
    assertEquals(VrrpStateMachine.NO_DEADLINE, sm.nextDeadline());
    sm.shutdown(9_001 * MS);
    assertEquals(List.of(), actions.take());
    assertEquals(1, sm.counters().priorityZeroRequested());
  }

  @Test
  void effectivePriorityIsAdvertisedAndShortensSkew() {
    VrrpStateMachine sm = started(v3(100));
    runUntil(sm, sm.nextDeadline());
    actions.take();
    sm.setEffectivePriority(4_000 * MS, 80);
    runUntil(sm, sm.nextDeadline());
    assertEquals(List.of("advert 80 PERIODIC"), actions.take());
    VrrpStateMachine owner = started(v3(255));
    owner.setEffectivePriority(0, 100);
    assertEquals(255, owner.effectivePriority(), "the owner's priority never changes");
  }

  @Test
  void configurationNamesTheFieldThatIsWrong() {
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class,
            () -> new ElectionConfig(3, 0, 100, 100, true, Duration.ZERO, address("192.0.2.1")));
    assertEquals("vrid: must be in 1..255, was 0", e.getMessage());
    e =
        assertThrows(
            InvalidConfigurationException.class,
            () -> new ElectionConfig(2, 1, 100, 50, true, Duration.ZERO, address("192.0.2.1")));
    assertTrue(e.getMessage().startsWith("advertInterval: must be whole seconds"));
  }
}
