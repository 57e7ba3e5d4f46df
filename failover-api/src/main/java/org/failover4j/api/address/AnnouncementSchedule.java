package org.failover4j.api.address;

import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;

/**
 * Sends gratuitous ARPs / unsolicited NAs for a new master on keepalived's schedule: a round of
 * {@code repeat} at once, another after {@code delay}, and {@code refreshRepeat} every {@code
 * refresh} while master. Runs on the event loop; not thread-safe.
 */
public final class AnnouncementSchedule {

  /** Sends one round of announcements for every held address. */
  @FunctionalInterface
  public interface Announcer {
    /**
     * Announces every address {@code repeat} times; a failure for one address never stops the
     * others.
     *
     * @param repeat how many announcements per address
     */
    void announceAll(int repeat);
  }

  private final GratuitousAnnouncements settings;
  private final Announcer announcer;
  private final Timer delayed;
  private final Timer refresh;

  /**
   * A schedule on {@code loop}'s timers; nothing is sent before {@link #start()}.
   *
   * @param loop the event loop whose timers it uses
   * @param settings when and how often to announce
   * @param announcer what sends one round
   */
  public AnnouncementSchedule(
      EventLoop loop, GratuitousAnnouncements settings, Announcer announcer) {
    this.settings = settings;
    this.announcer = announcer;
    this.delayed = loop.newTimer(() -> announcer.announceAll(settings.repeat()));
    this.refresh = loop.newTimer(this::refreshRound);
  }

  /** The node became master, or doubts who is: announce now and schedule the rest. */
  public void start() {
    announcer.announceAll(settings.repeat());
    if (!settings.delay().isZero()) {
      delayed.scheduleAfter(settings.delay().toNanos());
    }
    if (!settings.refresh().isZero()) {
      refresh.scheduleAfter(settings.refresh().toNanos());
    }
  }

  /** The node left master: announce no more. */
  public void stop() {
    delayed.cancel();
    refresh.cancel();
  }

  private void refreshRound() {
    announcer.announceAll(settings.refreshRepeat());
    refresh.scheduleAfter(settings.refresh().toNanos());
  }
}
