package org.failover4j.vrrp;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.sim.SimulatedHost;
import org.failover4j.api.sim.SimulatedNetwork;
import org.failover4j.api.sim.SimulatedPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One takeover played on a simulated LAN under virtual time as a real router starts, for each
 * family and version it runs: a master advertises, its backup receives, the master dies, the backup
 * takes over (advert, addresses, announcements), both leave. Nothing reaches the network.
 *
 * <p>Why: a backup's first takeover is often the only one its process ever makes, and without this
 * it runs every bytecode of the election, codec and send paths for the first time at that very
 * moment (classes loaded from the jar, constant pools resolved, all interpreted), which measured as
 * about a millisecond of extra takeover time. Takes a few milliseconds of start-up instead, after
 * the instances have started (an owner advertises at once; a backup's takeover is a
 * Master_Down_Interval away).
 */
final class Rehearsal {

  /** The rehearsal instances' name; their transitions are not logged. */
  static final String NAME = "failover4j-rehearsal";

  private static final Logger log = LoggerFactory.getLogger(Rehearsal.class);
  private static final String IFACE = "rehearsal0";

  private Rehearsal() {}

  /**
   * Rehearses once per family and version among {@code configs}; never throws.
   *
   * @return how many of those rehearsals played a whole takeover (the rest are logged)
   */
  static int run(List<VrrpInstanceConfig> configs) {
    Map<String, VrrpInstanceConfig> kinds = new LinkedHashMap<>();
    for (VrrpInstanceConfig c : configs) {
      kinds.putIfAbsent(c.isIpv6() + "/" + c.version(), c);
    }
    int played = 0;
    for (VrrpInstanceConfig c : kinds.values()) {
      try {
        if (takeover(c.isIpv6(), c.version().number(), c.advertInterval())) {
          played++;
        } else {
          log.debug("rehearsal of a takeover for {} did not take over", c.name());
        }
      } catch (IOException | RuntimeException e) {
        // Only start-up speed is at stake: the real router must start regardless.
        log.debug("rehearsal of a takeover failed: {}", e.toString());
      }
    }
    return played;
  }

  /**
   * Plays the takeover; true when the backup became master and sent adverts, so the code that
   * matters did run.
   */
  static boolean takeover(boolean ipv6, int version, Duration interval) throws IOException {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    SimulatedNetwork network = new SimulatedNetwork(loop, 1);
    VrrpRouter master = router(loop, network, ipv6, version, interval, 1, 200);
    VrrpRouter backup = router(loop, network, ipv6, version, interval, 2, 100);
    try {
      master.start();
      backup.start();
      loop.advanceBy(interval.multipliedBy(5));
      master.closeAbruptly();
      loop.advanceBy(interval.multipliedBy(5));
      VrrpInstance took = backup.instance(NAME);
      return took.role() == org.failover4j.api.Role.MASTER && took.statistics().advertsSent() > 0;
    } finally {
      backup.close(Duration.ZERO);
      master.close(Duration.ZERO);
    }
  }

  private static VrrpRouter router(
      VirtualTimeEventLoop loop,
      SimulatedNetwork network,
      boolean ipv6,
      int version,
      Duration interval,
      int host,
      int priority)
      throws IOException {
    InetAddress address = InetAddress.getByName(ipv6 ? "fe80::" + host : "192.0.2." + host);
    SimulatedHost simulated = network.addHost("r" + host, address);
    VrrpInstanceConfig config =
        VrrpInstanceConfig.builder(NAME)
            .iface(IFACE)
            .vrid(1)
            .version(version)
            .priority(priority)
            .advertInterval(interval)
            .virtualAddress(ipv6 ? "2001:db8::100/64" : "192.0.2.100/24")
            .build();
    return VrrpRouter.builder()
        .platform(new SimulatedPlatform(loop).attach(IFACE, simulated))
        .instance(config)
        .rehearse(false)
        .build();
  }
}
