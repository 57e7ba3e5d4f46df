package org.failover4j.carp.election;

import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/** Records what a state machine asked for, as short strings tests can compare. */
final class RecordingActions implements CarpActions {

  final List<String> log = new ArrayList<>();

  @Override
  public void sendAdvert(int advbase, int advskew, int demote, AdvertCause cause) {
    log.add("advert " + advbase + "/" + advskew + "/" + demote + " " + cause);
  }

  @Override
  public void transition(Role from, Role to, TransitionReason reason) {
    log.add(from + "->" + to + " " + reason);
  }

  @Override
  public void reassert() {
    log.add("reassert");
  }

  /** Returns what was recorded since the last call and forgets it. */
  List<String> take() {
    List<String> copy = List.copyOf(log);
    log.clear();
    return copy;
  }
}
