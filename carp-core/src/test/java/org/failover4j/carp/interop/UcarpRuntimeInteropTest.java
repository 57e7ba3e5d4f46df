package org.failover4j.carp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.failover4j.api.Role;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.election.CarpTiming;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.lab.Ucarp;
import org.failover4j.lab.UcarpConfig;
import org.junit.jupiter.api.Test;

/**
 * A failover4j {@link CarpHost} on the real kernel (netlink-jna's platform, in a lab namespace)
 * against ucarp 1.5.2 on the same LAN: ucarp master and failover4j backup, then the reverse. Each
 * side takes over when the other is frozen or unplugged; ucarp's up/down scripts and failover4j's
 * callbacks agree at every point on who holds the address.
 */
@Interop(peers = {"ucarp"})
class UcarpRuntimeInteropTest {

  private static final String VIP = "192.0.2.100";
  private static final long MASTER_DOWN_100 = CarpTiming.masterDownNanos(1, 100) / 1_000_000;

  private static UcarpConfig ucarp(Host host, Lan lan, int advskew) {
    return new UcarpConfig()
        .iface(host.iface(lan))
        .sourceAddress(host.ipv4(lan).getHostAddress())
        .vhid(10)
        .password("s3cr3t")
        .virtualAddress(VIP, 24)
        .advbase(1)
        .advskew(advskew);
  }

  private static boolean holds(Host host, Lan lan) throws Exception {
    return host.hasAddress(host.iface(lan), InetAddress.getByName(VIP));
  }

  @Test
  void ucarpMasterJavaBackupThenJavaTakesOverFromAFrozenUcarp(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host uc = lab.host("uc", lan);
    Host java = lab.host("java", lan);
    try (Ucarp ucarp = Ucarp.start(uc, ucarp(uc, lan, 0))) {
      ucarp.awaitMaster(Duration.ofSeconds(15));
      try (JavaCarp carp = new JavaCarp(java, lan, 100, false, CounterMode.UCARP_COMPATIBLE)) {
        Thread.sleep(6_000);
        assertEquals(Role.BACKUP, carp.host.role(), carp.events.toString());
        assertTrue(holds(uc, lan), ucarp.log());
        assertFalse(holds(java, lan));
        assertTrue(
            carp.host.statistics().advertsReceived() >= 5,
            "" + carp.host.statistics().advertsReceived());

        long frozenAt = System.currentTimeMillis();
        ucarp.process().signal("STOP");
        try {
          assertTrue(
              carp.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)), carp.events.toString());
          long took = carp.becameMasterAtMillis() - frozenAt;
          System.out.println("failover4j took over " + took + " ms after ucarp froze");
          assertTrue(took <= MASTER_DOWN_100 + 50, took + " ms, master down " + MASTER_DOWN_100);
          assertTrue(holds(java, lan));
        } finally {
          ucarp.process().signal("CONT");
        }
        // Thawed, ucarp (advskew 0) is the preferred master again: failover4j steps down for its
        // advert and removes the address; ucarp hears failover4j's slower one and stays.
        assertTrue(
            waitUntil(() -> carp.host.role() == Role.BACKUP, 10_000), carp.events.toString());
        assertFalse(holds(java, lan));
        assertTrue(holds(uc, lan), ucarp.log());
      }
    }
  }

  @Test
  void javaMasterUcarpBackupThenUcarpTakesOverWhenJavaLeaves(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host uc = lab.host("uc", lan);
    Host java = lab.host("java", lan);
    JavaCarp carp = new JavaCarp(java, lan, 0, false, CounterMode.UCARP_COMPATIBLE);
    try (Ucarp ucarp = Ucarp.start(uc, ucarp(uc, lan, 100))) {
      assertTrue(carp.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      Thread.sleep(6_000);
      String log = ucarp.log();
      assertFalse(log.contains("ucarp-up"), "ucarp took over from a faster master:\n" + log);
      assertFalse(log.contains("Bad digest"), log);
      assertTrue(holds(java, lan));
      assertFalse(holds(uc, lan));

      // Graceful: failover4j leaves with 255/255 and ucarp takes over at once.
      long leftAt = System.currentTimeMillis();
      carp.close();
      ucarp.awaitMaster(Duration.ofSeconds(3));
      long took = System.currentTimeMillis() - leftAt;
      System.out.println("ucarp took over " + took + " ms after failover4j left");
      assertTrue(took < 1_500, took + " ms after the leaving advert");
      assertTrue(waitUntil(() -> holdsQuietly(uc, lan), 2_000), ucarp.log());
      assertFalse(holds(java, lan), "failover4j removed its address on close");
    } finally {
      carp.close();
    }
  }

  @Test
  void ucarpTakesOverFromAnUnpluggedJavaMasterAndStepsDownWhenItReturns(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host uc = lab.host("uc", lan);
    Host java = lab.host("java", lan);
    // Unplugged, failover4j leaves the election (OpenBSD's link rule) and comes back as a backup,
    // which preemption makes master again.
    try (JavaCarp carp = new JavaCarp(java, lan, 0, true, CounterMode.UCARP_COMPATIBLE);
        Ucarp ucarp = Ucarp.start(uc, ucarp(uc, lan, 100))) {
      assertTrue(carp.host.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      Thread.sleep(3_000);
      long unpluggedAt = System.currentTimeMillis();
      lan.unplug(java);
      assertTrue(carp.host.awaitRole(Role.FAULT, Duration.ofSeconds(2)), carp.events.toString());
      ucarp.awaitMaster(Duration.ofSeconds(10));
      long took = System.currentTimeMillis() - unpluggedAt;
      System.out.println("ucarp took over " + took + " ms after failover4j was unplugged");
      // ucarp checks its timers only when its poll wakes (every advbase + advskew/256 s), so it
      // is up to one of its intervals late on the master-down time.
      assertTrue(took <= MASTER_DOWN_100 + 1_400 + 200, took + " ms");
      assertTrue(waitUntil(() -> holdsQuietly(uc, lan), 2_000), ucarp.log());
      lan.plug(java);
      ucarp.process().awaitOutput("Preferred master advertised", Duration.ofSeconds(10));
      assertTrue(waitUntil(() -> !holdsQuietly(uc, lan), 3_000), ucarp.log());
      assertTrue(carp.host.awaitRole(Role.MASTER, Duration.ofSeconds(3)), carp.events.toString());
      assertTrue(holds(java, lan));
    }
  }

  private static boolean holdsQuietly(Host host, Lan lan) {
    try {
      return holds(host, lan);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean waitUntil(java.util.function.BooleanSupplier condition, long millis)
      throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }
}
