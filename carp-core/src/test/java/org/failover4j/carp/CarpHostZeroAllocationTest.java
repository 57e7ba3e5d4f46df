package org.failover4j.carp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import org.failover4j.api.Role;
import org.failover4j.api.VirtualTimeEventLoop;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertDropReason;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.AdvertSink;
import org.failover4j.api.platform.InterfaceState;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.LinkStateListener;
import org.failover4j.api.platform.Platform;
import org.failover4j.api.platform.ReceivedDatagram;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.carp.codec.CarpAdvertEncoder;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.carp.replay.SendCounter;
import org.junit.jupiter.api.Test;

/**
 * A {@link CarpHost}'s steady state allocates nothing: a backup receiving, checking and obeying a
 * master's adverts, and a master sending its periodic adverts. The host runs on a platform that
 * hands datagrams straight to its sink and sends into a fixed buffer, so that only the host's own
 * allocations are counted (bytes, never time).
 */
class CarpHostZeroAllocationTest {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 10_000;

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The smallest platform a CarpHost runs on: one interface, one channel, nothing else. */
  private static final class DirectPlatform implements Platform {
    final VirtualTimeEventLoop loop;
    final ByteBuffer sent = ByteBuffer.allocate(64);
    final InetAddress address;
    final java.net.Inet6Address linkLocal;
    AdvertSink sink;
    long sends;

    DirectPlatform(VirtualTimeEventLoop loop, String address) throws IOException {
      this(loop, address, null);
    }

    DirectPlatform(VirtualTimeEventLoop loop, String address, String linkLocal) throws IOException {
      this.loop = loop;
      this.address = InetAddress.getByName(address);
      this.linkLocal =
          linkLocal == null ? null : (java.net.Inet6Address) InetAddress.getByName(linkLocal);
    }

    @Override
    public VirtualTimeEventLoop eventLoop() {
      return loop;
    }

    @Override
    public InterfaceState interfaceState(String iface) {
      return new InterfaceState(
          iface, 2, new byte[6], true, (Inet4Address) address, linkLocal, null);
    }

