package org.failover4j.carp.election;

/** Why a {@link CarpStateMachine} asks for an advert. */
public enum AdvertCause {
  /** The advertisement timer of a master fired. */
  PERIODIC,
  /** The first advert after becoming master. */
  BECAME_MASTER,
  /**
   * A master heard a preferred master and steps down, advertising once more (as ucarp does) so that
   * the new master hears a less preferred advert and re-announces its addresses.
   */
  STEP_DOWN,
  /** A master's demotion changed: backups learn it at once. */
  DEMOTION,
  /** A master is leaving: advbase = advskew = 255, so backups take over at once. */
  LEAVING;
}
