package org.failover4j.carp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.Role;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
import org.failover4j.carp.CarpHost;
import org.failover4j.carp.CarpHostConfig;
import org.failover4j.carp.codec.CarpDropReason;
import org.failover4j.carp.election.CarpTiming;
import org.failover4j.carp.replay.CounterMode;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.IpDestination;
import org.failover4j.netlink.RawIpSocket;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The replay attack on the real kernel: two failover4j hosts elect, an attacker on the LAN records
 * the master's adverts, the master is cut off, and the attacker replays the recording, one advert a
 * second, under the master's own source address. In replay-protected mode the backup takes over on
 * time and counts every replay; in ucarp mode the replays keep it quiet: the weakness.
 */
@Interop(peers = {"tshark"})
class ReplayInteropTest {

  private static final long MASTER_DOWN_100 = CarpTiming.masterDownNanos(1, 100) / 1_000_000;

  @ParameterizedTest
  @EnumSource(CounterMode.class)
  void aRecordedMasterReplayedAfterItDied(CounterMode mode, Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    Host b = lab.host("b", lan);
    Host x = lab.host("x", lan);
    Capture capture = lan.capture("tape", "ip proto 112");
    NetlinkPlatform pa = a.call(NetlinkPlatform::open);
    NetlinkPlatform pb = b.call(NetlinkPlatform::open);
    CarpHost master = CarpHost.builder().platform(pa).config(config(a, lan, 0, mode)).build();
    CarpHost backup = CarpHost.builder().platform(pb).config(config(b, lan, 100, mode)).build();
    java.util.concurrent.atomic.AtomicLong tookOverAt =
        new java.util.concurrent.atomic.AtomicLong();
    backup.addListener(
        new org.failover4j.api.RoleListener() {
          @Override
          public void becameMaster(org.failover4j.api.RoleChangeEvent event) {
            tookOverAt.set(event.time().toEpochMilli());
          }
        },
        Runnable::run);
    try {
      a.call(
          () -> {
            master.start();
            return null;
          });
      assertTrue(master.awaitRole(Role.MASTER, Duration.ofSeconds(10)));
      b.call(
          () -> {
            backup.start();
            return null;
          });
      Thread.sleep(8_000);
      assertEquals(Role.BACKUP, backup.role());
      Path tape = capture.stop();
      List<ByteBuffer> recorded = datagrams(tape, a.ipv4(lan));
      assertTrue(recorded.size() >= 8, recorded.size() + " adverts recorded");

      RawIpSocket raw = RawSockets.headerIncluded(x, lan);
      try (raw) {
        IpDestination group = IpDestination.of(InetAddress.getByName("224.0.0.18"));
        lan.unplug(a);
        long cutAt = System.currentTimeMillis();
        int replayed = 0;
        for (ByteBuffer advert : recorded.subList(recorded.size() - 8, recorded.size())) {
          raw.send(advert.duplicate(), group);
          replayed++;
          Thread.sleep(1_000);
        }
        if (mode == CounterMode.UCARP_COMPATIBLE) {
          assertEquals(Role.BACKUP, backup.role(), "the weakness: the replays keep it quiet");
          assertFalse(b.hasAddress(b.iface(lan), InetAddress.getByName("192.0.2.100")));
        } else {
          assertEquals(Role.MASTER, backup.role());
          assertTrue(b.hasAddress(b.iface(lan), InetAddress.getByName("192.0.2.100")));
          assertEquals(
              (long) replayed,
              backup.statistics().drops().get(CarpDropReason.REPLAYED_COUNTER),
              "" + backup.statistics().drops());
          long took = tookOverAt.get() - cutAt;
          System.out.println(
              "replay-protected backup took over " + took + " ms after the master was cut off");
          assertTrue(took <= MASTER_DOWN_100 + 50, took + " ms, master down " + MASTER_DOWN_100);
        }
      }
    } finally {
      backup.close();
      master.close();
      pb.close();
      pa.close();
    }
  }

  private static CarpHostConfig config(Host host, Lan lan, int advskew, CounterMode mode) {
    return CarpHostConfig.builder()
        .iface(host.iface(lan))
        .vhid(10)
        .passphrase("s3cr3t")
        .virtualAddress("192.0.2.100/24")
        .advskew(advskew)
        .counterMode(mode)
        .build();
  }

  /** The IPv4 datagrams from {@code source} in the capture, as the attacker will resend them. */
  private static List<ByteBuffer> datagrams(Path file, InetAddress source) throws Exception {
    List<ByteBuffer> out = new ArrayList<>();
    IpPacket ip = new IpPacket();
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        if (ip.wrapFrame(frame) && ip.source().equals(source)) {
          byte[] copy = new byte[ip.declaredLength()];
          ip.buffer().get(ip.headerOffset(), copy);
          ByteBuffer direct = ByteBuffer.allocateDirect(copy.length).put(copy);
          out.add(direct.flip());
        }
      }
    }
    return out;
  }
}
