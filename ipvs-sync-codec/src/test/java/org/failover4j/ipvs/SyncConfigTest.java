package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.failover4j.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class SyncConfigTest {

  private static void assertRejected(String field, SyncConfig.Builder builder) {
    InvalidConfigurationException e =
        assertThrows(InvalidConfigurationException.class, builder::build);
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void defaultsAreTheKernels() throws Exception {
    SyncConfig c = SyncConfig.builder().build();
    assertEquals(InetAddress.getByName("224.0.0.81"), c.group());
    assertEquals(8848, c.port());
    assertEquals(1472, c.maxMessageSize());
    assertEquals(1, c.ttl());
    assertEquals(0, c.syncId());
    assertEquals(SyncVersion.V1, c.version());
    assertEquals(ByteOrder.LITTLE_ENDIAN, c.v0SequenceOrder());
    assertEquals(Duration.ofMillis(20), c.sendDelay());
    assertEquals(Duration.ofSeconds(2), c.flushPeriod());
    assertEquals(8, c.wakeupBatch());
    assertEquals(List.of("sip"), c.persistenceEngines());
  }

  @Test
  void ipv6GroupsLeaveRoomForTheLargerHeader() throws Exception {
    SyncConfig c = SyncConfig.builder().group(InetAddress.getByName("ff02::81")).build();
    assertEquals(1452, c.maxMessageSize());
  }

  @Test
  void everyFieldIsValidated() throws Exception {
    assertRejected("group", SyncConfig.builder().group(InetAddress.getByName("192.0.2.1")));
    assertRejected("group", SyncConfig.builder().group(null));
    assertRejected("port", SyncConfig.builder().port(0));
    assertRejected("syncId", SyncConfig.builder().syncId(256));
    assertRejected("maxMessageSize", SyncConfig.builder().maxMessageSize(100));
    assertRejected("maxMessageSize", SyncConfig.builder().maxMessageSize(65535 - 27));
    assertRejected("ttl", SyncConfig.builder().ttl(0));
    assertRejected("sendDelay", SyncConfig.builder().sendDelay(Duration.ofMillis(-1)));
    assertRejected("flushPeriod", SyncConfig.builder().flushPeriod(Duration.ZERO));
    assertRejected("wakeupBatch", SyncConfig.builder().wakeupBatch(0));
    assertRejected("receiveBufferSize", SyncConfig.builder().receiveBufferSize(-1));
    assertRejected("persistenceEngines", SyncConfig.builder().persistenceEngines(List.of("")));
    assertRejected("version", SyncConfig.builder().version(null));
  }

  @Test
  void connectionValuesAreValidatedToo() throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.1");
    InetAddress v6 = InetAddress.getByName("2001:db8::1");
    InvalidConfigurationException e =
        assertThrows(
            InvalidConfigurationException.class,
            () -> SyncConnection.builder().client(v4, 1).virtual(v6, 1).destination(v4, 1).build());
    assertEquals("virtualAddress", e.field());
    e =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                SyncConnection.builder()
                    .client(v4, 70000)
                    .virtual(v4, 1)
                    .destination(v4, 1)
                    .build());
    assertEquals("clientPort", e.field());
    e =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                SyncConnection.builder()
                    .client(v4, 1)
                    .virtual(v4, 1)
                    .destination(v4, 1)
                    .timeout(Duration.ofSeconds(1L << 32))
                    .build());
    assertEquals("timeout", e.field());
    assertThrows(
        InvalidConfigurationException.class, () -> new PersistenceData("sip", new byte[0]));
    assertThrows(
        InvalidConfigurationException.class,
        () -> new PersistenceData("x".repeat(17), new byte[1]));
  }

  @Test
  void typedFlagsAndStatesKeepUnknownValues() {
    ConnectionFlags flags = ConnectionFlags.of(0x4000 | 0x1000 | 7);
    assertEquals(ForwardingMethod.UNKNOWN, flags.forwardingMethod());
    assertEquals("0x5007 [FWD7 TEMPLATE]", flags.toString());
    assertEquals(
        "0x10621 [LOCALNODE SYNC OUT_SEQ IN_SEQ NFCT]", ConnectionFlags.of(0x10621).toString());
    assertEquals(new UnknownState(11), ConnectionState.of(6, false, 11));
    assertEquals(SctpState.CLOSED, ConnectionState.of(132, false, 13));
    assertEquals(TemplateState.ASSURED, ConnectionState.of(6, true, 1));
    assertEquals(new UnknownState(0), ConnectionState.of(50, false, 0));
    assertEquals("STATE_0", ConnectionState.of(50, false, 0).name());
  }
}
