package org.failover4j.netlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.AddressText;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.RawSocketOption;
import org.junit.jupiter.api.Test;

/**
 * The kernel platform's one protocol-112 socket per interface, shared by VRRP and CARP owners: each
 * owner receives only its own datagrams, and sends the kernel refuses or cannot queue are counted.
 */
@Interop(peers = {})
class SharedAdvertSocketInteropTest {

  private static final int ID = 9;

  @Test
  void vrrpAndCarpOwnersOnOneInterfaceEachGetOnlyTheirOwn(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host sender = lab.host("sender", lan);
    Host node = lab.host("node", lan);
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      List<String> vrrp2 = new ArrayList<>();
      List<String> vrrp3 = new ArrayList<>();
      List<String> carp = new ArrayList<>();
      OnLoop.call(
          platform,
          () -> {
            String eth0 = node.iface(lan);
            platform.openAdvertChannel(
                eth0, IpFamily.IPV4, AdvertOwner.vrrp(2, ID), d -> vrrp2.add(shape(d)));
            platform.openAdvertChannel(
                eth0, IpFamily.IPV4, AdvertOwner.vrrp(3, ID), d -> vrrp3.add(shape(d)));
            platform.openAdvertChannel(
                eth0, IpFamily.IPV4, AdvertOwner.carp(ID), d -> carp.add(shape(d)));
            return null;
          });

      sender.call(
          () -> {
            try (RawIpSocket s = RawIpSocket.open(StandardProtocolFamily.INET, IpProtocol.VRRP)) {
              int ifindex = sender.ifindex(sender.iface(lan));
              s.setOption(RawSocketOption.MULTICAST_INTERFACE, ifindex);
              s.setOption(RawSocketOption.MULTICAST_HOPS, 255);
              IpDestination group = IpDestination.of(IpFamily.IPV4.advertGroup(), ifindex);
              s.send(payload(36, 0x21, ID, 7), group); // CARP
              s.send(payload(35, 0x21, ID, 7), group); // one byte short: VRRPv2
              s.send(payload(37, 0x21, ID, 7), group); // one byte long: VRRPv2
              s.send(payload(36, 0x21, ID, 5), group); // VRRPv2 with five addresses
              s.send(payload(36, 0x31, ID, 7), group); // VRRPv3 with seven addresses
              s.send(payload(36, 0x21, ID + 1, 7), group); // CARP nobody here runs
              s.send(payload(40, 0x31, ID + 1, 1), group); // VRRPv3 nobody here runs
            }
            return null;
          });

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && unclaimed(platform) < 2) {
        Thread.sleep(20);
      }
      List<String> seen2 = OnLoop.call(platform, () -> List.copyOf(vrrp2));
      List<String> seen3 = OnLoop.call(platform, () -> List.copyOf(vrrp3));
      List<String> seenCarp = OnLoop.call(platform, () -> List.copyOf(carp));
      assertEquals(List.of("0x21/36"), seenCarp);
      assertEquals(List.of("0x21/35", "0x21/37", "0x21/36"), seen2);
      assertEquals(List.of("0x31/36"), seen3);
      Map<AdvertDropReason, Long> drops = platform.advertDrops();
      assertEquals(1, drops.get(AdvertDropReason.UNCLAIMED_CARP));
      assertEquals(1, drops.get(AdvertDropReason.UNCLAIMED_VRRP));
    } finally {
      platform.close();
    }
  }

  @Test
  void aFullSendBufferAndARefusedSendAreCountedNotSent(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host node = lab.host("node", lan);
    String eth0 = node.iface(lan);
    // A token bucket of 8 kbit/s holds what the socket sends, so its send buffer fills up.
    node.run(
        "tc",
        "qdisc",
        "add",
        "dev",
        eth0,
        "root",
        "tbf",
        "rate",
        "8kbit",
        "burst",
        "1600",
        "limit",
        "10000000");
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      int[] outcomes =
          OnLoop.call(
              platform,
              () -> {
                AdvertChannel channel =
                    platform.openAdvertChannel(
                        eth0, IpFamily.IPV4, AdvertOwner.vrrp(3, ID), d -> {});
                int group = channel.addDestination(IpFamily.IPV4.advertGroup(), null);
                ByteBuffer datagram = datagram(node.ipv4(lan));
                int[] counts = new int[SendOutcome.values().length];
                for (int i = 0; i < 3000; i++) {
                  counts[channel.send(datagram, 0, datagram.limit(), group).ordinal()]++;
                }
                return counts;
              });
      assertTrue(outcomes[SendOutcome.SENT.ordinal()] > 0, "some went out");
      assertTrue(outcomes[SendOutcome.BUFFER_FULL.ordinal()] > 0, "the buffer filled up");
      assertEquals(
          outcomes[SendOutcome.BUFFER_FULL.ordinal()],
          platform.advertDrops().get(AdvertDropReason.SEND_BUFFER_FULL));

      node.run("ip", "link", "set", eth0, "down");
      SendOutcome whileDown =
          OnLoop.call(
              platform,
              () -> {
                AdvertChannel channel =
                    platform.openAdvertChannel(eth0, IpFamily.IPV4, AdvertOwner.carp(ID), d -> {});
                int group = channel.addDestination(IpFamily.IPV4.advertGroup(), null);
                ByteBuffer datagram = datagram(node.ipv4(lan));
                return channel.send(datagram, 0, datagram.limit(), group);
              });
      assertEquals(SendOutcome.REFUSED, whileDown);
      assertEquals(1, platform.advertDrops().get(AdvertDropReason.SEND_REFUSED));
    } finally {
      platform.close();
    }
  }

  @Test
  void whatTheKernelDropsFromAFullQueueIsCountedAsReceiveQueueOverflow(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host sender = lab.host("sender", lan);
    Host node = lab.host("node", lan);
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      OnLoop.call(
          platform,
          () -> {
            platform.openAdvertChannel(
                node.iface(lan), IpFamily.IPV4, AdvertOwner.vrrp(3, 1), d -> {});
            return null;
          });
      // A flood while the loop is busy: far more than one instance's buffer holds.
      CountDownLatch sent = new CountDownLatch(1);
      platform
          .eventLoop()
          .execute(
              () -> {
                try {
                  sent.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      try {
        sendAdverts(sender, lan, IpFamily.IPV4, 5_000);
        Thread.sleep(300);
      } finally {
        sent.countDown();
      }
      Thread.sleep(300);
      // The kernel reports its total with the next datagram it queues.
      sendAdverts(sender, lan, IpFamily.IPV4, 1);
      Thread.sleep(300);
      long kernel = rawDrops(node.run("cat", "/proc/net/raw").stdout());
      long counted =
          OnLoop.call(
              platform, () -> platform.advertDrops().get(AdvertDropReason.RECEIVE_QUEUE_OVERFLOW));
      System.out.printf("receive queue overflow: kernel %d, counted %d%n", kernel, counted);
      assertTrue(kernel > 0, "the flood overflowed the queue");
      assertEquals(kernel, counted, "every datagram the kernel dropped is counted");
    } finally {
      platform.close();
    }
  }

  @Test
  void theReceiveBufferHoldsABurstOfOneAdvertPerInstance(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host sender = lab.host("sender", lan);
    Host node = lab.host("node", lan);
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    int instances = 600;
    try {
      OnLoop.call(
          platform,
          () -> {
            for (int i = 0; i < instances; i++) {
              AdvertOwner owner =
                  i < 255
                      ? AdvertOwner.vrrp(3, i + 1)
                      : i < 510 ? AdvertOwner.vrrp(2, i - 254) : AdvertOwner.carp(i - 509);
              platform.openAdvertChannel(node.iface(lan), IpFamily.IPV4, owner, d -> {});
            }
            return null;
          });
      // The loop is busy while one advert per instance arrives, and more: the kernel must queue
      // them all (its default buffer holds about 270).
      CountDownLatch sent = new CountDownLatch(1);
      platform
          .eventLoop()
          .execute(
              () -> {
                try {
                  sent.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      try {
        sendAdverts(sender, lan, IpFamily.IPV4, 2 * instances);
        // Delivery through the bridge is asynchronous: let it finish before counting.
        Thread.sleep(300);
        assertEquals(0, rawDrops(node.run("cat", "/proc/net/raw").stdout()));
      } finally {
        sent.countDown();
      }
    } finally {
      platform.close();
    }
  }

  @Test
  void ipv6AdvertsLeaveFromABoundLinkLocalSocketThatReceivesNothing(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host sender = lab.host("sender", lan);
    Host node = lab.host("node", lan);
    String eth0 = node.iface(lan);
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      List<String> received = new ArrayList<>();
      AdvertChannel channel =
          OnLoop.call(
              platform,
              () ->
                  platform.openAdvertChannel(
                      eth0, IpFamily.IPV6, AdvertOwner.vrrp(3, ID), d -> received.add(shape(d))));
      int group =
          OnLoop.call(platform, () -> channel.addDestination(IpFamily.IPV6.advertGroup(), null));
      // The sending socket is bound: /proc/net/raw6 shows a local address that is not ::.
      String raw6 = node.run("cat", "/proc/net/raw6").stdout();
      assertTrue(
          raw6.lines()
              .skip(1)
              .anyMatch(l -> !l.strip().split("\\s+")[1].startsWith("0".repeat(32) + ":")),
          raw6);
      assertTrue(
          OnLoop.call(platform, () -> channel.send(payload(40, 0x31, ID, 1), 0, 40, group))
              .isSent());

      // What arrives still reaches the owner exactly once.
      sendAdverts(sender, lan, IpFamily.IPV6, 5);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && OnLoop.call(platform, received::size) < 5) {
        Thread.sleep(20);
      }
      Thread.sleep(200);
      assertEquals(5, OnLoop.call(platform, received::size));
      assertEquals(0, rawDrops(node.run("cat", "/proc/net/raw6").stdout()));
    } finally {
      platform.close();
    }
  }

  /**
   * An interface that just came up has a tentative link-local address while duplicate address
   * detection runs (a second here): its IPv6 channel opens all the same and sends once the address
   * is usable. Under 240 virtual-MAC instances the bind to the tentative address failed the start,
   * when the platform's macvlans still derived their own; they now get their parent's without DAD
   * ({@code RtNetlinkInteropTest}), so here the macvlan is made with {@code ip}, as a user's is.
   */
  @Test
  void anIpv6ChannelOpensWhileTheLinkLocalAddressIsTentative(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host node = lab.host("node", lan);
    node.run("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=1");
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      node.run(
          "ip",
          "link",
          "add",
          "link",
          node.iface(lan),
          "name",
          "vm9",
          "address",
          String.format("00:00:5e:00:02:%02x", ID),
          "type",
          "macvlan",
          "mode",
          "private");
      node.run("ip", "link", "set", "vm9", "up");
      AdvertChannel channel =
          OnLoop.call(
              platform,
              () ->
                  platform.openAdvertChannel(
                      "vm9", IpFamily.IPV6, AdvertOwner.vrrp(3, ID), d -> {}));
      assertTrue(
          node.run("ip", "-6", "addr", "show", "dev", "vm9", "tentative").stdout().contains("fe80"),
          "the link-local address was still tentative when the channel opened");
      int group =
          OnLoop.call(platform, () -> channel.addDestination(IpFamily.IPV6.advertGroup(), null));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      boolean sent = false;
      while (!sent && System.nanoTime() < deadline) {
        Thread.sleep(50);
        sent =
            node.run("ip", "-6", "addr", "show", "dev", "vm9", "tentative").stdout().isBlank()
                && OnLoop.call(platform, () -> channel.send(payload(40, 0x31, ID, 1), 0, 40, group))
                    .isSent();
      }
      assertTrue(sent, "sent once the link-local address is usable");
    } finally {
      platform.close();
    }
  }

  @Test
  void ipv6UnicastAdvertsLeaveFromTheirFixedSourceOnceItCanBeBound(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host peer = lab.host("peer", lan);
    Host node = lab.host("node", lan);
    String eth0 = node.iface(lan);
    InetAddress source = lan.ipv6(200);
    NetlinkPlatform listening = peer.call(NetlinkPlatform::open);
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      List<InetAddress> sources = new ArrayList<>();
      OnLoop.call(
          listening,
          () ->
              listening.openAdvertChannel(
                  peer.iface(lan),
                  IpFamily.IPV6,
                  AdvertOwner.vrrp(3, ID),
                  d -> sources.add(sourceOf(d))));
      AdvertChannel channel =
          OnLoop.call(
              platform,
              () ->
                  platform.openAdvertChannel(
                      eth0, IpFamily.IPV6, AdvertOwner.vrrp(3, ID), d -> {}));
      int toPeer = OnLoop.call(platform, () -> channel.addDestination(peer.ipv6(lan), source));
      ByteBuffer advert = payload(40, 0x31, ID, 1);

      // Not on the host yet, then tentative while duplicate address detection runs (a second).
      assertEquals(
          SendOutcome.SOURCE_UNAVAILABLE,
          OnLoop.call(platform, () -> channel.send(advert, 0, 40, toPeer)));
      // The lab turns duplicate address detection off; this interface does it again, quickly.
      node.run(
          "sysctl",
          "-qw",
          "net.ipv6.conf." + eth0 + ".accept_dad=1",
          "net.ipv6.conf." + eth0 + ".router_solicitation_delay=0",
          "net.ipv6.neigh." + eth0 + ".retrans_time_ms=200");
      node.run("ip", "addr", "add", AddressText.of(source) + "/64", "dev", eth0);
      assertEquals(
          SendOutcome.SOURCE_UNAVAILABLE,
          OnLoop.call(platform, () -> channel.send(advert, 0, 40, toPeer)));
      // A newer address of the same /64, as a master's virtual address: the kernel would choose it.
      node.run("ip", "addr", "add", AddressText.of(lan.ipv6(100)) + "/64", "dev", eth0, "nodad");
      // The default source stays the host's own, oldest global address.
      assertEquals(
          node.ipv6(lan), OnLoop.call(platform, () -> platform.interfaceState(eth0).ipv6Global()));
      int unavailable = 2;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      SendOutcome outcome = SendOutcome.SOURCE_UNAVAILABLE;
      while (outcome == SendOutcome.SOURCE_UNAVAILABLE && System.nanoTime() < deadline) {
        Thread.sleep(50);
        outcome = OnLoop.call(platform, () -> channel.send(advert, 0, 40, toPeer));
        unavailable += outcome == SendOutcome.SOURCE_UNAVAILABLE ? 1 : 0;
      }
      assertEquals(SendOutcome.SENT, outcome, "sent once the address is no longer tentative");
      assertEquals(unavailable, platform.advertDrops().get(AdvertDropReason.SOURCE_UNAVAILABLE));

      // The bound path allocates nothing per advert (paced, so that every send is taken).
      Thread.sleep(100);
      long[] measured =
          OnLoop.call(
              platform,
              () -> {
                com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long sent = 0;
                for (int i = 0; i < 1_000; i++) {
                  sent += channel.send(advert, 0, 40, toPeer).isSent() ? 1 : 0;
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 1_000; i++) {
                  sent += channel.send(advert, 0, 40, toPeer).isSent() ? 1 : 0;
                }
                // Read before the array is allocated for the answer.
                long after = threads.getCurrentThreadAllocatedBytes();
                return new long[] {after - before, sent};
              });
      assertEquals(2_000, measured[1], "every advert was sent");
      long allocated = measured[0];
      assertEquals(0, allocated, "bytes allocated by 1,000 sends from a fixed source");

      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && OnLoop.call(listening, sources::isEmpty)) {
        Thread.sleep(20);
      }
      List<InetAddress> seen = OnLoop.call(listening, () -> List.copyOf(sources));
      assertTrue(!seen.isEmpty(), "the peer received the adverts");
      assertEquals(List.of(source), seen.stream().distinct().toList());

      // Deleted once bound, it stays the source (the kernel does not check a bound raw socket's
      // source again): the peer goes on seeing the address it knows.
      node.run("ip", "addr", "del", AddressText.of(source) + "/64", "dev", eth0);
      int before = OnLoop.call(listening, sources::size);
      assertEquals(
          SendOutcome.SENT, OnLoop.call(platform, () -> channel.send(advert, 0, 40, toPeer)));
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && OnLoop.call(listening, sources::size) == before) {
        Thread.sleep(20);
      }
      assertEquals(source, OnLoop.call(listening, () -> sources.get(sources.size() - 1)));
    } finally {
      platform.close();
      listening.close();
    }
  }

  @Test
  void aBoundSocketOutOfAllMulticastOrWithTheDropFilterReceivesNoAdverts(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host sender = lab.host("sender", lan);
    Host node = lab.host("node", lan);
    String eth0 = node.iface(lan);
    int index = node.ifindex(eth0);
    InetAddress linkLocal =
        node.call(
            () -> {
              NetlinkPlatform p = NetlinkPlatform.open();
              try {
                return p.interfaceState(eth0).ipv6LinkLocal();
              } finally {
                p.close();
              }
            });
    List<RawIpSocket> sockets = new ArrayList<>();
    try {
      for (int kind = 0; kind < 4; kind++) {
        int k = kind;
        sockets.add(
            node.call(
                () -> {
                  RawIpSocket s = RawIpSocket.open(StandardProtocolFamily.INET6, IpProtocol.VRRP);
                  s.bindToDevice(eth0);
                  if (k == 3) {
                    // The platform's receiving socket: its membership makes the host accept the
                    // group at all.
                    s.joinGroup(IpFamily.IPV6.advertGroup(), index);
                    return s;
                  }
                  s.bind(linkLocal, index);
                  if (k == 1) {
                    s.setOption(RawSocketOption.RECEIVE_ALL_MULTICAST, false);
                  } else if (k == 2) {
                    s.dropEverythingReceived();
                  }
                  return s;
                }));
      }
      sendAdverts(sender, lan, IpFamily.IPV6, 3);
      Thread.sleep(300);
      ByteBuffer buffer = ByteBuffer.allocateDirect(1500);
      org.failover4j.api.platform.ReceivedDatagram meta =
          new org.failover4j.api.platform.ReceivedDatagram();
      assertTrue(sockets.get(3).receive(buffer.clear(), meta), "the member");
      // The kernel's default: a bound raw socket also gets the multicast the host accepts.
      assertTrue(sockets.get(0).receive(buffer.clear(), meta), "default socket");
      assertTrue(!sockets.get(1).receive(buffer.clear(), meta), "IPV6_MULTICAST_ALL 0");
      assertTrue(!sockets.get(2).receive(buffer.clear(), meta), "drop filter");
    } finally {
      sockets.forEach(RawIpSocket::close);
    }
  }

  /** Sends {@code count} VRRPv3-shaped adverts for VRID {@code ID} from {@code sender}. */
  private static void sendAdverts(Host sender, Lan lan, IpFamily family, int count)
      throws Exception {
    sender.call(
        () -> {
          boolean ipv6 = family == IpFamily.IPV6;
          try (RawIpSocket s =
              RawIpSocket.open(
                  ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET,
                  IpProtocol.VRRP)) {
            int ifindex = sender.ifindex(sender.iface(lan));
            s.setOption(RawSocketOption.MULTICAST_INTERFACE, ifindex);
            s.setOption(RawSocketOption.MULTICAST_HOPS, 255);
            if (ipv6) {
              s.setOption(RawSocketOption.CHECKSUM_OFFSET, 6);
            }
            IpDestination to = IpDestination.of(family.advertGroup(), ifindex);
            for (int i = 0; i < count; i++) {
              s.send(payload(40, 0x31, ID, 1), to);
            }
          }
          return null;
        });
  }

  /** The sum of the drops column of /proc/net/raw. */
  private static long rawDrops(String table) {
    long drops = 0;
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].strip().split("\\s+");
      if (f.length > 1) {
        drops += Long.parseLong(f[f.length - 1]);
      }
    }
    return drops;
  }

  private static long unclaimed(NetlinkPlatform platform) {
    Map<AdvertDropReason, Long> drops = platform.advertDrops();
    return drops.get(AdvertDropReason.UNCLAIMED_CARP) + drops.get(AdvertDropReason.UNCLAIMED_VRRP);
  }

  private static InetAddress sourceOf(org.failover4j.api.platform.ReceivedDatagram d) {
    byte[] address = new byte[d.addressLength()];
    d.copySource(address, 0);
    try {
      return InetAddress.getByAddress(address);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first byte and length of the protocol-112 payload, as an owner saw it. */
  private static String shape(org.failover4j.api.platform.ReceivedDatagram d) {
    return String.format("0x%02x/%d", d.buffer().get(d.payloadOffset()) & 0xFF, d.payloadLength());
  }

  private static ByteBuffer payload(int length, int versionType, int id, int byte3) {
    ByteBuffer b = ByteBuffer.allocateDirect(length);
    b.put(0, (byte) versionType).put(1, (byte) id).put(3, (byte) byte3);
    return b;
  }

  /**
   * A 60-byte IPv4 datagram carrying a 40-byte VRRPv3-shaped payload, as the header-including
   * socket wants.
   */
  private static ByteBuffer datagram(InetAddress source) {
    ByteBuffer b = ByteBuffer.allocateDirect(60);
    b.put(Ipv4Header.VERSION_IHL_OFFSET, (byte) 0x45);
    b.putShort(Ipv4Header.TOTAL_LENGTH_OFFSET, (short) 60);
    b.put(Ipv4Header.TTL_OFFSET, (byte) 255);
    b.put(Ipv4Header.PROTOCOL_OFFSET, (byte) IpProtocol.VRRP);
    b.put(Ipv4Header.SOURCE_OFFSET, source.getAddress());
    b.putInt(Ipv4Header.DESTINATION_OFFSET, 0xe0000012);
    b.put(20, (byte) 0x31).put(21, (byte) ID).put(23, (byte) 1);
    return b;
  }
}
