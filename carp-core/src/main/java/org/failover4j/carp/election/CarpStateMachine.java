package org.failover4j.carp.election;

import java.util.Objects;
import org.failover4j.api.Role;
import org.failover4j.api.TransitionReason;

/**
 * The CARP election of one virtual host, with OpenBSD carp(4)'s and ucarp 1.5.2's rules:
 *
 * <ul>
 *   <li>a master advertises every {@code advbase + advskew/256} s; a backup takes over after {@code
 *       3·advbase + advskew/256} s without an accepted advert; a virtual host with both address
 *       families has one such timer per family, as OpenBSD's, so silence on either is enough;
 *   <li>one advert is preferred to another by a lower demotion counter first, then a shorter
 *       interval, then ucarp's source-address tie-break ({@link CarpTiming#compareSources});
 *   <li>a master steps down for a preferred advert, and re-announces its addresses when it hears a
 *       less preferred one;
 *   <li>a backup takes over at once from a master with a higher demotion counter, from a slower
 *       master when preemption is on, and from a master whose interval exceeds its own master-down
 *       interval (such as a leaving master's 255/255);
 *   <li>a master leaving sends advbase = advskew = 255.
 * </ul>
 *
 * <p>Sans-I/O: it owns no timer or socket. After every input the driver re-arms one timer at {@link
 * #nextDeadline()} and calls {@link #onTimer} when it fires. Inputs are accepted adverts only (the
 * codec's validator drops the rest). Not thread-safe; steady state allocates nothing.
 */
public final class CarpStateMachine {

  /** {@link #nextDeadline()} when no timer is needed. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  /**
   * How soon a master that took its role back at link up advertises again: 100 ms, well inside the
   * time a backup's master-down timer may have left.
   */
  public static final long LINK_UP_REPEAT_NANOS = 100_000_000L;

  /** The advbase and advskew of a leaving master. */
  public static final int LEAVING = 255;

  private final CarpElectionConfig config;
  private final CarpActions actions;
  private final byte[] localAddress;
  // This host's address in the second family of a dual-family virtual host, or null.
  private final byte[] otherLocalAddress;
  private Role role = Role.INITIALIZE;
  private int demote;
  // One master-down timer per family, as OpenBSD's md_tmo and md6_tmo: an advert re-arms only its
  // own family's, so a master heard on one family only is taken over from on the other.
  private long masterDown4 = NO_DEADLINE;
  private long masterDown6 = NO_DEADLINE;
  private long advertDeadline = NO_DEADLINE;
  private long transitions;
  private boolean resumeAsMaster;

  /**
   * A state machine in INITIALIZE; {@link #start} makes it a backup.
   *
   * @param config the virtual host's election settings
   * @param actions what the machine asks its driver to do
   */
  public CarpStateMachine(CarpElectionConfig config, CarpActions actions) {
    this.config = Objects.requireNonNull(config, "config");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.localAddress = config.localAddress().getAddress();
    this.otherLocalAddress =
        config.otherFamilyAddress() == null ? null : config.otherFamilyAddress().getAddress();
  }

  /**
   * Leaves INITIALIZE as a backup, as every CARP host starts. Does nothing once started.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void start(long now) {
    if (role != Role.INITIALIZE) {
      return;
    }
    role = Role.BACKUP;
    transitions++;
    armMasterDown(now);
    actions.transition(Role.INITIALIZE, Role.BACKUP, TransitionReason.STARTUP);
  }

  /**
   * An accepted advert arrived.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   * @param advbase its advertisement base
   * @param advskew its skew
   * @param senderDemote its demotion counter
   * @param source the sender's address bytes (4 or 16), compared only, never kept
   */
  public void onAdvert(long now, int advbase, int advskew, int senderDemote, byte[] source) {
    if (role == Role.MASTER) {
      if (isPreferred(advbase, advskew, senderDemote, source)) {
        actions.sendAdvert(config.advbase(), config.advskew(), demote, AdvertCause.STEP_DOWN);
        enterBackup(now, TransitionReason.PREFERRED_MASTER);
      } else {
        actions.reassert();
      }
    } else if (role == Role.BACKUP) {
      int interval =
          CarpTiming.compareIntervals(config.advbase(), config.advskew(), advbase, advskew);
      if (senderDemote > demote) {
        becomeMaster(now, TransitionReason.DEMOTED_MASTER);
      } else if (config.preempt() && senderDemote == demote && interval < 0) {
        becomeMaster(now, TransitionReason.PREEMPT);
      } else if (CarpTiming.compareIntervals(
              3 * config.advbase(), config.advskew(), advbase, advskew)
          < 0) {
        // It will time out anyway (a leaving master's 255/255 among others): take over now.
        becomeMaster(now, TransitionReason.MASTER_LEAVING);
      } else {
        rearmMasterDown(now, source.length);
      }
    }
  }

