package org.failover4j.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.failover4j.netlink.Descriptors;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;

/** The monitor in the test's own namespace, reading only: the start snapshot and clean closing. */
class LinkMonitorTest {

  @Test
  void startsWithEveryLinkAndClosesItsSockets() throws Exception {
    try (PollEventLoop loop = PollEventLoop.start("monitor")) {
      try (RtNetlink warmUp = RtNetlink.open()) {
        warmUp.links();
      }
      Map<Integer, String> before = Descriptors.open();
      BlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
      List<LinkInfo> expected;
      try (RtNetlink rt = RtNetlink.open()) {
        expected = rt.links();
      }
      LinkMonitor monitor = LinkMonitor.open(loop, events::add);
      for (int i = 0; i < expected.size(); i++) {
        LinkEvent e = events.poll(5, TimeUnit.SECONDS);
        assertTrue(e instanceof LinkEvent.Changed c && c.previous() == null, String.valueOf(e));
      }
      assertEquals(
          expected.stream().map(LinkInfo::name).sorted().toList(),
          monitor.links().stream().map(LinkInfo::name).sorted().toList());
      assertTrue(monitor.link("lo").isPresent());
      monitor.close();
      // The loop releases the event socket on its thread, in a task posted by close().
      java.util.concurrent.CountDownLatch after = new java.util.concurrent.CountDownLatch(1);
      loop.execute(after::countDown);
      assertTrue(after.await(5, TimeUnit.SECONDS));
      assertEquals(before, Descriptors.open(), "descriptors before and after");
    }
  }
}
