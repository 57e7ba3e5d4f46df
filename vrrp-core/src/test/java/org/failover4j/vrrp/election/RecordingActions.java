package org.failover4j.vrrp.election;

import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/** Records what a state machine asked for, as short strings tests can compare. */
final class RecordingActions implements ElectionActions {

  final List<String> log = new ArrayList<>();

  @Override
  public void sendAdvert(int priority, int intervalCentis, AdvertCause cause) {
    log.add("advert " + priority + " " + cause);
  }

  @Override
  public void transition(Role from, Role to, TransitionReason reason) {
    log.add(from + "->" + to + " " + reason);
  }

  /** Returns what was recorded since the last call and forgets it. */
  List<String> take() {
    List<String> copy = List.copyOf(log);
    log.clear();
    return copy;
  }
}
