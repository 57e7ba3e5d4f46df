package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.EnumSet;
import org.failover4j.xfrm.AeFlag;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.LifetimeCounters;
import org.failover4j.xfrm.ReplayState;
import org.failover4j.xfrm.ReplayStateEsn;
import org.failover4j.xfrm.SaId;
import org.failover4j.xfrm.XfrmMark;
import org.junit.jupiter.api.Test;

class XfrmJsonTest {

  private static Aevent.Builder base() throws Exception {
    return Aevent.builder(SaId.esp(InetAddress.getByName("192.0.2.2"), 0x1234))
        .source(InetAddress.getByName("192.0.2.1"))
        .flags(EnumSet.of(AeFlag.RTHR, AeFlag.RVAL, AeFlag.CR))
        .reqid(7)
        .lifetime(new LifetimeCounters(5000, 40, 1_700_000_000L, 1_700_000_001L));
  }

  @Test
  void theIssuesExampleExactly() throws Exception {
    Aevent ae = base().replay(new ReplayState(100, 200, 0xff)).replayThreshold(32).build();
    assertEquals(
        "{\"event\":\"aevent\",\"flags\":[\"RTHR\",\"RVAL\",\"CR\"],\"daddr\":\"192.0.2.2\","
            + "\"saddr\":\"192.0.2.1\",\"spi\":\"0x00001234\",\"proto\":\"esp\",\"family\":\"inet\","
            + "\"reqid\":7,\"replay\":{\"oseq\":100,\"seq\":200,\"bitmap\":\"0x000000ff\"},"
            + "\"lifetime\":{\"bytes\":5000,\"packets\":40,\"add_time\":1700000000,"
            + "\"use_time\":1700000001},\"replay_thresh\":32}",
        XfrmJson.aevent(ae).toString());
  }

  @Test
  void esnMarkIfIdAndTimerThresholdAndUnsignedNumbers() throws Exception {
    Aevent ae =
        base()
            .reqid(-1)
            .replayEsn(new ReplayStateEsn(-2, 200, 1, 2, 64, new int[] {-1, 0x80}))
            .etimerThreshold(10)
            .mark(new XfrmMark(0x2a, 0xffffffff))
            .ifId(5)
            .build();
    assertEquals(
        "{\"event\":\"aevent\",\"flags\":[\"RTHR\",\"RVAL\",\"CR\"],\"daddr\":\"192.0.2.2\","
            + "\"saddr\":\"192.0.2.1\",\"spi\":\"0x00001234\",\"proto\":\"esp\",\"family\":\"inet\","
            + "\"reqid\":4294967295,\"replay_esn\":{\"oseq\":4294967294,\"seq\":200,\"oseq_hi\":1,"
            + "\"seq_hi\":2,\"replay_window\":64,\"bitmap\":[\"0xffffffff\",\"0x00000080\"]},"
            + "\"lifetime\":{\"bytes\":5000,\"packets\":40,\"add_time\":1700000000,"
            + "\"use_time\":1700000001},\"etimer_thresh\":10,\"mark\":{\"v\":42,\"m\":4294967295},"
            + "\"if_id\":5}",
        XfrmJson.aevent(ae).toString());
  }

  @Test
  void ipv6AhInTheRfc5952FormIpAndTsharkPrint() throws Exception {
    Aevent ae =
        Aevent.builder(new SaId(InetAddress.getByName("2001:db8::2"), 0xc0ffee01, 51))
            .source(InetAddress.getByName("2001:db8::1"))
            .flags(EnumSet.of(AeFlag.CE))
            .replay(new ReplayState(3, 4, 7))
            .build();
    assertEquals(
        "aevent ah spi 0xc0ffee01 src 2001:db8::1 dst 2001:db8::2 reqid 0 flags CE"
            + " replay oseq 3 seq 4 bitmap 0x00000007",
        XfrmJson.text(ae));
    String json = XfrmJson.aevent(ae).toString();
    assertEquals("inet6", json.replaceAll(".*\"family\":\"([^\"]+)\".*", "$1"));
    assertTrue(json.contains("\"daddr\":\"2001:db8::2\",\"saddr\":\"2001:db8::1\""), json);
  }
}