    @Override
    public AdvertChannel openAdvertChannel(
        String iface, IpFamily family, AdvertOwner owner, AdvertSink advertSink) {
      this.sink = advertSink;
      return new AdvertChannel() {
        @Override
        public AdvertOwner owner() {
          return owner;
        }

        @Override
        public int addDestination(InetAddress destination, InetAddress source) {
          return 0;
        }

        @Override
        public SendOutcome send(ByteBuffer packet, int offset, int length, int destination) {
          for (int i = 0; i < length; i++) {
            sent.put(i, packet.get(offset + i));
          }
          sends++;
          return SendOutcome.SENT;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Map<AdvertDropReason, Long> advertDrops() {
      return Map.of();
    }

    @Override
    public void addAddress(String iface, InetAddress a, int prefixLength) {}

    @Override
    public void removeAddress(String iface, InetAddress a, int prefixLength) {}

    @Override
    public void announce(String iface, InetAddress a, byte[] mac) {}

    @Override
    public InterfaceState createVirtualMac(String name, String parent, byte[] mac) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public void deleteVirtualMac(String name) {}

    @Override
    public Closeable watchLinks(LinkStateListener listener) {
      return () -> {};
    }

    @Override
    public Closeable watchAddresses(org.failover4j.api.platform.AddressListener listener) {
      return () -> {};
    }

    @Override
    public Executor checkExecutor() {
      return Runnable::run;
    }

    @Override
    public void close() {}
  }

  private static CarpHostConfig config(int advskew) {
    return CarpHostConfig.builder()
        .iface("eth0")
        .vhid(10)
        .passphrase("s3cr3t")
        .virtualAddress("192.0.2.100/24")
        .advskew(advskew)
        .build();
  }

  private long allocatedBy(Runnable step) {
    for (int i = 0; i < WARM_UP; i++) {
      step.run();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < MEASURED; i++) {
      step.run();
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void aBackupReceivingAndAMasterAdvertisingAllocateNothing() throws Exception {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    DirectPlatform backupPlatform = new DirectPlatform(loop, "192.0.2.12");
    CarpHost backup = CarpHost.builder().platform(backupPlatform).config(config(100)).build();
    backup.start();
    CarpKey key =
        CarpKey.of(
            10,
            "s3cr3t".getBytes(StandardCharsets.UTF_8),
            List.of(InetAddress.getByName("192.0.2.100")));
    CarpAdvertEncoder peer = new CarpAdvertEncoder(new CarpHmac(), key);
    SendCounter peerCounter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1));
    ByteBuffer wire = ByteBuffer.allocateDirect(64);
    ReceivedDatagram datagram = new ReceivedDatagram();
    long[] millis = {1_800_000_000_000L};
    Runnable receive =
        () -> {
          peer.encodeIpv4(
              wire, 0, 0xc000020b, 0xe0000012, 1, 1, 0, 0, peerCounter.next(millis[0]++));
          datagram.reset(false);
          datagram.fillIpv4(wire, 0, CarpAdvertEncoder.IPV4_LENGTH, CarpAdvertEncoder.IPV4_LENGTH);
          backupPlatform.sink.received(datagram);
          loop.advanceTo(loop.nanoTime() + 1_000_000L);
        };
    long receiving = allocatedBy(receive);
    assertEquals(Role.BACKUP, backup.role());
    assertEquals(WARM_UP + MEASURED, backup.statistics().advertsReceived());

    DirectPlatform masterPlatform = new DirectPlatform(loop, "192.0.2.11");
    CarpHost master = CarpHost.builder().platform(masterPlatform).config(config(0)).build();
    master.start();
    loop.advanceTo(loop.nanoTime() + 4_000_000_000L);
    assertEquals(Role.MASTER, master.role());
    long interval = 1_000_000_000L;
    long sendsBefore = masterPlatform.sends;
    long advertising = allocatedBy(() -> loop.advanceTo(loop.nanoTime() + interval));
    assertEquals(WARM_UP + MEASURED, masterPlatform.sends - sendsBefore);

    assertTrue(receiving < MEASURED, "receive: " + receiving + " bytes for " + MEASURED);
    assertTrue(advertising < MEASURED, "advertise: " + advertising + " bytes for " + MEASURED);
  }

  @Test
  void unicastPeersReceiveDropStrangersAndSendWithoutAllocating() throws Exception {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    DirectPlatform backupPlatform = new DirectPlatform(loop, "192.0.2.12");
    CarpHost backup =
        CarpHost.builder()
            .platform(backupPlatform)
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.100/24")
                    .advskew(100)
                    .unicastPeer(InetAddress.getByName("192.0.2.11"))
                    .build())
            .build();
    backup.start();
    CarpKey key =
        CarpKey.of(
            10,
            "s3cr3t".getBytes(StandardCharsets.UTF_8),
            List.of(InetAddress.getByName("192.0.2.100")));
    CarpAdvertEncoder peer = new CarpAdvertEncoder(new CarpHmac(), key);
    SendCounter peerCounter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1));
    ByteBuffer wire = ByteBuffer.allocateDirect(64);
    ReceivedDatagram datagram = new ReceivedDatagram();
    long[] millis = {1_800_000_000_000L};
    int[] step = {0};
    // Every other advert comes from the peer 192.0.2.11, the others from the stranger .99.
    Runnable receive =
        () -> {
          int source = (step[0]++ & 1) == 0 ? 0xc000020b : 0xc0000263;
          peer.encodeIpv4(wire, 0, source, 0xc000020c, 1, 1, 0, 0, peerCounter.next(millis[0]++));
          datagram.reset(false);
          datagram.fillIpv4(wire, 0, CarpAdvertEncoder.IPV4_LENGTH, CarpAdvertEncoder.IPV4_LENGTH);
          backupPlatform.sink.received(datagram);
          loop.advanceTo(loop.nanoTime() + 1_000_000L);
        };
    long receiving = allocatedBy(receive);
    assertEquals(Role.BACKUP, backup.role());
    assertEquals((WARM_UP + MEASURED) / 2, backup.statistics().advertsReceived());
    assertEquals(
        (WARM_UP + MEASURED) / 2L,
        backup.statistics().drops().get(org.failover4j.carp.codec.CarpDropReason.NOT_A_PEER));

