package org.failover4j.benchmarks.lab;

import java.util.List;

/**
 * One group's takeover in one run, from the bridge capture and the new master's address log, all
 * relative to the old master's last advert.
 *
 * @param gapMs the new master's first advert minus the old master's last one
 * @param vipMs the virtual address on the new master, from its address monitor
 * @param announceMs the new master's first gratuitous ARP or NA for the address (NaN: none seen)
 * @param vipAtMicros when the address arrived, for the spread over groups
 */
public record Takeover(double gapMs, double vipMs, double announceMs, long vipAtMicros) {

  /**
   * Finds the takeover of one group by the backup host (given its adverts, the announcements of its
   * address and the changes of its address, each in time order) between {@code fromMicros} (just
   * before the master's freeze) and {@code toMicros}; null when the capture shows none (no advert
   * from the new master, or none from the old before it).
   */
  static Takeover find(
      List<BridgeTrace.Advert> adverts,
      List<BridgeTrace.Announcement> announcements,
      List<AddressLog.Change> changes,
      Senders senders,
      long fromMicros,
      long toMicros) {
    long firstNew = -1;
    for (BridgeTrace.Advert a : adverts) {
      if (a.micros() >= fromMicros
          && a.micros() <= toMicros
          && a.priority() > 0
          && senders.isBackup(a)) {
        firstNew = a.micros();
        break;
      }
    }
    if (firstNew < 0) {
      return null;
    }
    long lastOld = -1;
    for (BridgeTrace.Advert a : adverts) {
      if (a.micros() >= firstNew) {
        break;
      }
      if (a.micros() >= fromMicros - 1_000_000 && senders.isMaster(a)) {
        lastOld = a.micros();
      }
    }
    if (lastOld < 0) {
      return null;
    }
    long vipAt = -1;
    for (AddressLog.Change c : changes) {
      if (c.added() && c.micros() >= lastOld && c.micros() <= toMicros) {
        vipAt = c.micros();
        break;
      }
    }
    long announced = -1;
    for (BridgeTrace.Announcement n : announcements) {
      if (n.micros() >= lastOld && n.micros() <= toMicros && senders.isBackup(n)) {
        announced = n.micros();
        break;
      }
    }
    return new Takeover(
        (firstNew - lastOld) / 1000.0,
        vipAt < 0 ? Double.NaN : (vipAt - lastOld) / 1000.0,
        announced < 0 ? Double.NaN : (announced - lastOld) / 1000.0,
        vipAt);
  }
}
