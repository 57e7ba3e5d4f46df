package org.failover4j.vrrp.election;

import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/**
 * What a {@link VrrpStateMachine} asks its driver to do. Calls arrive on the driver's thread in the
 * order they must happen: on becoming master the advert is requested before the transition, so the
 * old master hears it before gratuitous ARPs move the addresses.
 */
public interface ElectionActions {

  /**
   * Sends one advertisement now.
   *
   * @param priority the priority to advertise (0 when {@code cause.isPriorityZero()})
   * @param intervalCentis the advertisement interval to put in the header
   * @param cause why
   */
  void sendAdvert(int priority, int intervalCentis, AdvertCause cause);

  /**
   * The instance changed role. Entering {@link Role#MASTER} means add the virtual addresses and
   * announce them; leaving it means remove them.
   *
   * @param from the role before
   * @param to the role after
   * @param reason why
   */
  void transition(Role from, Role to, TransitionReason reason);
}
