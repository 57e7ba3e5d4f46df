package org.failover4j.benchmarks.lab;

/**
 * Which host of a bench sent a frame of one group. Each host sends from its own MAC, but with a
 * virtual MAC both send from {@code 00:00:5e:00:01:VRID}: then an advert's priority says who sent
 * it (the master's {@link BenchLab#MASTER_PRIORITY}, the backup's {@link BenchLab#BACKUP_PRIORITY};
 * an IPv6 advert's link-local source is the virtual MAC's on both), and an announcement from the
 * virtual MAC in a takeover's window is the backup's, the master being frozen.
 *
 * @param masterMac the master host's MAC on the group's LAN
 * @param backupMac the backup host's MAC on the group's LAN
 * @param virtualMac the group's virtual MAC, or null without one
 */
record Senders(String masterMac, String backupMac, String virtualMac) {

  /** The senders of {@code group} in {@code bench}. */
  static Senders of(BenchLab bench, Group group) {
    return new Senders(
        bench.masterMac(group.lan()), bench.backupMac(group.lan()), group.virtualMacAddress());
  }

  /** True for an advert of the master host. */
  boolean isMaster(BridgeTrace.Advert advert) {
    return sentBy(advert, masterMac, BenchLab.MASTER_PRIORITY);
  }

  /** True for an advert of the backup host. */
  boolean isBackup(BridgeTrace.Advert advert) {
    return sentBy(advert, backupMac, BenchLab.BACKUP_PRIORITY);
  }

  /** True for an announcement the backup can have sent. */
  boolean isBackup(BridgeTrace.Announcement announcement) {
    return announcement.mac().equals(virtualMac == null ? backupMac : virtualMac);
  }

  private boolean sentBy(BridgeTrace.Advert advert, String hostMac, int priority) {
    return virtualMac == null
        ? advert.mac().equals(hostMac)
        : advert.mac().equals(virtualMac) && advert.priority() == priority;
  }
}
