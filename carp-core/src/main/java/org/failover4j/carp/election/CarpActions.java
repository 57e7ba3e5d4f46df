package org.failover4j.carp.election;

import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/**
 * What a {@link CarpStateMachine} asks its driver to do, on the driver's thread, in the order it
 * must happen: on becoming master the advert is requested before the transition.
 */
public interface CarpActions {

  /**
   * Sends one advert now with these header fields (the driver adds the counter and the HMAC).
   *
   * @param advbase the advertisement base in seconds (255 when leaving)
   * @param advskew the skew in 1/256 s (255 when leaving)
   * @param demote the demotion counter
   * @param cause why
   */
  void sendAdvert(int advbase, int advskew, int demote, AdvertCause cause);

  /**
   * The virtual host changed role. Entering {@link Role#MASTER} means add the virtual addresses and
   * announce them; leaving it means remove them.
   *
   * @param from the role before
   * @param to the role after
   * @param reason why
   */
  void transition(Role from, Role to, TransitionReason reason);

  /**
   * A master heard a less preferred master: announce the addresses again (gratuitous ARP /
   * unsolicited NA), as ucarp does, so that the segment's caches point here.
   */
  void reassert();
}
