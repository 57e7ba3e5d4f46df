package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.AddressText;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Json;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * VRRP-shaped packets over raw sockets from one lab host to another: what the receiver learns
 * (addresses, interface, TTL / hop limit) is checked against what tshark saw on the bridge.
 */
@Interop(peers = "tshark")
class RawSocketInteropTest {

  private static final InetAddress VRRP_V4 = address("224.0.0.18");
  private static final InetAddress VRRP_V6 = address("ff02::12");

  /** tshark's checksum verdicts ({@code -T fields} prints the number). */
  private static final String BAD = "0";

  private static final String GOOD = "1";

  /** What a receive handler copied out of a socket. */
  private record Received(int protocol, byte[] data, ReceivedDatagram meta) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Registers a handler that drains {@code socket} into {@link #received}. */
  private void receiveOn(PollEventLoop loop, RawIpSocket socket) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    loop.register(
        socket,
        () -> {
          while (true) {
            ReceivedDatagram meta = new ReceivedDatagram();
            buffer.clear();
            if (!socket.receive(buffer, meta)) {
              return;
            }
            byte[] data = new byte[buffer.position()];
            buffer.get(0, data);
            received.add(new Received(socket.protocol(), data, meta));
          }
        });
  }

  private Received next() throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("nothing received");
    }
    return r;
  }

  /** A 20-byte VRRPv2 advert: VRID 7, priority 100, one address, no authentication, 1 s. */
  private static ByteBuffer vrrpV2(InetAddress vip, int authType) {
    ByteBuffer b = ByteBuffer.allocateDirect(20);
    b.put(0, (byte) 0x21).put(1, (byte) 7).put(2, (byte) 100).put(3, (byte) 1);
    b.put(4, (byte) authType).put(5, (byte) 1).put(8, vip.getAddress());
    b.putShort(6, (short) InternetChecksum.finish(InternetChecksum.add(0, b, 0, 20)));
    return b;
  }

  /** A 24-byte VRRPv3 advert for IPv6 with a zero checksum (the kernel fills it in). */
  private static ByteBuffer vrrpV3(InetAddress vip) {
    ByteBuffer b = ByteBuffer.allocateDirect(24);
    b.put(0, (byte) 0x31).put(1, (byte) 7).put(2, (byte) 100).put(3, (byte) 1);
    b.put(5, (byte) 100).put(8, vip.getAddress());
    return b;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] copy = new byte[b.limit()];
    b.get(0, copy);
    return copy;
  }

  private static RawIpSocket receiver(Host host, StandardProtocolFamily family, int protocol)
      throws Exception {
    int ifindex = host.ifindex("eth0");
    return host.call(
        () -> {
          RawIpSocket s = RawIpSocket.open(family, protocol);
          s.bindToDevice("eth0");
          s.setOption(RawSocketOption.RECEIVE_PACKET_INFO, true);
          if (family == StandardProtocolFamily.INET6) {
            s.setOption(RawSocketOption.RECEIVE_HOP_LIMIT, true);
            s.setOption(RawSocketOption.CHECKSUM_OFFSET, 6);
            s.joinGroup(VRRP_V6, ifindex);
          } else {
            s.joinGroup(VRRP_V4, ifindex);
          }
          return s;
        });
  }

  /** An IPv4 protocol-112 sender on host a and a receiver on host b, on one LAN. */
  private record Ipv4Adverts(Lan lan, Host a, Host b, RawIpSocket rx, RawIpSocket tx)
      implements AutoCloseable {

    static Ipv4Adverts open(Lab lab) throws Exception {
      Lan lan = lab.lan("lan0");
      Host a = lab.host("a", lan);
      Host b = lab.host("b", lan);
      RawIpSocket rx = receiver(b, StandardProtocolFamily.INET, 112);
      try {
        return new Ipv4Adverts(lan, a, b, rx, sender(a, StandardProtocolFamily.INET, 112));
      } catch (Exception e) {
        rx.close();
        throw e;
      }
    }

    @Override
    public void close() {
      tx.close();
      rx.close();
    }
  }

  private static RawIpSocket sender(Host host, StandardProtocolFamily family, int protocol)
      throws Exception {
    int ifindex = host.ifindex("eth0");
    return host.call(
        () -> {
          RawIpSocket s = RawIpSocket.open(family, protocol);
          s.bindToDevice("eth0");
          s.setOption(RawSocketOption.MULTICAST_HOPS, 255);
          s.setOption(RawSocketOption.MULTICAST_LOOP, false);
          s.setOption(RawSocketOption.MULTICAST_INTERFACE, ifindex);
          return s;
        });
  }

  @Test
  void aProbeRunsTheSendPathAndNothingLeaves(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    lab.host("b", lan);
    Capture wire = lan.capture("probe", "ip proto 112 or ip6 proto 112");
    try (RawIpSocket tx4 = sender(a, StandardProtocolFamily.INET, 112);
        RawIpSocket tx6 = sender(a, StandardProtocolFamily.INET6, 112)) {
      tx6.setOption(RawSocketOption.CHECKSUM_OFFSET, 6);
      IpDestination to4 = IpDestination.of(VRRP_V4);
      IpDestination to6 = IpDestination.of(VRRP_V6, a.ifindex("eth0"));
      IpDestination unicast4 = IpDestination.of(lan.ipv4(12));
      for (int i = 0; i < 10; i++) {
        ByteBuffer probe = vrrpV2(lan.ipv4(100), 0);
        tx4.probe(probe, to4);
        assertEquals(probe.limit(), probe.position(), "moved as a send moves it");
        tx4.probe(vrrpV2(lan.ipv4(100), 0), unicast4);
        tx6.probe(vrrpV3(lan.ipv6(100)), to6);
      }
      // Then one real advert each: the capture must hold these two and nothing else.
      assertEquals(20, tx4.send(vrrpV2(lan.ipv4(100), 0), to4));
      assertEquals(24, tx6.send(vrrpV3(lan.ipv6(100)), to6));
    }
    assertEquals(
        List.of(List.of("192.0.2.11", "224.0.0.18")),
        wire.fields("ip.proto == 112", "ip.src", "ip.dst"),
        "what left over IPv4");
    assertEquals(1, wire.count("ipv6.nxt == 112"), "what left over IPv6");
  }

  @Test
  void fewerBatchSlotsHoldFewerDatagramsEachWayAndLoseNone(Lab lab) throws Exception {
    try (Ipv4Adverts link = Ipv4Adverts.open(lab)) {
      Lan lan = link.lan();
      RawIpSocket rx = link.rx();
      RawIpSocket tx = link.tx();
      IpDestination group = IpDestination.of(VRRP_V4);
      tx.setBatchSlots(64);
      tx.setBatchSlots(2); // smaller: the queue holds two from now on
      assertTrue(tx.queue(vrrpV2(lan.ipv4(100), 0), group));
      assertTrue(tx.queue(vrrpV2(lan.ipv4(101), 0), group));
      assertFalse(tx.queue(vrrpV2(lan.ipv4(102), 0), group), "a third does not fit");
      assertThrows(IllegalStateException.class, () -> tx.setBatchSlots(4), "queued ones wait");
      assertEquals(2, tx.flush());
      tx.setBatchSlots(3); // larger: a new buffer at the next queue
      for (int i = 2; i < 5; i++) {
        assertTrue(tx.queue(vrrpV2(lan.ipv4(100 + i), 0), group));
      }
      assertEquals(3, tx.flush());
      assertThrows(IllegalArgumentException.class, () -> tx.setBatchSlots(0));
      assertThrows(IllegalArgumentException.class, () -> tx.setBatchSlots(65));

      Thread.sleep(300);
      rx.setBatchSlots(3);
      assertEquals(3, rx.batchSlots());
      ByteBuffer in = ByteBuffer.allocateDirect(1500);
      ReceivedDatagram meta = new ReceivedDatagram();
      List<Integer> batches = new ArrayList<>();
      List<InetAddress> addresses = new ArrayList<>();
      for (int n = rx.receiveBatch(64); n > 0; n = rx.receiveBatch(64)) {
        batches.add(n);
        for (int i = 0; i < n; i++) {
          rx.batched(i, in.clear(), meta);
          byte[] vip = new byte[4];
          in.get(meta.payloadOffset() + 8, vip);
          addresses.add(InetAddress.getByAddress(vip));
        }
      }
      assertEquals(List.of(3, 2), batches, "five datagrams, three slots");
      List<InetAddress> expected = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        expected.add(lan.ipv4(100 + i));
      }
      assertEquals(expected, addresses, "every one, in order");
    }
  }

  @Test
  void whatTheKernelDropsFromAFullReceiveQueueIsReported(Lab lab) throws Exception {
    try (Ipv4Adverts link = Ipv4Adverts.open(lab)) {
      Lan lan = link.lan();
      RawIpSocket rx = link.rx();
      RawIpSocket tx = link.tx();
      rx.setReceiveBufferSize(4096);
      rx.reportReceiveQueueDrops();
      // A flood nobody reads: the queue fills and the kernel drops the rest.
      int sent = 0;
      for (int i = 0; i < 2_000; i++) {
        if (tx.send(vrrpV2(lan.ipv4(100), 0), IpDestination.of(VRRP_V4)) > 0) {
          sent++;
        }
      }
      Thread.sleep(300);
      ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
      ReceivedDatagram meta = new ReceivedDatagram();
      int delivered = 0;
      while (rx.receive(buffer.clear(), meta)) {
        delivered++;
      }
      // The kernel reports its running total with the next datagram queued after the drops.
      assertTrue(tx.send(vrrpV2(lan.ipv4(100), 0), IpDestination.of(VRRP_V4)) > 0);
      sent++;
      Thread.sleep(100);
      while (rx.receive(buffer.clear(), meta)) {
        delivered++;
      }
      long dropped = rx.receiveQueueDrops();
      System.out.printf(
          "SO_RXQ_OVFL: %d sent, %d delivered, %d dropped by the kernel%n",
          sent, delivered, dropped);
      assertTrue(delivered > 0 && delivered < sent, delivered + " of " + sent);
      assertTrue(dropped > 0, "the kernel's drops are reported");
      assertTrue(delivered + dropped <= sent, delivered + " + " + dropped + " > " + sent);
      assertTrue(delivered + dropped >= sent * 9 / 10, "nearly every loss is accounted for");
    }
  }

  @Test
  void ipv4AdvertsArriveWithTheirTtlInterfaceAndAddresses(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Capture wire = lan.capture("vrrp4", "ip proto 112 or ip proto 51");
    InetAddress vip = lan.ipv4(100);
    try (PollEventLoop loop = PollEventLoop.start("rx");
        RawIpSocket rxVrrp = receiver(b, StandardProtocolFamily.INET, 112);
        RawIpSocket rxAh = receiver(b, StandardProtocolFamily.INET, 51);
        RawIpSocket tx = sender(a, StandardProtocolFamily.INET, 112);
        RawIpSocket txAh = sender(a, StandardProtocolFamily.INET, 51)) {
      receiveOn(loop, rxVrrp);
      receiveOn(loop, rxAh);

      // 1. The kernel builds the IPv4 header, with keepalived's TOS.
      tx.setOption(RawSocketOption.TRAFFIC_CLASS, 0xc0);
      ByteBuffer advert = vrrpV2(vip, 0);
      assertEquals(20, tx.send(advert, IpDestination.of(VRRP_V4)));
      assertEquals(advert.limit(), advert.position());
      Received r = next();
      assertEquals(112, r.protocol());
      assertEquals(lan.ipv4(11), r.meta().source());
      assertEquals(VRRP_V4, r.meta().destination());
      assertEquals(b.ifindex("eth0"), r.meta().ifindex());
      assertEquals(255, r.meta().hopLimit());
      assertEquals(20, r.meta().ipHeaderLength());
      assertEquals(40, r.meta().length());
      assertFalse(r.meta().isTruncated());
      assertTrue(r.meta().isMulticast());
      assertArrayEquals(bytes(vrrpV2(vip, 0)), Arrays.copyOfRange(r.data(), 20, 40));

      // 2. IPsec-AH as keepalived sends it: the caller builds the IPv4 header (IP_HDRINCL).
      txAh.setOption(RawSocketOption.HEADER_INCLUDED, true);
      ByteBuffer packet = ByteBuffer.allocateDirect(64);
      packet.put(0, (byte) 0x45).put(1, (byte) 0xc0).putShort(2, (short) 64).putShort(4, (short) 1);
      packet.put(8, (byte) 255).put(9, (byte) 51);
      packet.put(12, lan.ipv4(11).getAddress()).put(16, VRRP_V4.getAddress());
      packet.put(20, (byte) 112).put(21, (byte) 4); // AH: next header VRRP, length 4
      packet.put(24, lan.ipv4(11).getAddress()).putInt(28, 1); // SPI = source, sequence 1
      packet.put(44, bytes(vrrpV2(vip, 2)));
      assertEquals(64, txAh.send(packet, IpDestination.of(VRRP_V4)));
      Received ah = next();
      assertEquals(51, ah.protocol());
      assertEquals(255, ah.meta().hopLimit());
      assertEquals(20, ah.meta().ipHeaderLength());
      assertEquals(lan.ipv4(11), ah.meta().source());
      assertEquals(
          java.nio.ByteBuffer.wrap(lan.ipv4(11).getAddress()).getInt(), ah.meta().sourceIpv4());
      assertEquals(64, ah.data().length);
      assertEquals((byte) 0xc0, ah.data()[1], "our TOS, as sent");
      assertArrayEquals(
          Arrays.copyOfRange(bytes(packet), 20, 64), Arrays.copyOfRange(ah.data(), 20, 64));

      // 3. Unicast to the receiver's own address, from and into heap buffers.
      tx.setOption(RawSocketOption.UNICAST_HOPS, 255);
      ByteBuffer heapAdvert = ByteBuffer.allocate(20).put(bytes(vrrpV2(vip, 0))).flip();
      assertEquals(20, tx.send(heapAdvert, IpDestination.of(lan.ipv4(12))));
      Received unicast = next();
      assertEquals(lan.ipv4(12), unicast.meta().destination());
      assertFalse(unicast.meta().isMulticast());
      byte[] source = new byte[4];
      unicast.meta().copySource(source, 0);
      assertArrayEquals(lan.ipv4(11).getAddress(), source);
      assertTrue(unicast.meta().sourceEquals(lan.ipv4(11).getAddress()));
      assertTrue(unicast.meta().destinationEquals(lan.ipv4(12).getAddress()));
      assertEquals(12, unicast.meta().destinationByte(3));
      assertEquals(4, unicast.meta().addressLength());

      assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing else arrived");

      // 4. Closing the loop closes its sockets, and their group memberships go with them.
      loop.close();
      assertFalse(rxVrrp.isOpen());
      assertFalse(groups(b).contains("224.0.0.18"), groups(b));

      // 5. A socket read from this thread into a heap buffer; its membership as ip sees it.
      try (RawIpSocket plain = receiver(b, StandardProtocolFamily.INET, 112)) {
        assertTrue(groups(b).contains("224.0.0.18"), groups(b));
        tx.send(vrrpV2(vip, 0), IpDestination.of(VRRP_V4));
        ByteBuffer heap = ByteBuffer.allocate(100);
        ReceivedDatagram meta = new ReceivedDatagram();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!plain.receive(heap, meta) && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertEquals(40, heap.position());
        assertEquals(255, meta.hopLimit());
        assertEquals(VRRP_V4, meta.destination());
        plain.leaveGroup(VRRP_V4, b.ifindex("eth0"));
        assertFalse(groups(b).contains("224.0.0.18"), groups(b));
      }
    }
    List<List<String>> rows =
        wire.fields(
            "vrrp",
            "ip.src",
            "ip.dst",
            "ip.ttl",
            "ip.proto",
            "ip.dsfield",
            "ip.id",
            "ip.checksum.status",
            "vrrp.version",
            "vrrp.virt_rtr_id",
            "vrrp.prio",
            "vrrp.ip_addr",
            "vrrp.checksum.status",
            "ah.spi",
            "ah.sequence");
    assertEquals(4, rows.size(), rows.toString());
    assertEquals(List.of("192.0.2.11", "224.0.0.18", "255", "112"), rows.get(3).subList(0, 4));
    assertEquals(
        List.of("192.0.2.11", "224.0.0.18", "255", "112"),
        rows.get(0).subList(0, 4),
        "plain advert");
    assertEquals(List.of("2", "7", "100", "192.0.2.100", GOOD), rows.get(0).subList(7, 12));
    assertEquals(
        List.of("192.0.2.11", "224.0.0.18", "255", "51", "0xc0", "0x0001"),
        rows.get(1).subList(0, 6),
        "AH advert, header as built");
    assertEquals(List.of("0xc000020b", "1"), rows.get(1).subList(12, 14));
    assertEquals(List.of("192.0.2.11", "192.0.2.12", "255", "112"), rows.get(2).subList(0, 4));
    System.out.println("tshark: " + rows);
  }

  @Test
  void ipv6AdvertsGetTheKernelsChecksumAndArriveWithHopLimitAndPacketInfo(Lab lab)
      throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    InetAddress linkLocal = linkLocal(a);
    Capture wire = lan.capture("vrrp6", "ip6 proto 112");
    InetAddress vip = lan.ipv6(100);
    try (PollEventLoop loop = PollEventLoop.start("rx");
        RawIpSocket rx = receiver(b, StandardProtocolFamily.INET6, 112);
        RawIpSocket tx = sender(a, StandardProtocolFamily.INET6, 112);
        RawIpSocket noChecksum = sender(a, StandardProtocolFamily.INET6, 112)) {
      tx.setOption(RawSocketOption.CHECKSUM_OFFSET, 6);
      tx.setOption(RawSocketOption.TRAFFIC_CLASS, 0xc0);
      tx.bind(linkLocal, a.ifindex("eth0")); // the VRRPv3 source: the link-local address
      receiveOn(loop, rx);
      assertEquals(24, tx.send(vrrpV3(vip), IpDestination.of(VRRP_V6, a.ifindex("eth0"))));
      Received r = next();
      assertEquals(linkLocal, r.meta().source());
      assertEquals(VRRP_V6, r.meta().destination());
      assertTrue(r.meta().hasDestination());
      assertEquals(b.ifindex("eth0"), r.meta().ifindex());
      assertEquals(255, r.meta().hopLimit());
      assertEquals(0, r.meta().ipHeaderLength());
      assertEquals(24, r.data().length);
      assertFalse(r.data()[6] == 0 && r.data()[7] == 0, "the kernel filled in the checksum");

      // A wrong checksum from a socket without offload: the receiver's kernel drops it.
      ByteBuffer bad = vrrpV3(vip);
      bad.putShort(6, (short) 0x1234);
      noChecksum.send(bad, IpDestination.of(VRRP_V6, a.ifindex("eth0")));
      assertNull(received.poll(300, TimeUnit.MILLISECONDS), "a bad checksum was delivered");
    }
    List<List<String>> rows =
        wire.fields(
            "vrrp",
            "ipv6.src",
            "ipv6.dst",
            "ipv6.hlim",
            "ipv6.tclass",
            "vrrp.version",
            "vrrp.virt_rtr_id",
            "vrrp.ipv6_addr",
            "vrrp.checksum.status");
    assertEquals(2, rows.size(), rows.toString());
    assertEquals(
        List.of(
            AddressText.of(linkLocal),
            "ff02::12",
            "255",
            "0x000000c0",
            "3",
            "7",
            "2001:db8::100",
            GOOD),
        rows.get(0));
    assertEquals(BAD, rows.get(1).get(7), "tshark sees the bad checksum too");
    System.out.println("tshark: " + rows);
  }

  @Test
  void oneBatchReceivesEveryWaitingAdvertWithItsSourceAndNothingIsAllocated(Lab lab)
      throws Exception {
    try (Ipv4Adverts link = Ipv4Adverts.open(lab)) {
      Lan lan = link.lan();
      RawIpSocket rx = link.rx();
      RawIpSocket tx = link.tx();
      IpDestination group = IpDestination.of(VRRP_V4);
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ByteBuffer advert = vrrpV2(lan.ipv4(100 + i), 0);
        sent.add(bytes(advert));
        assertTrue(tx.send(advert, group) > 0);
      }
      Thread.sleep(300);
      ByteBuffer in = ByteBuffer.allocateDirect(1500);
      ReceivedDatagram meta = new ReceivedDatagram();
      List<Integer> batches = new ArrayList<>();
      int index = 0;
      for (int n = rx.receiveBatch(64); n > 0; n = rx.receiveBatch(64)) {
        batches.add(n);
        for (int i = 0; i < n; i++, index++) {
          rx.batched(i, in.clear(), meta);
          // The IPv4 header comes first on a raw IPv4 socket: the advert follows it.
          byte[] payload = new byte[meta.payloadLength()];
          in.get(meta.payloadOffset(), payload);
          assertArrayEquals(sent.get(index), payload, "advert " + index);
          assertEquals(link.a().ipv4(lan), meta.source());
          assertEquals(link.b().ifindex("eth0"), meta.ifindex());
        }
      }
      assertEquals(List.of(64, 36), batches, "100 adverts in two calls");
      assertThrows(IndexOutOfBoundsException.class, () -> rx.batched(0, in.clear(), meta));

      // Warm up, then the batch path must allocate nothing.
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      ByteBuffer advert = vrrpV2(lan.ipv4(100), 0);
      List<Long> allocated = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 500; i++) {
          for (int k = 0; k < 4; k++) {
            tx.send(advert.clear(), group);
          }
          for (int n = rx.receiveBatch(64); n > 0; n = rx.receiveBatch(64)) {
            for (int j = 0; j < n; j++) {
              rx.batched(j, in.clear(), meta);
            }
          }
        }
        allocated.add(threads.getCurrentThreadAllocatedBytes() - before);
        if (round > 0 && allocated.get(round) == 0) {
          break;
        }
      }
      System.out.println("bytes allocated per round of 500 batches: " + allocated);
      assertEquals(0L, allocated.get(allocated.size() - 1), "never reached 0: " + allocated);
    }
  }

  @Test
  void queuedAdvertsLeaveInOneSendmmsgARefusedOneHoldsNoneBackAndNothingIsAllocated(Lab lab)
      throws Exception {
    try (Ipv4Adverts link = Ipv4Adverts.open(lab)) {
      Lan lan = link.lan();
      RawIpSocket rx = link.rx();
      RawIpSocket tx = link.tx();
      IpDestination group = IpDestination.of(VRRP_V4);
      // Broadcast without SO_BROADCAST: the kernel refuses that one datagram (EACCES).
      IpDestination unreachable = IpDestination.of(address("255.255.255.255"));
      List<byte[]> sent = new ArrayList<>();
      int queued = 0;
      for (int i = 0; i < 64; i++) {
        ByteBuffer advert = vrrpV2(lan.ipv4(100 + i), 0);
        if (i == 10) {
          assertTrue(tx.queue(advert, unreachable));
        } else {
          sent.add(bytes(advert));
          assertTrue(tx.queue(advert, group));
        }
        assertEquals(advert.limit(), advert.position(), "queued bytes are consumed");
        queued++;
      }
      assertFalse(tx.queue(vrrpV2(lan.ipv4(99), 0), group), "64 is a full batch");
      assertEquals(queued, tx.queued());
      assertEquals(63, tx.flush(), "all but the refused one");
      assertEquals(0, tx.queued());
      assertEquals(Errno.EACCES.number(), tx.flushedErrno(10));
      assertEquals(0, tx.flushedErrno(9));
      assertEquals(0, tx.flushedErrno(11));
      assertEquals(0, tx.flushedErrno(63));
      Thread.sleep(300);
      ByteBuffer in = ByteBuffer.allocateDirect(1500);
      ReceivedDatagram meta = new ReceivedDatagram();
      int index = 0;
      for (int n = rx.receiveBatch(64); n > 0; n = rx.receiveBatch(64)) {
        for (int i = 0; i < n; i++, index++) {
          rx.batched(i, in.clear(), meta);
          byte[] payload = new byte[meta.payloadLength()];
          in.get(meta.payloadOffset(), payload);
          assertArrayEquals(sent.get(index), payload, "advert " + index + ", in order");
        }
      }
      assertEquals(63, index, "every advert but the refused one arrived");

      // Warm up, then queueing and flushing must allocate nothing.
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      ByteBuffer advert = vrrpV2(lan.ipv4(100), 0);
      ByteBuffer other = vrrpV2(lan.ipv4(101), 0);
      List<Long> allocated = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 500; i++) {
          for (int k = 0; k < 4; k++) {
            tx.queue((k % 2 == 0 ? advert : other).clear(), group);
          }
          tx.flush();
          for (int n = rx.receiveBatch(64); n > 0; n = rx.receiveBatch(64)) {
            for (int j = 0; j < n; j++) {
              rx.batched(j, in.clear(), meta);
            }
          }
        }
        allocated.add(threads.getCurrentThreadAllocatedBytes() - before);
        if (round > 0 && allocated.get(round) == 0) {
          break;
        }
      }
      System.out.println("bytes allocated per round of 500 flushes of 4: " + allocated);
      assertEquals(0L, allocated.get(allocated.size() - 1), "never reached 0: " + allocated);
    }
  }

  @Test
  void steadyStateSendAndReceiveAllocateNothing(Lab lab) throws Exception {
    try (Ipv4Adverts link = Ipv4Adverts.open(lab)) {
      Lan lan = link.lan();
      RawIpSocket rx = link.rx();
      RawIpSocket tx = link.tx();
      // Two senders' buffers on one socket, as instances sharing an interface's socket.
      ByteBuffer advert = vrrpV2(lan.ipv4(100), 0);
      ByteBuffer other = vrrpV2(lan.ipv4(101), 0);
      ByteBuffer in = ByteBuffer.allocateDirect(2048);
      ReceivedDatagram meta = new ReceivedDatagram();
      IpDestination group = IpDestination.of(VRRP_V4);
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      // The first rounds warm up (class loading, interpreter and C1 code); once the JIT is done
      // the steady state must allocate nothing at all.
      List<Long> allocated = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
          tx.send((i % 2 == 0 ? advert : other).clear(), group);
          while (rx.receive(in.clear(), meta)) {
            // drain
          }
        }
        allocated.add(threads.getCurrentThreadAllocatedBytes() - before);
        if (round > 0 && allocated.get(round) == 0) {
          break;
        }
      }
      System.out.println("bytes allocated per round of 10,000 sends and receives: " + allocated);
      assertEquals(0L, allocated.get(allocated.size() - 1), "never reached 0: " + allocated);
      // Without C2 (the launcher runs C1 only) nothing removes JNA's Pointer: no lookup per send.
      assertEquals(0L, tx.sendAddressLookups());
    }
  }

  /** The multicast groups the host's eth0 belongs to, as {@code ip maddr} prints them. */
  private static String groups(Host host) {
    return host.run("ip", "maddr", "show", "dev", "eth0").stdout();
  }

  private static InetAddress linkLocal(Host host) {
    for (Object link :
        Json.parseArray(host.run("ip", "-j", "-6", "addr", "show", "dev", "eth0").stdout())) {
      for (Object info : Json.list(Json.map(link).get("addr_info"))) {
        Map<String, Object> m = Json.map(info);
        if ("link".equals(m.get("scope")) && m.get("local") != null) {
          return address((String) m.get("local"));
        }
      }
    }
    throw new AssertionError("no link-local address on " + host);
  }
}