    DirectPlatform masterPlatform = new DirectPlatform(loop, "192.0.2.11");
    CarpHost master =
        CarpHost.builder()
            .platform(masterPlatform)
            .config(
                CarpHostConfig.builder()
                    .iface("eth0")
                    .vhid(10)
                    .passphrase("s3cr3t")
                    .virtualAddress("192.0.2.100/24")
                    .unicastPeer(InetAddress.getByName("192.0.2.12"))
                    .unicastPeer(InetAddress.getByName("192.0.2.13"))
                    .build())
            .build();
    master.start();
    loop.advanceTo(loop.nanoTime() + 4_000_000_000L);
    assertEquals(Role.MASTER, master.role());
    long sendsBefore = masterPlatform.sends;
    long advertising = allocatedBy(() -> loop.advanceTo(loop.nanoTime() + 1_000_000_000L));
    assertEquals(2L * (WARM_UP + MEASURED), masterPlatform.sends - sendsBefore, "one per peer");
    // The last copy went to the second peer: its destination is in the IPv4 header.
    assertEquals(0xc000020d, masterPlatform.sent.getInt(16));

    assertTrue(receiving < MEASURED, "receive: " + receiving + " bytes for " + MEASURED);
    assertTrue(advertising < MEASURED, "advertise: " + advertising + " bytes for " + MEASURED);
  }

  @Test
  void aDualFamilyBackupReceivingBothFamiliesAndAMasterAdvertisingOnBothAllocateNothing()
      throws Exception {
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    DirectPlatform backupPlatform = new DirectPlatform(loop, "192.0.2.12", "fe80::12");
    CarpHost backup = CarpHost.builder().platform(backupPlatform).config(dualConfig(100)).build();
    backup.start();
    CarpKey key =
        CarpKey.of(
            10,
            "s3cr3t".getBytes(StandardCharsets.UTF_8),
            List.of(InetAddress.getByName("192.0.2.100"), InetAddress.getByName("2001:db8::100")));
    CarpAdvertEncoder peer = new CarpAdvertEncoder(new CarpHmac(), key);
    SendCounter peerCounter = new SendCounter(CounterMode.REPLAY_PROTECTED, new Random(1));
    ByteBuffer wire = ByteBuffer.allocateDirect(64);
    ReceivedDatagram datagram = new ReceivedDatagram();
    byte[] peer6 = InetAddress.getByName("fe80::11").getAddress();
    long[] millis = {1_800_000_000_000L};
    int[] step = {0};
    // The master's adverts alternate between its IPv4 and its IPv6 advert, as on the wire.
    Runnable receive =
        () -> {
          long counter = peerCounter.next(millis[0]++);
          if ((step[0]++ & 1) == 0) {
            peer.encodeIpv4(wire, 0, 0xc000020b, 0xe0000012, 1, 1, 0, 0, counter);
            datagram.reset(false);
            datagram.fillIpv4(
                wire, 0, CarpAdvertEncoder.IPV4_LENGTH, CarpAdvertEncoder.IPV4_LENGTH);
          } else {
            int length = peer.encode(wire, 0, 1, 0, 0, counter);
            datagram.reset(true);
            System.arraycopy(peer6, 0, datagram.sourceArray(), 0, 16);
            datagram.setHopLimit(255);
            datagram.fillIpv6(wire, 0, length, length, 112);
          }
          backupPlatform.sink.received(datagram);
          loop.advanceTo(loop.nanoTime() + 1_000_000L);
        };
    long receiving = allocatedBy(receive);
    assertEquals(Role.BACKUP, backup.role());
    assertEquals(WARM_UP + MEASURED, backup.statistics().advertsReceived(), "both families");

    DirectPlatform masterPlatform = new DirectPlatform(loop, "192.0.2.11", "fe80::11");
    CarpHost master = CarpHost.builder().platform(masterPlatform).config(dualConfig(0)).build();
    master.start();
    loop.advanceTo(loop.nanoTime() + 4_000_000_000L);
    assertEquals(Role.MASTER, master.role());
    long sendsBefore = masterPlatform.sends;
    long advertising = allocatedBy(() -> loop.advanceTo(loop.nanoTime() + 1_000_000_000L));
    assertEquals(2L * (WARM_UP + MEASURED), masterPlatform.sends - sendsBefore, "one per family");

    assertTrue(receiving < MEASURED, "receive: " + receiving + " bytes for " + MEASURED);
    assertTrue(advertising < MEASURED, "advertise: " + advertising + " bytes for " + MEASURED);
  }

  private static CarpHostConfig dualConfig(int advskew) {
    return CarpHostConfig.builder()
        .iface("eth0")
        .vhid(10)
        .passphrase("s3cr3t")
        .virtualAddress("192.0.2.100/24")
        .virtualAddress("2001:db8::100/64")
        .advskew(advskew)
        .build();
  }
}
