package org.failover4j.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;

/** Link notifications from a lab host's kernel while the test changes its links with {@code ip}. */
@Interop
class LinkMonitorInteropTest {

  private final BlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
  private final List<LinkEvent> seen = new ArrayList<>();

  /** Waits for the first event matching {@code wanted}, skipping others (they are kept in seen). */
  @SuppressWarnings("unchecked")
  private <E extends LinkEvent> E await(Class<E> type, Predicate<E> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      LinkEvent e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e == null) {
        continue;
      }
      seen.add(e);
      if (type.isInstance(e) && wanted.test((E) e)) {
        return (E) e;
      }
    }
    throw new AssertionError("no matching " + type.getSimpleName() + "; saw " + seen);
  }

  @Test
  void reportsTheLinksThenUpDownAndCarrierChanges(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    int eth0 = host.ifindex("eth0");
    try (PollEventLoop loop = PollEventLoop.start("links");
        LinkMonitor monitor = host.call(() -> LinkMonitor.open(loop, events::add))) {
      await(LinkEvent.Changed.class, c -> c.previous() == null && c.current().name().equals("lo"));
      LinkEvent.Changed initial =
          await(LinkEvent.Changed.class, c -> c.previous() == null && c.current().index() == eth0);
      assertTrue(initial.current().isUp());
      assertTrue(initial.current().hasCarrier());

      host.linkDown(lan);
      LinkEvent.Changed down = await(LinkEvent.Changed.class, LinkEvent.Changed::wentDown);
      assertEquals(eth0, down.current().index());
      assertEquals(OperState.DOWN, down.current().operState());
      assertFalse(monitor.link(eth0).orElseThrow().isUp());

      host.linkUp(lan);
      LinkEvent.Changed up = await(LinkEvent.Changed.class, LinkEvent.Changed::wentUp);
      assertEquals(eth0, up.current().index());

      lan.unplug(host); // the switch side goes down: the host loses carrier
      LinkEvent.Changed lost =
          await(LinkEvent.Changed.class, c -> c.carrierChanged() && !c.current().hasCarrier());
      assertEquals(eth0, lost.current().index());
      assertTrue(lost.current().isUp(), "still administratively up");
      assertFalse(lost.current().operState() == OperState.UP, lost.toString());

      lan.plug(host);
      await(LinkEvent.Changed.class, c -> c.carrierChanged() && c.current().hasCarrier());

      host.run(
          "ip", "link", "add", "link", "eth0", "name", "mv0", "type", "macvlan", "mode", "private");
      LinkEvent.Changed added =
          await(
              LinkEvent.Changed.class,
              c -> c.previous() == null && c.current().name().equals("mv0"));
      assertEquals("macvlan", added.current().kind());
      host.run("ip", "link", "del", "mv0");
      LinkEvent.Removed removed =
          await(LinkEvent.Removed.class, r -> r.last().name().equals("mv0"));
      assertEquals(added.current().index(), removed.last().index());
      assertTrue(monitor.link("mv0").isEmpty());
    }
  }

  @Test
  void lostEventsAreReportedAndRepaired(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host host = lab.host("a", lan);
    host.run(
        "ip", "link", "add", "link", "eth0", "name", "mv0", "type", "macvlan", "mode", "private");
    int mv0 = host.ifindex("mv0");
    try (PollEventLoop loop = PollEventLoop.start("links");
        // The smallest buffer the kernel allows: a burst of notifications overflows it.
        LinkMonitor monitor = host.call(() -> LinkMonitor.open(loop, events::add, 1));
        RtNetlink rt = host.call(RtNetlink::open)) {
      await(LinkEvent.Changed.class, c -> c.previous() == null && c.current().index() == mv0);
      assertFalse(monitor.link(mv0).orElseThrow().isUp());

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      loop.execute(
          () -> {
            blocked.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertTrue(blocked.await(5, TimeUnit.SECONDS));
      for (int i = 0; i < 50; i++) {
        rt.setUp(mv0, true);
        rt.setUp(mv0, false);
      }
      rt.setUp(mv0, true); // the final state, which the repair must find
      release.countDown();

      await(LinkEvent.EventsLost.class, e -> true);
      await(LinkEvent.Changed.class, c -> c.current().index() == mv0 && c.current().isUp());
      assertTrue(monitor.link(mv0).orElseThrow().isUp());
    }
  }
}
