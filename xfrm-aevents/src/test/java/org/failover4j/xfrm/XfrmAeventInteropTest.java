package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.LabProcess;
import org.failover4j.netlink.Errno;
import org.failover4j.netlink.ErrnoException;
import org.failover4j.netlink.InvalidArgumentException;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkMessageWriter;
import org.failover4j.netlink.NetlinkSocket;
import org.failover4j.netlink.PollEventLoop;
import org.junit.jupiter.api.Test;

/**
 * The real kernel's XFRM netlink in a lab namespace: errors for missing SAs and malformed requests,
 * and NEWAE messages the encoder writes, multicast to the aevents group, as printed by {@code ip
 * xfrm monitor aevent} (iproute2 as an independent parser) and received by a subscriber.
 */
@Interop
class XfrmAeventInteropTest {

  private static final SaId MISSING = SaId.esp(address("192.0.2.2"), 0x1234);

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void missingSasGetEsrchAndMalformedRequestsEinval(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    try (XfrmAeventClient client = host.call(XfrmAeventClient::open);
        NetlinkSocket raw = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_XFRM))) {
      NoSuchSaException get =
          assertThrows(
              NoSuchSaException.class,
              () -> client.getAe(MISSING, EnumSet.of(AeFlag.RTHR, AeFlag.ETHR)));
      assertTrue(get.getCause().getMessage().contains("ESRCH"), get.getCause().getMessage());
      assertEquals(MISSING, get.sa());
      Aevent values =
          Aevent.builder(MISSING)
              .replay(new ReplayState(100, 0, 0))
              .lifetime(new LifetimeCounters(5000, 40, 0, 0))
              .build();
      assertThrows(NoSuchSaException.class, () -> client.setAe(values));
      assertThrows(
          NoSuchSaException.class,
          () ->
              client.setAe(
                  Aevent.builder(SaId.esp(address("2001:db8::2"), 7))
                      .replayThreshold(10)
                      .mark(new XfrmMark(1, 1))
                      .build()));

      // A NEWAE that carries no value: the kernel refuses it before looking for the SA.
      assertThrows(
          InvalidArgumentException.class, () -> client.setAe(Aevent.builder(MISSING).build()));

      ByteBuffer buffer = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());
      NetlinkMessageWriter writer = new NetlinkMessageWriter();
      // A GETAE whose body is shorter than xfrm_aevent_id.
      writer.wrap(buffer.clear()).begin(Xfrm.XFRM_MSG_GETAE, 0).putZeros(20);
      writer.end();
      assertThrows(
          InvalidArgumentException.class, () -> raw.request("short GETAE", buffer.flip(), r -> {}));
      // A NEWAE without NLM_F_REPLACE.
      new AeventCodec().encode(values, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, buffer.clear());
      assertThrows(
          InvalidArgumentException.class,
          () -> raw.request("NEWAE without REPLACE", buffer.flip(), r -> {}));
      // A NEWAE whose lifetime attribute is shorter than struct xfrm_lifetime_cur.
      writer.wrap(buffer.clear()).begin(Xfrm.XFRM_MSG_NEWAE, Netlink.NLM_F_REPLACE);
      writer.putBytes(MISSING.destination().getAddress()).putZeros(12).putS32Network(0x1234);
      writer.putU16(Xfrm.AF_INET).putU8(Xfrm.IPPROTO_ESP).putZeros(1 + 16 + 8);
      writer.attributeS64(Xfrm.XFRMA_LTIME_VAL, 1);
      writer.end();
      // Linux 6.x checks attribute lengths against its policy first and answers ERANGE.
      ErrnoException shortLifetime =
          assertThrows(
              ErrnoException.class,
              () -> raw.request("NEWAE short lifetime", buffer.flip(), r -> {}));
      assertTrue(
          shortLifetime.errno() == Errno.ERANGE || shortLifetime.errno() == Errno.EINVAL,
          shortLifetime.getMessage());
    }
  }

  @Test
  void aFreshNamespaceHasTheKernelsDefaultThresholds(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    assertEquals(AeventSysctls.KERNEL_DEFAULTS, host.call(AeventSysctls::read));
    host.run("sysctl", "-w", "net.core.xfrm_aevent_etime=25");
    assertEquals(new AeventSysctls(25, 2), host.call(AeventSysctls::read));
    assertEquals(Duration.ofMillis(2500), host.call(AeventSysctls::read).eventPeriod());
  }

  @Test
  void aReceiveQueueOverflowIsReportedAsLostEvents(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    java.util.concurrent.atomic.AtomicInteger lost =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger received =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Aevent ae =
        Aevent.builder(MISSING)
            .replay(new ReplayState(1, 2, 3))
            .lifetime(new LifetimeCounters(1, 1, 1, 1))
            .build();
    ByteBuffer buffer =
        ByteBuffer.allocateDirect(AeventCodec.MAX_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());
    new AeventCodec().encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, buffer);
    buffer.flip();
    try (PollEventLoop loop = PollEventLoop.start("overflow");
        XfrmAeventClient client = host.call(XfrmAeventClient::open);
        AeventSubscription subscription =
            host.call(
                () ->
                    client.subscribe(
                        loop,
                        new AeventListener() {
                          @Override
                          public void onAevent(Aevent event) {
                            received.incrementAndGet();
                          }

                          @Override
                          public void eventsLost() {
                            lost.incrementAndGet();
                          }
                        },
                        4096));
        NetlinkSocket sender = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_XFRM))) {
      // Hold the loop so nothing is read while far more than 4 KiB of events queue up.
      loop.execute(
          () -> {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      for (int i = 0; i < 200; i++) {
        sender.multicast(buffer.duplicate(), Xfrm.XFRMNLGRP_AEVENTS);
      }
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (lost.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, lost.get(), "ENOBUFS reported once; received " + received.get());
      assertTrue(received.get() > 0 && received.get() < 200, "received " + received.get());
      assertEquals(0, subscription.drops().total());
    }
  }

  private static final Pattern MONITOR_LINE =
      Pattern.compile(
          "Async event\\s+\\(0x([0-9a-f]+)\\)[^\\n]*\\n\\s*src (\\S+) dst (\\S+)\\s+reqid 0x([0-9a-f]+)"
              + "\\s+protocol (\\S+)\\s+SPI 0x([0-9a-f]+)");

  @Test
  void encodedEventsMulticastToTheGroupAreReadByIproute2AndTheSubscriber(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    List<Aevent> sent =
        List.of(
            Aevent.builder(SaId.esp(address("192.0.2.2"), 0x1234))
                .source(address("192.0.2.1"))
                .flags(EnumSet.of(AeFlag.RTHR, AeFlag.CR))
                .reqid(7)
                .replayEsn(new ReplayStateEsn(100, 200, 1, 2, 64, new int[] {-1, 0xff}))
                .lifetime(new LifetimeCounters(5000, 40, 1_700_000_000L, 1_700_000_001L))
                .replayThreshold(32)
                .etimerThreshold(10)
                .mark(new XfrmMark(0x2a, 0xffffffff))
                .ifId(3)
                .build(),
            Aevent.builder(new SaId(address("2001:db8::2"), 0xc0ffee01, Xfrm.IPPROTO_AH))
                .source(address("2001:db8::1"))
                .flags(EnumSet.of(AeFlag.CE))
                .reqid(0x10000)
                .replay(new ReplayState(0xfffffffe, 3, 7))
                .lifetime(new LifetimeCounters(0, 0, 1, 0))
                .build());
    BlockingQueue<Aevent> received = new LinkedBlockingQueue<>();
    LabProcess monitor = host.start("monitor", "ip", "xfrm", "monitor", "aevent");
    AeventCodec codec = new AeventCodec();
    ByteBuffer buffer =
        ByteBuffer.allocateDirect(AeventCodec.MAX_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());
    try (PollEventLoop loop = PollEventLoop.start("aevents");
        XfrmAeventClient client = host.call(XfrmAeventClient::open);
        AeventSubscription subscription = host.call(() -> client.subscribe(loop, received::add));
        NetlinkSocket sender = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_XFRM))) {
      // The monitor joins the group some time after it starts: send until it prints the first.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!monitor.output().contains("Async event") && System.nanoTime() < deadline) {
        codec.encode(sent.get(0), Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, buffer.clear());
        sender.multicast(buffer.flip(), Xfrm.XFRMNLGRP_AEVENTS);
        Thread.sleep(100);
      }
      codec.encode(sent.get(1), Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, buffer.clear());
      sender.multicast(buffer.flip(), Xfrm.XFRMNLGRP_AEVENTS);

      // The subscriber decodes exactly what was encoded.
      List<Aevent> got = new ArrayList<>();
      while (got.isEmpty() || !got.get(got.size() - 1).equals(sent.get(1))) {
        Aevent e = received.poll(5, TimeUnit.SECONDS);
        assertTrue(e != null, "subscriber got only " + got);
        got.add(e);
      }
      for (Aevent e : got.subList(0, got.size() - 1)) {
        assertEquals(sent.get(0), e);
      }
      assertEquals(0, subscription.drops().total());

      monitor.awaitOutput("SPI 0xc0ffee01", Duration.ofSeconds(5));
      Matcher m = MONITOR_LINE.matcher(monitor.output());
      List<String> printed = new ArrayList<>();
      while (m.find()) {
        printed.add(
            String.join(
                " ", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
      }
      assertTrue(printed.size() >= 2, monitor.output());
      assertEquals("11 192.0.2.1 192.0.2.2 7 esp 1234", printed.get(0), monitor.output());
      assertEquals(
          "20 2001:db8::1 2001:db8::2 10000 ah c0ffee01",
          printed.get(printed.size() - 1),
          monitor.output());
    }
  }

  @Test
  void deletionsMulticastToTheirGroupsReachIproute2AndTheSubscriber(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    SaDeletion deleted =
        new SaDeletion(SaId.esp(address("192.0.2.2"), 0x2001), Optional.of(new XfrmMark(7, 0xff)));
    SaDeletion expired =
        new SaDeletion(SaId.esp(address("2001:db8::2"), 0xc0ffee02), Optional.empty());
    BlockingQueue<SaDeletion> received = new LinkedBlockingQueue<>();
    AeventListener listener =
        new AeventListener() {
          @Override
          public void onAevent(Aevent event) {}

          @Override
          public void saDeleted(SaDeletion deletion) {
            received.add(deletion);
          }
        };
    LabProcess monitor = host.start("monitor", "ip", "xfrm", "monitor", "SA", "expire");
    DeletionMessages kernel = new DeletionMessages();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder());
    try (PollEventLoop loop = PollEventLoop.start("deletions");
        XfrmAeventClient client = host.call(XfrmAeventClient::open);
        AeventSubscription subscription = host.call(() -> client.subscribe(loop, listener));
        NetlinkSocket sender = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_XFRM))) {
      // The monitor joins the groups some time after it starts: send until it prints the first.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!monitor.output().contains("Deleted") && System.nanoTime() < deadline) {
        kernel.delsa(deleted, buffer.clear());
        sender.multicast(buffer.flip(), Xfrm.XFRMNLGRP_SA);
        Thread.sleep(100);
      }
      kernel.expire(expired, false, buffer.clear());
      sender.multicast(buffer.flip(), Xfrm.XFRMNLGRP_EXPIRE);
      kernel.expire(expired, true, buffer.clear());
      sender.multicast(buffer.flip(), Xfrm.XFRMNLGRP_EXPIRE);

      // The subscriber: the DELSAs, then the hard expiry; the soft one is no deletion.
      List<SaDeletion> got = new ArrayList<>();
      while (got.isEmpty() || !got.get(got.size() - 1).equals(expired)) {
        SaDeletion d = received.poll(5, TimeUnit.SECONDS);
        assertTrue(d != null, "subscriber got only " + got);
        got.add(d);
      }
      for (SaDeletion d : got.subList(0, got.size() - 1)) {
        assertEquals(deleted, d);
      }
      assertEquals(0, subscription.drops().total());

      // iproute2 reads the same bytes: DELSA from its XFRMA_SA, EXPIRE from xfrm_user_expire.
      monitor.awaitOutput("hard 1", Duration.ofSeconds(5));
      String printed = monitor.output();
      assertTrue(printed.contains("dst 192.0.2.2"), printed);
      assertTrue(printed.contains("spi 0x00002001"), printed);
      assertTrue(printed.contains("dst 2001:db8::2"), printed);
      assertTrue(printed.contains("spi 0xc0ffee02"), printed);
      assertTrue(printed.contains("hard 0"), printed);
    }
  }
}
