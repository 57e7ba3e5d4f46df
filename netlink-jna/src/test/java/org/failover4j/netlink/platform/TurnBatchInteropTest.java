package org.failover4j.netlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;
import org.failover4j.api.Timer;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.api.platform.AdvertChannel;
import org.failover4j.api.platform.AdvertOwner;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.api.platform.SendOutcome;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;

/**
 * What the timers of one loop turn ask of the kernel platform leaves after them, in order: every
 * advert, then the work handed to {@code afterQueuedAdverts}, then every address (netlink batches),
 * then the announcements; an address the kernel refuses is reported to its owner on the loop, the
 * others are added, and it is not announced.
 */
@Interop(peers = "tshark")
class TurnBatchInteropTest {

  private static final int TAKEOVERS = 40;

  @Test
  void oneTurnsAdvertsLeaveFirstThenItsAddressesThenItsAnnouncements(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host node = lab.host("node", lan);
    lab.host("peer", lan);
    // An interface without IPv6: the kernel refuses an IPv6 address there (EACCES).
    node.run("ip", "link", "add", "noipv6", "type", "veth", "peer", "name", "noipv6p");
    node.run("sysctl", "-qw", "net.ipv6.conf.noipv6.disable_ipv6=1");
    node.run("ip", "link", "set", "noipv6", "up");
    InetAddress refusedAddress = InetAddress.getByName("2001:db8:77::1");
    Capture wire = lan.capture("turn", "ip proto 112 or arp");
    NetlinkPlatform platform = node.call(NetlinkPlatform::open);
    try {
      String eth0 = node.iface(lan);
      byte[] mac = platform.interfaceState(eth0).mac();
      List<AdvertChannel> channels = new ArrayList<>();
      OnLoop.call(
          platform,
          () -> {
            for (int i = 0; i < TAKEOVERS; i++) {
              channels.add(
                  platform.openAdvertChannel(
                      eth0, IpFamily.IPV4, AdvertOwner.vrrp(2, 1 + i), d -> {}));
            }
            return null;
          });
      int advertGroup =
          OnLoop.call(
              platform, () -> channels.get(0).addDestination(IpFamily.IPV4.advertGroup(), null));
      InetAddress source = node.ipv4(lan);

      Map<InetAddress, IOException> refusals = new ConcurrentHashMap<>();
      List<Boolean> refusedAfterTheTimers = new ArrayList<>();
      List<SendOutcome> outcomes = new ArrayList<>();
      boolean[] timerDone = new boolean[1];
      InetAddress marker = lan.ipv4(250);
      List<String> afterAdverts = new ArrayList<>();
      List<Boolean> batchedHeldThen = new ArrayList<>();
      List<Boolean> inTimers = new ArrayList<>();
      CompletableFuture<Void> turn = new CompletableFuture<>();
      OnLoop.call(
          platform,
          () -> {
            // One timer action that takes TAKEOVERS groups over, as Master_Down timers due
            // together do: advert, address, announcement, group after group.
            Timer[] timer = new Timer[1];
            timer[0] =
                platform
                    .eventLoop()
                    .newTimer(
                        () -> {
                          try {
                            for (int i = 0; i < TAKEOVERS; i++) {
                              ByteBuffer advert = vrrpV2(source, 1 + i, lan.ipv4(100 + i));
                              outcomes.add(
                                  channels.get(i).send(advert, 0, advert.limit(), advertGroup));
                              VirtualAddress vip = new VirtualAddress(lan.ipv4(100 + i), 24);
                              platform.addAddressSoon(
                                  eth0, vip, e -> refusals.put(vip.address(), e));
                              platform.announce(eth0, vip.address(), mac);
                            }
                            VirtualAddress bad = new VirtualAddress(refusedAddress, 64);
                            platform.addAddressSoon(
                                "noipv6",
                                bad,
                                e -> {
                                  refusedAfterTheTimers.add(timerDone[0]);
                                  refusals.put(bad.address(), e);
                                });
                            // The rest of the takeovers waits for their adverts, in order: it
                            // runs after the timers, sees no batched address yet, and what it
                            // asks for (an announcement) joins the batch.
                            for (String step : List.of("first", "second")) {
                              platform.afterQueuedAdverts(
                                  () -> {
                                    afterAdverts.add(step);
                                    inTimers.add(
                                        ((PollEventLoop) platform.eventLoop()).runningTimers());
                                    try {
                                      platform.announce(eth0, marker, mac);
                                    } catch (IOException e) {
                                      turn.completeExceptionally(e);
                                    }
                                    batchedHeldThen.add(node.hasAddress(eth0, lan.ipv4(101)));
                                  });
                            }
                            timerDone[0] = true;
                            // Runs in a later turn: after this turn's batch went out.
                            platform.eventLoop().execute(() -> turn.complete(null));
                          } catch (IOException | RuntimeException e) {
                            turn.completeExceptionally(e);
                          }
                        });
            timer[0].scheduleAfter(1_000_000L);
            return null;
          });
      turn.get(10, TimeUnit.SECONDS);

      assertEquals(TAKEOVERS, outcomes.size());
      assertTrue(outcomes.stream().allMatch(SendOutcome::isSent), outcomes.toString());
      assertEquals(List.of(true), refusedAfterTheTimers, "reported once, after the timer ran");
      assertEquals(List.of(refusedAddress), List.copyOf(refusals.keySet()));
      assertEquals(List.of("first", "second"), afterAdverts, "in the order handed over");
      assertEquals(List.of(false, false), inTimers, "after the timers and their adverts");
      assertEquals(List.of(false, false), batchedHeldThen, "before the batch's addresses");
      assertTrue(
          refusals.get(refusedAddress).getMessage().contains("2001:db8:77::1"),
          refusals.get(refusedAddress).getMessage());
      List<String> held = node.addresses(eth0);
      for (int i = 0; i < TAKEOVERS; i++) {
        assertTrue(held.contains(lan.ipv4(100 + i).getHostAddress() + "/24"), "address " + i);
      }
      assertFalse(node.hasAddress("noipv6", refusedAddress));

      Thread.sleep(500);
      List<List<String>> frames =
          wire.fields(
              "vrrp or (arp and eth.src == " + node.mac(eth0) + ")",
              "frame.number",
              "vrrp.virt_rtr_id",
              "arp.src.proto_ipv4");
      // The turn's first takeover goes whole at once, as a lone takeover does (its advert must not
      // wait for the work of its own transition); from the second on, they batch: every advert of
      // the turn before any of their announcements.
      String firstTakeoversAddress = lan.ipv4(100).getHostAddress();
      String markerAddress = marker.getHostAddress();
      int firstMarker = Integer.MAX_VALUE;
      int lastAdvert = 0;
      int firstBatchedAnnouncement = Integer.MAX_VALUE;
      int firstTakeoversAnnouncement = Integer.MAX_VALUE;
      int adverts = 0;
      int announcements = 0;
      for (List<String> f : frames) {
        int number = Integer.parseInt(f.get(0));
        if (!f.get(1).isEmpty()) {
          adverts++;
          lastAdvert = Math.max(lastAdvert, number);
        } else if (f.get(2).equals(markerAddress)) {
          firstMarker = Math.min(firstMarker, number);
        } else {
          announcements++;
          if (f.get(2).equals(firstTakeoversAddress)) {
            firstTakeoversAnnouncement = number;
          } else {
            firstBatchedAnnouncement = Math.min(firstBatchedAnnouncement, number);
          }
        }
      }
      assertEquals(TAKEOVERS, adverts, frames.toString());
      assertEquals(TAKEOVERS, announcements, frames.toString());
      assertTrue(
          lastAdvert < firstBatchedAnnouncement,
          "every advert before the first batched announcement: " + frames);
      assertTrue(
          lastAdvert < firstBatchedAnnouncement && firstBatchedAnnouncement < firstMarker,
          "what the work handed over asked for left with the batch, after its addresses: "
              + frames);
      assertTrue(
          firstTakeoversAnnouncement < lastAdvert,
          "the first takeover announced before the batch of the others left: " + frames);

      // A master that steps down (a packet handler, a task) while its address still waits in the
      // batch (more timers were due): the address is added, then removed, never left behind.
      InetAddress late = lan.ipv4(200);
      CompletableFuture<Void> released = new CompletableFuture<>();
      OnLoop.call(
          platform,
          () -> {
            Timer[] timers = new Timer[2];
            timers[1] = platform.eventLoop().newTimer(() -> {});
            timers[0] =
                platform
                    .eventLoop()
                    .newTimer(
                        () -> {
                          try {
                            platform.addAddressSoon(
                                eth0,
                                new VirtualAddress(late, 24),
                                e -> released.completeExceptionally(e));
                            // Due already, so the address waits for the next turn's timers.
                            timers[1].scheduleAt(platform.eventLoop().nanoTime() - 1);
                            platform
                                .eventLoop()
                                .execute(
                                    () -> {
                                      try {
                                        platform.removeAddress(eth0, late, 24);
                                        released.complete(null);
                                      } catch (IOException e) {
                                        released.completeExceptionally(e);
                                      }
                                    });
                          } catch (IOException | RuntimeException e) {
                            released.completeExceptionally(e);
                          }
                        });
            timers[0].scheduleAfter(1_000_000L);
            return null;
          });
      released.get(10, TimeUnit.SECONDS);
      OnLoop.call(platform, () -> null); // a turn later: anything still queued went out
      assertFalse(node.hasAddress(eth0, late), "a released address must not come back");
    } finally {
      platform.close();
    }
  }

  /**
   * An IPv4 datagram (the socket includes the header) carrying a 20-byte VRRPv2 advert of {@code
   * vrid} for {@code vip}; the kernel fills in the header's checksum.
   */
  private static ByteBuffer vrrpV2(InetAddress source, int vrid, InetAddress vip) {
    ByteBuffer b = ByteBuffer.allocateDirect(40);
    b.put(Ipv4Header.VERSION_IHL_OFFSET, (byte) 0x45);
    b.putShort(Ipv4Header.TOTAL_LENGTH_OFFSET, (short) 40);
    b.put(Ipv4Header.TTL_OFFSET, (byte) 255);
    b.put(Ipv4Header.PROTOCOL_OFFSET, (byte) IpProtocol.VRRP);
    b.put(Ipv4Header.SOURCE_OFFSET, source.getAddress());
    b.putInt(Ipv4Header.DESTINATION_OFFSET, 0xe0000012);
    b.put(20, (byte) 0x21).put(21, (byte) vrid).put(22, (byte) 100).put(23, (byte) 1);
    b.put(25, (byte) 1).put(28, vip.getAddress());
    b.putShort(26, (short) InternetChecksum.finish(InternetChecksum.add(0, b, 20, 20)));
    return b;
  }
}
