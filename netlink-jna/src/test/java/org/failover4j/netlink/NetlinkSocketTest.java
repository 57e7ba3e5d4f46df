package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generic socket against the kernel's rtnetlink, reading only (no privileges needed): dumps,
 * requests, sequence matching, errors, options and closing.
 */
class NetlinkSocketTest {

  private static final int RTM_GETLINK = 18;
  private static final int RTM_NEWLINK = 16;
  private static final int IFLA_IFNAME = 3;

  private final ByteBuffer request = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());
  private final NetlinkMessageWriter writer = new NetlinkMessageWriter();

  private ByteBuffer getLink(int index, String name) {
    writer.wrap(request.clear()).begin(RTM_GETLINK, 0).putZeros(4).putS32(index).putZeros(8);
    if (name != null) {
      writer.attributeString(IFLA_IFNAME, name);
    }
    writer.end();
    return request.flip();
  }

  private static String ifname(NetlinkMessage m) {
    NetlinkAttributes a = m.attributes(16, new NetlinkAttributes());
    return a.find(IFLA_IFNAME) ? a.string() : null;
  }

  @Test
  void aDumpHandsOverEveryPartAndEndsAtDone() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      assertEquals(Netlink.NETLINK_ROUTE, socket.protocol());
      assertNotEquals(0, socket.portId());
      List<String> names = new ArrayList<>();
      socket.dump(
          "RTM_GETLINK dump",
          getLink(0, null),
          reply -> {
            assertEquals(RTM_NEWLINK, reply.type());
            assertEquals(socket.portId(), reply.portId());
            names.add(ifname(reply));
          });
      assertTrue(names.contains("lo"), names.toString());
      // The request buffer got the flags and the sequence number.
      NetlinkMessage sent = new NetlinkMessage().wrap(request, 0, request.limit());
      assertTrue(sent.hasFlags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP));
      assertNotEquals(0, sent.sequence());
    }
  }

  @Test
  void repliesToAnAbandonedRequestAreSkipped() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      // A dump nobody reads: its replies wait in the socket ahead of the next request's.
      writer
          .wrap(request.clear())
          .begin(RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 0x5eed, 0)
          .putZeros(16)
          .end();
      socket.send(request.flip());
      List<Integer> sequences = new ArrayList<>();
      List<String> names = new ArrayList<>();
      socket.request(
          "RTM_GETLINK lo",
          getLink(0, "lo"),
          reply -> {
            sequences.add(reply.sequence());
            names.add(ifname(reply));
          });
      assertEquals(List.of("lo"), names);
      assertFalse(sequences.contains(0x5eed));
    }
  }

  @Test
  void aKernelErrorBecomesASpecificException() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      ErrnoException e =
          assertThrows(
              ErrnoException.class,
              () -> socket.request("RTM_GETLINK nosuchlink0", getLink(0, "nosuchlink0"), r -> {}));
      assertInstanceOf(NoSuchDeviceException.class, e);
      assertEquals(Errno.ENODEV, e.errno());
      assertTrue(e.getMessage().startsWith("RTM_GETLINK nosuchlink0: ENODEV (No such device)"));
      // The socket stays usable after an error.
      List<String> names = new ArrayList<>();
      socket.request("RTM_GETLINK 1", getLink(1, null), r -> names.add(ifname(r)));
      assertEquals(1, names.size());
    }
  }

  @Test
  void requestsMustHoldExactlyOneMessage() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      ByteBuffer twoMessages = ByteBuffer.allocateDirect(128).order(ByteOrder.nativeOrder());
      writer.wrap(twoMessages).begin(RTM_GETLINK, 0).putZeros(16).end();
      writer.begin(RTM_GETLINK, 0).putZeros(16).end();
      assertThrows(
          IllegalArgumentException.class, () -> socket.request("two", twoMessages.flip(), r -> {}));
      assertThrows(IllegalArgumentException.class, () -> socket.setReplyTimeout(Duration.ZERO));
    }
  }

  @Test
  void heapBuffersWorkThroughTheSocketsOwnNativeMemory() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      ByteBuffer heap = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
      writer
          .wrap(heap)
          .begin(RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, 9, 0)
          .putZeros(16)
          .end();
      socket.send(heap.flip());
      assertEquals(heap.limit(), heap.position());
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      int n = socket.receive(in);
      assertTrue(n > 0);
      assertEquals(n, in.position());
      assertEquals(0, socket.lastSourcePortId(), "from the kernel");
      NetlinkMessage first = new NetlinkMessage().wrap(in, 0, n);
      assertEquals(9, first.sequence());
      while (socket.receive(in.clear()) > 0) {
        // drain the dump
      }
      assertEquals(0, socket.receive(in.clear()), "nothing waiting");
    }
  }

  @Test
  void aDatagramLargerThanTheBufferIsAnError() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      writer
          .wrap(request.clear())
          .begin(RTM_GETLINK, Netlink.NLM_F_REQUEST)
          .putZeros(4)
          .putS32(1)
          .putZeros(8)
          .end();
      socket.send(request.flip());
      ByteBuffer tiny = ByteBuffer.allocateDirect(16);
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> socket.receive(tiny));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void theReceiveBufferCanBeRaised() throws Exception {
    long rmemMax = Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).strip());
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      int asked = 1 << 20;
      socket.setReceiveBufferSize(asked);
      // The kernel doubles the value; without CAP_NET_ADMIN it caps it at rmem_max first.
      assertTrue(
          socket.receiveBufferSize() >= 2 * Math.min(asked, rmemMax),
          "granted " + socket.receiveBufferSize());
    }
  }

  @Test
  void groupsCanBeJoinedAndLeft() throws Exception {
    try (NetlinkSocket socket =
        NetlinkSocket.open(Netlink.NETLINK_ROUTE, Netlink.groupMask(1) | Netlink.groupMask(3))) {
      assertEquals(java.util.Set.of(1, 3), socket.memberships(), "bound with a mask");
      socket.joinGroup(5);
      socket.joinGroup(33); // above the bind mask's 32 bits: the second word of the bitmap
      assertEquals(List.of(1, 3, 5, 33), List.copyOf(socket.memberships()));
      socket.leaveGroup(5);
      socket.leaveGroup(1);
      assertEquals(List.of(3, 33), List.copyOf(socket.memberships()));
      socket.leaveGroup(3);
      socket.leaveGroup(33);
      assertTrue(socket.memberships().isEmpty());
    }
    try (NetlinkSocket none = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      assertTrue(none.memberships().isEmpty(), "a request socket is in no group");
    }
  }

  @Test
  void closeReleasesTheDescriptorOnce() throws Exception {
    NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    int fd = socket.fd();
    assertTrue(Descriptors.isOpen(fd));
    socket.close();
    assertFalse(socket.isOpen());
    assertEquals(-1, socket.fd());
    socket.close();
    assertThrows(ClosedChannelException.class, () -> socket.receive(ByteBuffer.allocateDirect(16)));
    assertThrows(ClosedChannelException.class, () -> socket.send(getLink(1, null)));
    assertTrue(socket.toString().contains("closed"), socket.toString());
  }

  @Test
  void sequenceNumbersAdvanceAndSkipZero() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      int a = socket.nextSequence();
      int b = socket.nextSequence();
      assertEquals(a + 1, b);
      assertNotEquals(0, a);
    }
  }
}
