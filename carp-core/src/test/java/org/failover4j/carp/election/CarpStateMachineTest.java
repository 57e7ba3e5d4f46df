package org.failover4j.carp.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.Timer;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.Test;

class CarpStateMachineTest {

  private static final long SECOND = 1_000_000_000L;
  private static final byte[] LOWER = {(byte) 192, 0, 2, 1};
  private static final byte[] HIGHER = {(byte) 192, 0, 2, (byte) 200};

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final RecordingActions actions = new RecordingActions();

  private static InetAddress inet(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A state machine driven by one loop timer re-armed after every input, as a runtime does. */
  private final class Driven {
    final CarpStateMachine machine;
    final Timer timer;

    Driven(int advbase, int advskew, boolean preempt) {
      this(new CarpElectionConfig(10, advbase, advskew, preempt, inet("192.0.2.100")));
    }

    Driven(CarpElectionConfig config) {
      machine = new CarpStateMachine(config, actions);
      timer = loop.newTimer(this::fire);
    }

    private void fire() {
      machine.onTimer(loop.nanoTime());
      rearm();
    }

    void rearm() {
      long deadline = machine.nextDeadline();
      if (deadline == CarpStateMachine.NO_DEADLINE) {
        timer.cancel();
      } else {
        timer.scheduleAt(deadline);
      }
    }

    void start() {
      machine.start(loop.nanoTime());
      rearm();
    }

    void advert(int advbase, int advskew, int demote, byte[] source) {
      machine.onAdvert(loop.nanoTime(), advbase, advskew, demote, source);
      rearm();
    }

    Driven master() {
      start();
      loop.advanceBy(Duration.ofNanos(machine.masterDownNanos()));
      assertEquals(Role.MASTER, machine.role());
      actions.take();
      return this;
    }
  }

  @Test
  void timersAreUcarpsIntervals() {
    assertEquals(SECOND + 390_625_000L, CarpTiming.advertIntervalNanos(1, 100));
    assertEquals(3 * SECOND + 390_625_000L, CarpTiming.masterDownNanos(1, 100));
    // 1/256 s is 3906.25 us: truncated to whole microseconds like ucarp's timeval.
    assertEquals(3_906_000L, CarpTiming.skewNanos(1));
    assertEquals(996_093_000L, CarpTiming.skewNanos(255));
  }

  @Test
  void aLoneHostBecomesMasterAfterMasterDownAndAdvertisesEveryInterval() {
    Driven host = new Driven(1, 100, false);
    host.start();
    assertEquals(List.of("INITIALIZE->BACKUP startup"), actions.take());
    loop.advanceBy(Duration.ofNanos(host.machine.masterDownNanos() - 1));
    assertEquals(Role.BACKUP, host.machine.role());
    loop.advanceBy(Duration.ofNanos(1));
    assertEquals(
        List.of("advert 1/100/0 BECAME_MASTER", "BACKUP->MASTER master-down"), actions.take());
    loop.advanceBy(Duration.ofNanos(3 * host.machine.advertIntervalNanos()));
    assertEquals(
        List.of("advert 1/100/0 PERIODIC", "advert 1/100/0 PERIODIC", "advert 1/100/0 PERIODIC"),
        actions.take());
  }

  @Test
  void aMasterBackAtLinkUpAdvertisesAgainShortlyInCaseTheFirstAdvertWasLost() {
    Driven host = new Driven(1, 0, true).master();
    host.machine.linkDown(loop.nanoTime());
    host.rearm();
    loop.advanceBy(Duration.ofSeconds(3));
    assertEquals(
        List.of("MASTER->FAULT interface-down"), actions.take(), "nothing sent while down");

    host.machine.linkUp(loop.nanoTime());
    host.rearm();
    assertEquals(List.of("advert 1/0/0 BECAME_MASTER", "FAULT->MASTER recovered"), actions.take());
    loop.advanceBy(Duration.ofNanos(CarpStateMachine.LINK_UP_REPEAT_NANOS - 1));
    assertEquals(List.of(), actions.take());
    loop.advanceBy(Duration.ofNanos(1));
    assertEquals(List.of("advert 1/0/0 PERIODIC"), actions.take(), "the repeat, 100 ms later");
    loop.advanceBy(Duration.ofNanos(host.machine.advertIntervalNanos() - 1));
    assertEquals(List.of(), actions.take(), "then the usual interval");
    loop.advanceBy(Duration.ofNanos(1));
    assertEquals(List.of("advert 1/0/0 PERIODIC"), actions.take());
  }

  @Test
  void aBackupTakesOverExactlyMasterDownAfterTheLastAdvert() {
    Driven host = new Driven(1, 100, false);
    host.start();
    for (int i = 0; i < 10; i++) {
      loop.advanceBy(Duration.ofSeconds(1));
      host.advert(1, 0, 0, LOWER);
    }
    long last = loop.nanoTime();
    loop.advanceTo(last + host.machine.masterDownNanos() - 1);
    assertEquals(Role.BACKUP, host.machine.role());
    loop.advanceTo(last + host.machine.masterDownNanos());
    assertEquals(Role.MASTER, host.machine.role());
  }

  private static final byte[] LOWER6 = inet("fe80::1").getAddress();
  private static final byte[] HIGHER6 = inet("fe80::ff").getAddress();

  private Driven dualFamily() {
    return new Driven(
        new CarpElectionConfig(10, 1, 100, false, inet("192.0.2.100"), inet("fe80::64")));
  }

  @Test
  void aDualFamilyBackupKeepsOneMasterDownTimerPerFamilyAsOpenBsd() {
    Driven host = dualFamily();
    host.start();
    actions.take();
    // The master heard on both families: no takeover, however long.
    for (int i = 0; i < 10; i++) {
      loop.advanceBy(Duration.ofSeconds(1));
      host.advert(1, 0, 0, LOWER);
      host.advert(1, 0, 0, LOWER6);
    }
    assertEquals(Role.BACKUP, host.machine.role());
    assertEquals(List.of(), actions.take(), "two adverts per interval count as no more than one");
    // Heard on IPv6 only: the IPv4 timer runs out (md_tmo), as in OpenBSD.
    long lastIpv4 = loop.nanoTime();
    for (int i = 0; i < 3; i++) {
      loop.advanceBy(Duration.ofSeconds(1));
      host.advert(1, 0, 0, LOWER6);
    }
    loop.advanceTo(lastIpv4 + host.machine.masterDownNanos() - 1);
    assertEquals(Role.BACKUP, host.machine.role());
    loop.advanceTo(lastIpv4 + host.machine.masterDownNanos());
    assertEquals(Role.MASTER, host.machine.role());
  }

  @Test
  void aDualFamilyBackupTakesOverWhenTheIpv6AdvertsStop() {
    Driven host = dualFamily();
    host.start();
    loop.advanceBy(Duration.ofSeconds(1));
    host.advert(1, 0, 0, LOWER6);
    long lastIpv6 = loop.nanoTime();
    for (int i = 0; i < 4; i++) {
      loop.advanceBy(Duration.ofSeconds(1));
      if (loop.nanoTime() - lastIpv6 < host.machine.masterDownNanos()) {
        host.advert(1, 0, 0, LOWER);
      }
    }
    assertEquals(Role.MASTER, host.machine.role(), "md6_tmo ran out");
  }

  @Test
  void aSingleFamilyHostIgnoresTheOtherFamilysTimer() {
    // An IPv4-only host has no IPv6 timer: adverts of one family keep it a backup.
    Driven host = new Driven(1, 100, false);
    host.start();
    for (int i = 0; i < 10; i++) {
      loop.advanceBy(Duration.ofSeconds(1));
      host.advert(1, 0, 0, LOWER);
    }
    assertEquals(Role.BACKUP, host.machine.role());
  }

  @Test
  void aDualFamilyMasterBreaksTiesAgainstItsOwnAddressOfTheAdvertsFamily() {
    Driven host = dualFamily().master();
    host.advert(1, 100, 0, HIGHER6);
    assertEquals(List.of("reassert"), actions.take());
    assertEquals(Role.MASTER, host.machine.role());
    host.advert(1, 100, 0, LOWER6);
    assertEquals(Role.BACKUP, host.machine.role(), "fe80::1 ties below fe80::64");
  }

  @Test
  void theOtherFamilyAddressMustBeOfTheOtherFamily() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new CarpElectionConfig(10, 1, 0, false, inet("192.0.2.1"), inet("192.0.2.2")));
  }

  @Test
  void aMasterStepsDownForAFasterAdvertAndReassertsAgainstASlowerOne() {
    Driven host = new Driven(1, 100, false).master();
    host.advert(1, 200, 0, LOWER);
    host.advert(2, 0, 0, LOWER);
    assertEquals(List.of("reassert", "reassert"), actions.take());
    host.advert(1, 99, 0, HIGHER);
    assertEquals(
        List.of("advert 1/100/0 STEP_DOWN", "MASTER->BACKUP preferred-master"), actions.take());
    assertEquals(Role.BACKUP, host.machine.role());
  }

  @Test
  void equalIntervalsAreBrokenByUcarpsAddressOrder() {
    Driven host = new Driven(1, 100, false).master();
    host.advert(1, 100, 0, HIGHER);
    assertEquals(List.of("reassert"), actions.take());
    host.advert(1, 100, 0, LOWER);
    assertEquals(Role.BACKUP, host.machine.role());
    // ucarp compares in_addr_t as a little-endian integer: the last byte weighs most.
    assertTrue(
        CarpTiming.compareSources(inet("10.0.2.1").getAddress(), inet("10.0.1.2").getAddress())
            < 0);
    assertTrue(
        CarpTiming.compareSources(inet("192.0.2.1").getAddress(), inet("192.0.2.2").getAddress())
            < 0);
  }

  @Test
  void demotionIsComparedFirst() {
    Driven host = new Driven(1, 100, false).master();
    host.machine.setDemotion(loop.nanoTime(), 2);
    assertEquals(List.of("advert 1/100/2 DEMOTION"), actions.take());
    // Slower, but less demoted: preferred.
    host.advert(5, 0, 1, HIGHER);
    assertEquals(Role.BACKUP, host.machine.role());
    actions.take();
    // A backup takes over from a master more demoted than itself, preempt or not.
    host.advert(1, 0, 3, LOWER);
    assertEquals(
        List.of("advert 1/100/2 BECAME_MASTER", "BACKUP->MASTER demoted-master"), actions.take());
    // Faster, but more demoted: not preferred.
    host.advert(1, 0, 3, LOWER);
    assertEquals(List.of("reassert"), actions.take());
    assertThrows(
        IllegalArgumentException.class, () -> host.machine.setDemotion(loop.nanoTime(), 256));
  }

  @Test
  void onlyAPreemptingBackupTakesOverFromASlowerMaster() {
    Driven patient = new Driven(1, 100, false);
    patient.start();
    patient.advert(1, 200, 0, LOWER);
    assertEquals(Role.BACKUP, patient.machine.role());
    actions.take();
    Driven eager = new Driven(1, 100, true);
    eager.start();
    actions.take();
    eager.advert(1, 100, 0, LOWER);
    assertEquals(Role.BACKUP, eager.machine.role(), "equal is not slower");
    eager.advert(1, 200, 0, LOWER);
    assertEquals(List.of("advert 1/100/0 BECAME_MASTER", "BACKUP->MASTER preempt"), actions.take());
  }

  @Test
  void aLeavingMasterAdvertises255AndABackupTakesOverAtOnce() {
    Driven master = new Driven(1, 0, false).master();
    master.machine.shutdown(loop.nanoTime());
    master.rearm();
    assertEquals(List.of("advert 255/255/0 LEAVING", "MASTER->STOPPED shutdown"), actions.take());
    assertEquals(CarpStateMachine.NO_DEADLINE, master.machine.nextDeadline());
    Driven backup = new Driven(1, 100, false);
    backup.start();
    actions.take();
    backup.advert(255, 255, 0, LOWER);
    assertEquals(
        List.of("advert 1/100/0 BECAME_MASTER", "BACKUP->MASTER master-leaving"), actions.take());
    master.machine.onAdvert(loop.nanoTime(), 1, 0, 0, LOWER);
    assertFalse(actions.log.contains("reassert"), "a stopped host ignores adverts");
  }

  @Test
  void theConfigurationRejectsValuesOutOfRange() {
    InetAddress a = inet("192.0.2.1");
    assertThrows(IllegalArgumentException.class, () -> new CarpElectionConfig(0, 1, 0, false, a));
    assertThrows(IllegalArgumentException.class, () -> new CarpElectionConfig(1, 0, 0, false, a));
    assertThrows(IllegalArgumentException.class, () -> new CarpElectionConfig(1, 1, 255, false, a));
  }
}
