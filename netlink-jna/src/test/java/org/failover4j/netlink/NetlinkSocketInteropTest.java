package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.junit.jupiter.api.Test;

/** Multicast groups, overflow reporting and user multicast, in a lab host's namespace. */
@Interop
class NetlinkSocketInteropTest {

  private static final int RTM_NEWADDR = 20;
  private static final int RTNLGRP_LINK = 1;
  private static final int RTNLGRP_IPV4_IFADDR = 5;
  private static final int IFA_LOCAL = 2;

  private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());

  /** Every message of type {@code type} received within {@code millis}: IFA_LOCAL as hex. */
  private List<String> addressEvents(NetlinkSocket socket, int millis) throws Exception {
    List<String> found = new ArrayList<>();
    long deadline = System.nanoTime() + millis * 1_000_000L;
    NetlinkMessageCursor cursor = new NetlinkMessageCursor();
    NetlinkAttributes attrs = new NetlinkAttributes();
    while (System.nanoTime() < deadline) {
      int n = socket.receive(in.clear());
      if (n == 0) {
        Thread.sleep(10);
        continue;
      }
      cursor.wrap(in, 0, n);
      while (cursor.next()) {
        if (cursor.message().type() == RTM_NEWADDR
            && cursor.message().attributes(8, attrs).find(IFA_LOCAL)) {
          found.add(Golden.hex(in, attrs.valueOffset(), attrs.valueLength()));
        }
      }
    }
    return found;
  }

  @Test
  void addMembershipDeliversAddressEventsUntilLeft(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    try (NetlinkSocket socket = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE))) {
      socket.joinGroup(RTNLGRP_IPV4_IFADDR);
      host.run("ip", "addr", "add", "192.0.2.200/24", "dev", "eth0");
      assertEquals(List.of("c00002c8"), addressEvents(socket, 300));
      assertEquals(0, socket.lastSourcePortId(), "sent by the kernel");
      socket.leaveGroup(RTNLGRP_IPV4_IFADDR);
      host.run("ip", "addr", "add", "192.0.2.201/24", "dev", "eth0");
      assertEquals(List.of(), addressEvents(socket, 200));
    }
  }

  @Test
  void aQueueOverflowIsReportedNotHidden(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    try (NetlinkSocket socket =
        host.call(
            () ->
                NetlinkSocket.open(
                    Netlink.NETLINK_ROUTE, Netlink.groupMask(RTNLGRP_IPV4_IFADDR)))) {
      socket.setReceiveBufferSize(1); // the kernel's minimum
      for (int i = 0; i < 40; i++) {
        host.run("ip", "addr", "add", "192.0.2." + (100 + i) + "/24", "dev", "eth0");
      }
      int before = 0;
      EventsLostException lost = null;
      while (lost == null) {
        try {
          int n = socket.receive(in.clear());
          assertTrue(n > 0, "the queue ran dry without an overflow report");
          before++;
        } catch (EventsLostException e) {
          lost = e;
        }
      }
      assertEquals(Errno.ENOBUFS, lost.errno());
      assertTrue(before < 40, "some events were lost");
      // The socket carries on: the next event arrives.
      while (socket.receive(in.clear()) > 0) {
        // drain what was queued
      }
      host.run("ip", "addr", "add", "192.0.2.250/24", "dev", "eth0");
      assertEquals(List.of("c00002fa"), addressEvents(socket, 300));
    }
  }

  @Test
  void userSpaceCanMulticastToAGroup(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    try (NetlinkSocket listener =
            host.call(
                () -> NetlinkSocket.open(Netlink.NETLINK_ROUTE, Netlink.groupMask(RTNLGRP_LINK)));
        NetlinkSocket sender = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE))) {
      ByteBuffer noop = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
      new NetlinkMessageWriter()
          .wrap(noop)
          .begin(Netlink.NLMSG_NOOP, 0, 77, sender.portId())
          .putS32(0x600dcafe)
          .end();
      sender.multicast(noop.flip(), RTNLGRP_LINK);
      int n = 0;
      for (int i = 0; i < 50 && n == 0; i++) {
        n = listener.receive(in.clear());
        Thread.sleep(n == 0 ? 10 : 0);
      }
      NetlinkMessage m = new NetlinkMessage().wrap(in, 0, n);
      assertEquals(Netlink.NLMSG_NOOP, m.type());
      assertEquals(0x600dcafe, m.s32(0));
      assertEquals(sender.portId(), listener.lastSourcePortId());
      assertEquals(Netlink.groupMask(RTNLGRP_LINK), listener.lastSourceGroups());
      assertThrows(IllegalArgumentException.class, () -> sender.multicast(noop.flip(), 33));
    }
  }
}
