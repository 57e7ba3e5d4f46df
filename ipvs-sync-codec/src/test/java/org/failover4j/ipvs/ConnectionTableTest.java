package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final ConnectionTable table = new ConnectionTable(loop);
  private final List<ConnectionEvent> events = new ArrayList<>();

  ConnectionTableTest() {
    table.addListener(events::add, Runnable::run);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static SyncConnection.Builder tcp() {
    return SyncConnection.builder()
        .protocol(6)
        .client(ip("198.51.100.8"), 40001)
        .virtual(ip("192.0.2.100"), 80)
        .destination(ip("192.0.2.22"), 8080)
        .state(TcpState.ESTABLISHED);
  }

  /** Encodes {@code c} in a message of {@code version} and applies its one entry. */
  private ConnectionTable.Outcome apply(SyncVersion version, SyncConnection c) {
    ByteBuffer b = ByteBuffer.allocate(1472);
    SyncMessageWriter writer = new SyncMessageWriter(version, ByteOrder.LITTLE_ENDIAN);
    writer.begin(b, 0, 1472, 1).add(c);
    SyncMessageReader reader = new SyncMessageReader();
    reader.wrap(b, 0, writer.length());
    assertTrue(reader.advance());
    return table.apply(reader.entry());
  }

  private ConnectionTable.Outcome apply(SyncConnection c) {
    return apply(SyncVersion.V1, c);
  }

  private SyncConnection only() {
    assertEquals(1, table.size());
    return table.snapshot().get(0);
  }

  @Test
  void aNewV1EntryKeepsTheBackupMaskAndGetsSync() {
    int wire =
        ConnectionFlags.NFCT
            | ConnectionFlags.ONE_PACKET
            | 0x4000
            | ConnectionFlags.INACTIVE
            | ConnectionFlags.NOOUTPUT
            | ForwardingMethod.TUNNEL.value();
    assertEquals(ConnectionTable.Outcome.ADDED, apply(tcp().flags(wire).build()));
    assertEquals(
        ConnectionFlags.SYNC
            | ConnectionFlags.INACTIVE
            | ConnectionFlags.NOOUTPUT
            | ForwardingMethod.TUNNEL.value(),
        only().flags().raw());
    assertTrue(events.get(0) instanceof ConnectionEvent.Added);
  }

  @Test
  void aNewV0EntryKeepsEveryBitButHashed() {
    apply(SyncVersion.V0, tcp().flags(0x4000 | ConnectionFlags.INACTIVE).build());
    assertEquals(0x4000 | ConnectionFlags.INACTIVE | ConnectionFlags.SYNC, only().flags().raw());
  }

  @Test
  void aV0OnePacketConnectionIsNotKept() {
    assertEquals(
        ConnectionTable.Outcome.NOT_KEPT,
        apply(SyncVersion.V0, tcp().flags(ConnectionFlags.ONE_PACKET).build()));
    assertEquals(0, table.size());
  }

  @Test
  void anUpdateChangesOnlyInactiveAndSequenceBitsStateAndTimeout() {
    apply(
        tcp()
            .flags(ForwardingMethod.DROUTE.value())
            .firewallMark(5)
            .timeout(Duration.ofSeconds(60))
            .build());
    ConnectionTable.Outcome outcome =
        apply(
            tcp()
                .flags(ForwardingMethod.TUNNEL.value() | ConnectionFlags.INACTIVE)
                .state(TcpState.FIN_WAIT)
                .firewallMark(6)
                .timeout(Duration.ofSeconds(30))
                .build());
    assertEquals(ConnectionTable.Outcome.UPDATED, outcome);
    SyncConnection c = only();
    assertEquals(
        ForwardingMethod.DROUTE.value() | ConnectionFlags.SYNC | ConnectionFlags.INACTIVE,
        c.flags().raw());
    assertEquals(TcpState.FIN_WAIT, c.connectionState());
    assertEquals(5, c.firewallMark(), "the firewall mark is set on creation only");
    assertEquals(Duration.ofSeconds(30), c.timeout());
    assertTrue(events.get(1) instanceof ConnectionEvent.Updated);
    assertEquals(c, events.get(1).connection());
  }

  @Test
  void timeoutZeroMeansTheProtocolsDefaultForTheState() {
    apply(tcp().build());
    assertEquals(Duration.ofMinutes(15), only().timeout());
    apply(tcp().state(TcpState.TIME_WAIT).build());
    assertEquals(Duration.ofMinutes(2), only().timeout());
    apply(tcp().state(TcpState.CLOSE).build());
    assertEquals(Duration.ofSeconds(10), only().timeout());
    table.clear();
    apply(tcp().protocol(17).state(UdpState.NORMAL).build());
    assertEquals(Duration.ofMinutes(5), only().timeout());
    table.clear();
    apply(tcp().protocol(132).state(SctpState.ESTABLISHED).build());
    assertEquals(Duration.ofMinutes(15), only().timeout());
    table.clear();
    apply(tcp().protocol(50).state(0).build());
    assertEquals(Duration.ofMinutes(3), only().timeout(), "ESP has no timeout table");
    table.clear();
    apply(tcp().flags(ConnectionFlags.TEMPLATE).state(TemplateState.ASSURED).build());
    assertEquals(Duration.ofMinutes(3), only().timeout(), "templates default to 3 minutes");
  }

  @Test
  void v0AlwaysUsesTheDefault() {
    apply(SyncVersion.V0, tcp().state(TcpState.SYN_RECV).timeout(Duration.ofSeconds(5)).build());
    assertEquals(Duration.ofMinutes(1), only().timeout());
  }

  @Test
  void entriesExpireWhenTheirTimeoutRunsOutAndRefreshesRestartIt() {
    apply(tcp().timeout(Duration.ofSeconds(10)).build());
    loop.advanceBy(Duration.ofSeconds(9));
    apply(tcp().timeout(Duration.ofSeconds(10)).build());
    loop.advanceBy(Duration.ofSeconds(9));
    assertEquals(1, table.size(), "the refresh restarted the timeout");
    loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(0, table.size());
    ConnectionEvent last = events.get(events.size() - 1);
    assertTrue(last instanceof ConnectionEvent.Expired);
    assertEquals(VirtualTimeEventLoop.DEFAULT_EPOCH.plusSeconds(19), last.time());
    assertEquals(0, loop.armedTimers());
  }

  @Test
  void anotherRealServerReplacesTheConnection() {
    apply(tcp().build());
    SyncConnection moved = tcp().destination(ip("192.0.2.23"), 8080).build();
    assertEquals(ConnectionTable.Outcome.REPLACED, apply(moved));
    assertEquals(ip("192.0.2.23"), only().destinationAddress());
    assertEquals(3, events.size());
    assertTrue(events.get(1) instanceof ConnectionEvent.Expired);
    assertEquals(ip("192.0.2.22"), events.get(1).connection().destinationAddress());
    assertTrue(events.get(2) instanceof ConnectionEvent.Added);
    assertEquals(
        ConnectionTable.Outcome.REPLACED, apply(tcp().destination(ip("192.0.2.23"), 8081).build()));
  }

  @Test
  void anInactiveEntryForAReplacedConnectionIsIgnored() {
    apply(tcp().build());
    SyncConnection stale =
        tcp().destination(ip("192.0.2.99"), 8080).flags(ConnectionFlags.INACTIVE).build();
    assertEquals(ConnectionTable.Outcome.IGNORED, apply(stale));
    assertEquals(ip("192.0.2.22"), only().destinationAddress());
    assertEquals(1, events.size());
  }

  @Test
  void templatesAndConnectionsWithTheSameAddressesAreDifferentEntries() {
    apply(tcp().build());
    apply(tcp().flags(ConnectionFlags.TEMPLATE).destination(ip("192.0.2.99"), 1).build());
    assertEquals(2, table.size());
    // A template is not replaced for another real server: it is found and updated.
    assertEquals(
        ConnectionTable.Outcome.UPDATED,
        apply(tcp().flags(ConnectionFlags.TEMPLATE).destination(ip("192.0.2.98"), 2).build()));
  }

  @Test
  void sipTemplatesAreFoundByTheirCallIdNotTheClientPort() {
    SyncConnection.Builder sip =
        tcp()
            .protocol(17)
            .state(0)
            .flags(ConnectionFlags.TEMPLATE)
            .persistence(new PersistenceData("sip", new byte[] {1, 2, 3}));
    apply(sip.client(ip("198.51.100.8"), 5060).build());
    apply(sip.client(ip("198.51.100.8"), 5061).build());
    assertEquals(1, table.size(), "another client port, same call: the same template");
    apply(sip.persistence(new PersistenceData("sip", new byte[] {9})).build());
    assertEquals(2, table.size(), "another call: another template");
    assertEquals(new PersistenceData("sip", new byte[] {9}), table.find(sip.build()).persistence());
  }

  @Test
  void onlyTemplatesKeepPersistenceData() {
    apply(tcp().persistence(new PersistenceData("sip", new byte[] {7})).build());
    assertNull(only().persistence());
  }

  @Test
  void firewallMarkTemplatesCompareTheFirst32BitsOfTheVirtualAddress() {
    SyncConnection.Builder fwmark =
        SyncConnection.builder()
            .protocol(0)
            .client(ip("2001:db8::8"), 0)
            .virtual(ip("2001:db8::1:7"), 0)
            .destination(ip("2001:db8::22"), 0)
            .flags(ConnectionFlags.TEMPLATE);
    apply(fwmark.build());
    assertEquals(
        ConnectionTable.Outcome.UPDATED, apply(fwmark.virtual(ip("2001:db8::2:7"), 0).build()));
    assertEquals(
        ConnectionTable.Outcome.ADDED, apply(fwmark.virtual(ip("2001:db9::2:7"), 0).build()));
  }

  @Test
  void sequenceDataIsReplacedOnlyWhenSent() {
    SequenceAdjustment in = new SequenceAdjustment(100, 5, 0);
    SequenceAdjustment out = new SequenceAdjustment(200, -5, 0);
    apply(tcp().flags(ConnectionFlags.SEQ_MASK).sequences(in, out).build());
    assertEquals(in, only().inSequence());
    apply(tcp().build());
    assertEquals(out, only().outSequence(), "an entry without sequence data keeps the old one");
    assertEquals(ConnectionFlags.SYNC, only().flags().raw(), "but the sequence bits are updated");
  }

  @Test
  void skippedEntriesAreRefused() {
    byte[] m = TestMessages.v1(1, TestMessages.v1Ipv4(1, 0, 0, ""));
    SyncMessageReader reader = new SyncMessageReader();
    reader.wrap(ByteBuffer.wrap(m), 0, m.length);
    reader.advance();
    assertThrows(IllegalArgumentException.class, () -> table.apply(reader.entry()));
  }

  @Test
  void listenersGetEventsOnTheirExecutorInOrder() {
    List<ConnectionEvent> queued = new ArrayList<>();
    List<Runnable> pending = new ArrayList<>();
    ConnectionListener listener = queued::add;
    table.addListener(listener, pending::add);
    apply(tcp().timeout(Duration.ofSeconds(1)).build());
    apply(tcp().timeout(Duration.ofSeconds(1)).build());
    loop.advanceBy(Duration.ofSeconds(1));
    assertTrue(queued.isEmpty(), "nothing runs before the executor does");
    pending.forEach(Runnable::run);
    assertEquals(3, queued.size());
    assertTrue(queued.get(0) instanceof ConnectionEvent.Added);
    assertTrue(queued.get(1) instanceof ConnectionEvent.Updated);
    assertTrue(queued.get(2) instanceof ConnectionEvent.Expired);
    assertTrue(table.removeListener(listener));
  }

  @Test
  void aFailingListenerDoesNotStopTheTable() {
    table.addListener(
        e -> {
          throw new IllegalStateException("listener bug");
        },
        Runnable::run);
    apply(tcp().build());
    assertEquals(1, table.size());
  }

  @Test
  void findAndExpiryOfAnEntry() {
    SyncConnection c = tcp().timeout(Duration.ofSeconds(42)).build();
    apply(c);
    assertEquals(Duration.ofSeconds(42).toNanos(), table.expiryNanos(c));
    assertEquals(only(), table.find(c));
    assertNull(table.find(tcp().client(ip("198.51.100.9"), 1).build()));
    assertEquals(-1, table.expiryNanos(tcp().client(ip("198.51.100.9"), 1).build()));
  }
}
