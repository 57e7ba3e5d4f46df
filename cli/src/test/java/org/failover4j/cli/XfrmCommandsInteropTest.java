package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkSocket;
import org.failover4j.xfrm.AeFlag;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.AeventCodec;
import org.failover4j.xfrm.LifetimeCounters;
import org.failover4j.xfrm.ReplayState;
import org.failover4j.xfrm.SaId;
import org.failover4j.xfrm.Xfrm;
import org.junit.jupiter.api.Test;

/** {@code xfrm-get} and {@code xfrm-monitor} against the kernel of a lab host. */
@Interop
class XfrmCommandsInteropTest extends CommandTest {

  @Test
  void xfrmGetOfAMissingSaSaysSoAndExits3(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    int status =
        host.call(
            () ->
                run(
                    "xfrm-get",
                    "--dst",
                    "192.0.2.2",
                    "--spi",
                    "0x1234",
                    "--proto",
                    "esp",
                    "--mark",
                    "7/0xff",
                    "--json"));
    assertEquals(XfrmGetCommand.EXIT_NO_SUCH_SA, status);
    assertEquals("no such SA\n", error());
    assertEquals("", output());
  }

  @Test
  void xfrmMonitorPrintsEventsMulticastToTheGroup(Lab lab) throws Exception {
    Host host = lab.host("a", lab.lan("lan0"));
    Aevent ae =
        Aevent.builder(SaId.esp(InetAddress.getByName("192.0.2.2"), 0x1234))
            .source(InetAddress.getByName("192.0.2.1"))
            .flags(EnumSet.of(AeFlag.RTHR, AeFlag.RVAL, AeFlag.CR))
            .reqid(7)
            .replay(new ReplayState(100, 200, 0xff))
            .lifetime(new LifetimeCounters(5000, 40, 1_700_000_000L, 1_700_000_001L))
            .replayThreshold(32)
            .build();
    CountDownLatch ready = new CountDownLatch(1);
    XfrmMonitorCommand monitor = new XfrmMonitorCommand(1, ready::countDown);
    // Opened in the namespace first: the namespace's one thread will be busy running the monitor.
    try (NetlinkSocket sender = host.call(() -> NetlinkSocket.open(Netlink.NETLINK_XFRM))) {
      Future<Integer> running =
          host.executor()
              .submit(
                  () ->
                      new Main(List.of(monitor))
                          .run(
                              List.of("xfrm-monitor", "--json"),
                              new PrintStream(out, true, StandardCharsets.UTF_8),
                              new PrintStream(err, true, StandardCharsets.UTF_8)));
      assertTrue(ready.await(5, TimeUnit.SECONDS), error());
      assertTrue(
          error().startsWith("failover4j xfrm-monitor: waiting for XFRM aevents"),
          "it says nothing while it waits: " + error());
      ByteBuffer buffer = ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder());
      new AeventCodec().encode(ae, Xfrm.XFRM_MSG_NEWAE, 0, 0, 0, buffer);
      sender.multicast(buffer.flip(), Xfrm.XFRMNLGRP_AEVENTS);
      assertEquals(0, running.get(10, TimeUnit.SECONDS));
    }
    assertEquals(
        "{\"event\":\"aevent\",\"flags\":[\"RTHR\",\"RVAL\",\"CR\"],\"daddr\":\"192.0.2.2\","
            + "\"saddr\":\"192.0.2.1\",\"spi\":\"0x00001234\",\"proto\":\"esp\",\"family\":\"inet\","
            + "\"reqid\":7,\"replay\":{\"oseq\":100,\"seq\":200,\"bitmap\":\"0x000000ff\"},"
            + "\"lifetime\":{\"bytes\":5000,\"packets\":40,\"add_time\":1700000000,"
            + "\"use_time\":1700000001},\"replay_thresh\":32}\n",
        output());
  }
}