  /**
   * The timer armed at {@link #nextDeadline()} fired (early or spurious calls are harmless).
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void onTimer(long now) {
    if (role == Role.BACKUP && Math.min(masterDown4, masterDown6) - now <= 0) {
      becomeMaster(now, TransitionReason.MASTER_DOWN);
    } else if (role == Role.MASTER && advertDeadline - now <= 0) {
      advertDeadline = now + advertIntervalNanos();
      actions.sendAdvert(config.advbase(), config.advskew(), demote, AdvertCause.PERIODIC);
    }
  }

  /**
   * Sets this host's demotion counter, 0..255 (0 = healthy; the application raises it from its
   * health checks). A master advertises the new value at once.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   * @param value the demotion, 0..255
   */
  public void setDemotion(long now, int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("demotion must be in 0..255, was " + value);
    }
    if (value == demote) {
      return;
    }
    demote = value;
    if (role == Role.MASTER) {
      advertDeadline = now + advertIntervalNanos();
      actions.sendAdvert(config.advbase(), config.advskew(), demote, AdvertCause.DEMOTION);
    }
  }

  /**
   * The interface lost its link (OpenBSD's carp(4) rule): the host leaves the election as INIT
   * does, reported as {@link Role#FAULT}, sending nothing and holding nothing; a backup elsewhere
   * takes over. Does nothing unless the host is a backup or master.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void linkDown(long now) {
    if (role != Role.MASTER && role != Role.BACKUP) {
      return;
    }
    Role from = role;
    // A preempting master was the preferred host: it takes the role back as soon as it can.
    resumeAsMaster = from == Role.MASTER && config.preempt();
    role = Role.FAULT;
    transitions++;
    clearMasterDown();
    advertDeadline = NO_DEADLINE;
    actions.transition(from, Role.FAULT, TransitionReason.INTERFACE_DOWN);
  }

  /**
   * The link is back. As OpenBSD leaves INIT: a preempting host that was master takes the role back
   * at once and advertises, and advertises again {@link #LINK_UP_REPEAT_NANOS} later in case the
   * first advert was lost at the carrier transition, so a backup whose timer has not fired yet
   * never takes over needlessly (and one that has steps down for the preferred advert); any other
   * host rejoins as a backup and the master-down timer or preemption decides.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void linkUp(long now) {
    if (role != Role.FAULT) {
      return;
    }
    if (resumeAsMaster) {
      resumeAsMaster = false;
      becomeMaster(now, TransitionReason.RECOVERED);
      // The first frame after the carrier returns can be lost (seen on a bridge): one lost advert
      // would let a backup whose timer nearly ran out take over needlessly, so the next one
      // follows shortly instead of a whole interval later.
      advertDeadline = now + Math.min(LINK_UP_REPEAT_NANOS, advertIntervalNanos());
      return;
    }
    role = Role.BACKUP;
    transitions++;
    armMasterDown(now);
    actions.transition(Role.FAULT, Role.BACKUP, TransitionReason.RECOVERED);
  }

  /**
   * Leaves the election for good: a master sends advbase = advskew = 255 so a backup takes over.
   *
   * @param now the current time on the loop's clock, in nanoseconds
   */
  public void shutdown(long now) {
    if (role == Role.STOPPED) {
      return;
    }
    Role from = role;
    if (from == Role.MASTER) {
      actions.sendAdvert(LEAVING, LEAVING, demote, AdvertCause.LEAVING);
    }
    role = Role.STOPPED;
    transitions++;
    clearMasterDown();
    advertDeadline = NO_DEADLINE;
    actions.transition(from, Role.STOPPED, TransitionReason.SHUTDOWN);
  }

  /**
   * When the driver must call {@link #onTimer}, or {@link #NO_DEADLINE}.
   *
   * @return the deadline on the loop's clock
   */
  public long nextDeadline() {
    return switch (role) {
      case BACKUP -> Math.min(masterDown4, masterDown6);
      case MASTER -> advertDeadline;
      default -> NO_DEADLINE;
    };
  }

  /** {@return the current role} */
  public Role role() {
    return role;
  }

  /** {@return the demotion counter advertised now} */
  public int demotion() {
    return demote;
  }

  /** {@return the configuration} */
  public CarpElectionConfig config() {
    return config;
  }

  /** {@return how many role changes happened (start and stop included)} */
  public long transitions() {
    return transitions;
  }

  /** {@return this host's advertisement interval} */
  public long advertIntervalNanos() {
    return CarpTiming.advertIntervalNanos(config.advbase(), config.advskew());
  }

  /** {@return this host's master-down interval} */
  public long masterDownNanos() {
    return CarpTiming.masterDownNanos(config.advbase(), config.advskew());
  }

  /**
   * {@return true when an advert with these fields from {@code source} is preferred to this host's
   * own: lower demotion first, then a shorter interval, then ucarp's tie-break on the source
   * address}
   *
   * @param advbase its advertisement base
   * @param advskew its skew
   * @param senderDemote its demotion counter
   * @param source the sender's address bytes (4 or 16), compared only, never kept
   */
  public boolean isPreferred(int advbase, int advskew, int senderDemote, byte[] source) {
    if (senderDemote != demote) {
      return senderDemote < demote;
    }
    int interval =
        CarpTiming.compareIntervals(advbase, advskew, config.advbase(), config.advskew());
    if (interval != 0) {
      return interval < 0;
    }
    byte[] own =
        otherLocalAddress != null && otherLocalAddress.length == source.length
            ? otherLocalAddress
            : localAddress;
    return CarpTiming.compareSources(source, own) < 0;
  }

  private boolean watches(int addressLength) {
    return localAddress.length == addressLength
        || (otherLocalAddress != null && otherLocalAddress.length == addressLength);
  }

  // Every family the virtual host has gets a full master-down interval.
  private void armMasterDown(long now) {
    long deadline = now + masterDownNanos();
    masterDown4 = watches(4) ? deadline : NO_DEADLINE;
    masterDown6 = watches(16) ? deadline : NO_DEADLINE;
  }

  // An advert re-arms its own family's timer only (a family the host lacks has none).
  private void rearmMasterDown(long now, int addressLength) {
    if (!watches(addressLength)) {
      return;
    }
    if (addressLength == 4) {
      masterDown4 = now + masterDownNanos();
    } else {
      masterDown6 = now + masterDownNanos();
    }
  }

  private void clearMasterDown() {
    masterDown4 = NO_DEADLINE;
    masterDown6 = NO_DEADLINE;
  }

  private void becomeMaster(long now, TransitionReason reason) {
    clearMasterDown();
    advertDeadline = now + advertIntervalNanos();
    actions.sendAdvert(config.advbase(), config.advskew(), demote, AdvertCause.BECAME_MASTER);
    Role from = role;
    role = Role.MASTER;
    transitions++;
    actions.transition(from, Role.MASTER, reason);
  }

  private void enterBackup(long now, TransitionReason reason) {
    advertDeadline = NO_DEADLINE;
    armMasterDown(now);
    Role from = role;
    role = Role.BACKUP;
    transitions++;
    actions.transition(from, Role.BACKUP, reason);
  }
}
