package org.failover4j.vrrp;

import java.io.IOException;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends gratuitous ARPs / unsolicited NAs for a new master on keepalived's schedule: a round of
 * {@code repeat} at once, another after {@code delay}, and {@code refreshRepeat} every {@code
 * refresh} while master.
 */
final class AnnouncementSchedule {

  /** Sends one round of announcements for every virtual address. */
  interface Announcer {
    void announceAll(int repeat) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(AnnouncementSchedule.class);

  private final GratuitousAnnouncements settings;
  private final Announcer announcer;
  private final Timer delayed;
  private final Timer refresh;
  private final EventLoop loop;

  AnnouncementSchedule(EventLoop loop, GratuitousAnnouncements settings, Announcer announcer) {
    this.loop = loop;
    this.settings = settings;
    this.announcer = announcer;
    this.delayed = loop.newTimer(() -> round(settings.repeat()));
    this.refresh = loop.newTimer(this::refreshRound);
  }

  /** The instance became master: announce now and schedule the rest. */
  void start() {
    round(settings.repeat());
    if (!settings.delay().isZero()) {
      delayed.scheduleAfter(settings.delay().toNanos());
    }
    if (!settings.refresh().isZero()) {
      refresh.scheduleAfter(settings.refresh().toNanos());
    }
  }

  /** The instance left master: announce no more. */
  void stop() {
    delayed.cancel();
    refresh.cancel();
  }

  private void refreshRound() {
    round(settings.refreshRepeat());
    refresh.scheduleAfter(settings.refresh().toNanos());
  }

  private void round(int repeat) {
    try {
      announcer.announceAll(repeat);
    } catch (IOException e) {
      log.warn("gratuitous announcement failed at {}: {}", loop.now(), e.getMessage());
    }
  }
}
