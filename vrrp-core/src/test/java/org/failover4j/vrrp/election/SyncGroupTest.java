package org.failover4j.vrrp.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;
import org.junit.jupiter.api.Test;

/** keepalived's Transition State Machine: the members of a sync group move together. */
class SyncGroupTest {

  private static final long MS = 1_000_000L;
  private static final byte[] PEER = {(byte) 192, 0, 2, 99};

  private final RecordingActions lan1 = new RecordingActions();
  private final RecordingActions lan2 = new RecordingActions();
  private final List<String> groupLog = new ArrayList<>();
  private final SyncGroup group =
      new SyncGroup("G1", (from, to, reason) -> groupLog.add(from + "->" + to + " " + reason));

  private final VrrpStateMachine a = new VrrpStateMachine(config(1, 100), lan1);
  private final VrrpStateMachine b = new VrrpStateMachine(config(2, 100), lan2);

  SyncGroupTest() {
    group.add(a).add(b);
  }

  private static ElectionConfig config(int vrid, int priority) {
    try {
      return new ElectionConfig(
          3, vrid, priority, 100, true, Duration.ZERO, InetAddress.getByName("192.0.2.20"));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private void startBothAsMaster() {
    a.start(0);
    b.start(0);
    // Both time out at the same Master_Down; the second completes the set.
    long deadline = a.nextDeadline();
    a.onTimer(deadline);
    b.onTimer(deadline);
    lan1.take();
    lan2.take();
    groupLog.clear();
  }

  @Test
  void theGroupBecomesMasterOnlyWhenEveryMemberWantsTo() {
    a.start(0);
    b.start(10 * MS);
    // b keeps hearing a master on its LAN; a's timer runs out first.
    b.onAdvert(3_000 * MS, 150, 100, PEER);
    a.onTimer(a.nextDeadline());
    assertEquals(Role.BACKUP, a.role(), "a waits for b");
    assertTrue(a.wantsMaster());

    // b's master goes quiet: when b's timer runs out the whole group goes master at once.
    long bDeadline = b.nextDeadline();
    assertTrue(bDeadline < a.nextDeadline());
    b.onTimer(bDeadline);
    assertEquals(Role.MASTER, a.role());
    assertEquals(Role.MASTER, b.role());
    assertEquals(Role.MASTER, group.role());
    assertEquals(
        List.of(
            "INITIALIZE->BACKUP startup", "advert 100 BECOME_MASTER", "BACKUP->MASTER master-down"),
        lan2.take());
    assertEquals(
        List.of(
            "INITIALIZE->BACKUP startup", "advert 100 BECOME_MASTER", "BACKUP->MASTER sync-group"),
        lan1.take());
    assertEquals(
        List.of("INITIALIZE->BACKUP startup", "BACKUP->MASTER all-members-master"), groupLog);
  }

  @Test
  void aMemberHearingAMasterAgainStopsWantingMaster() {
    a.start(0);
    b.start(0);
    b.onAdvert(3_000 * MS, 150, 100, PEER);
    a.onTimer(a.nextDeadline());
    assertTrue(a.wantsMaster());
    a.onAdvert(4_000 * MS, 150, 100, PEER);
    assertTrue(!a.wantsMaster());
    b.onTimer(b.nextDeadline());
    assertEquals(Role.BACKUP, b.role(), "a no longer wants master, so b waits");
  }

  @Test
  void oneMembersFaultPutsTheWholeGroupInFault() {
    startBothAsMaster();
    a.setFault(10_000 * MS, true, TransitionReason.INTERFACE_DOWN);
    assertEquals(List.of("advert 0 FAULT", "MASTER->FAULT interface-down"), lan1.take());
    assertEquals(List.of("advert 0 FAULT", "MASTER->FAULT sync-group"), lan2.take());
    assertEquals(List.of("MASTER->FAULT member-fault"), groupLog);

    // b's own link is fine, but the group stays in FAULT until a recovers.
    b.setFault(11_000 * MS, false, TransitionReason.RECOVERED);
    assertEquals(Role.FAULT, b.role());
    a.setFault(12_000 * MS, false, TransitionReason.RECOVERED);
    assertEquals(Role.BACKUP, a.role());
    assertEquals(Role.BACKUP, b.role());
    assertEquals(Role.BACKUP, group.role());
  }

  @Test
  void oneMemberPreemptedTakesTheWholeGroupToBackup() {
    startBothAsMaster();
    b.onAdvert(10_000 * MS, 200, 100, PEER);
    assertEquals(List.of("MASTER->BACKUP higher-priority"), lan2.take());
    assertEquals(List.of("MASTER->BACKUP sync-group"), lan1.take());
    assertEquals(Role.BACKUP, a.role());
    assertEquals(List.of("MASTER->BACKUP member-backup"), groupLog);
  }

  @Test
  void aMemberTrackingADownInterfaceKeepsTheGroupOutOfMaster() {
    a.setFault(0, true, TransitionReason.INTERFACE_DOWN);
    a.start(0);
    b.start(0);
    assertEquals(Role.FAULT, a.role());
    assertEquals(Role.FAULT, b.role());
    assertEquals(VrrpStateMachine.NO_DEADLINE, b.nextDeadline());
    a.setFault(5_000 * MS, false, TransitionReason.RECOVERED);
    long deadline = Math.max(a.nextDeadline(), b.nextDeadline());
    a.onTimer(deadline);
    b.onTimer(deadline);
    assertEquals(Role.MASTER, group.role());
  }

  @Test
  void stoppingOneMemberFaultsTheRest() {
    startBothAsMaster();
    a.shutdown(10_000 * MS);
    assertEquals(List.of("advert 0 SHUTDOWN", "MASTER->STOPPED shutdown"), lan1.take());
    assertEquals(List.of("advert 0 FAULT", "MASTER->FAULT sync-group"), lan2.take());
    b.shutdown(10_001 * MS);
    assertEquals(Role.STOPPED, group.role());
  }
}
