package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.Test;

/**
 * Random tables through the master's batching, the wire and the backup's table. Each case has its
 * own seed, printed on failure; replay one with {@code -Dfailover4j.seed=<seed>}.
 */
class SyncRoundTripPropertyTest {

  private static final int CASES = 10_000;
  private static final String SEED_PROPERTY = "failover4j.seed";

  @Test
  void v1TablesSurviveBatchingAndDecoding() {
    forEachCase(SyncVersion.V1);
  }

  @Test
  void v0TablesSurviveBatchingAndDecoding() {
    forEachCase(SyncVersion.V0);
  }

  private void forEachCase(SyncVersion version) {
    String fixed = System.getProperty(SEED_PROPERTY);
    long base = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    int cases = fixed != null ? 1 : CASES;
    for (int i = 0; i < cases; i++) {
      long seed = base + i;
      try {
        runCase(version, seed);
      } catch (AssertionError | RuntimeException e) {
        fail(version + " case failed; replay with -D" + SEED_PROPERTY + "=" + seed, e);
      }
    }
  }

  private void runCase(SyncVersion version, long seed) {
    Random random = new Random(seed);
    RandomConnections generator = new RandomConnections(random);
    ByteOrder v0Order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    boolean ipv6Transport = random.nextBoolean();
    SyncConfig.Builder config =
        SyncConfig.builder()
            .version(version)
            .v0SequenceOrder(v0Order)
            .syncId(random.nextInt(256))
            .wakeupBatch(1 + random.nextInt(8));
    if (ipv6Transport) {
      config.group(parse("ff02::81"));
    }
    if (random.nextInt(4) == 0) {
      config.maxMessageSize(SyncConfig.MIN_MESSAGE_SIZE + random.nextInt(9000));
    }
    SyncConfig cfg = config.build();

    int size = 1 + random.nextInt(random.nextInt(25) == 0 ? 300 : 40);
    List<SyncConnection> table = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      table.add(generator.next(version, i));
    }

    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    List<byte[]> wire = new ArrayList<>();
    SyncSender sender =
        new SyncSender(
            loop,
            cfg,
            m -> {
              byte[] copy = new byte[m.remaining()];
              m.get(copy);
              wire.add(copy);
            });
    for (SyncConnection c : table) {
      sender.submit(c);
      if (random.nextInt(50) == 0) {
        loop.advanceBy(Duration.ofMillis(random.nextInt(3000)));
      }
    }
    loop.advanceBy(cfg.flushPeriod());
    assertEquals(0, sender.queued());

    ConnectionTable backup = new ConnectionTable(loop);
    SyncReceiver receiver = new SyncReceiver(cfg, backup);
    SyncMessageReader reader = cfg.newReader();
    List<SyncConnection> decoded = new ArrayList<>();
    for (byte[] message : wire) {
      assertTrue(message.length <= cfg.maxMessageSize(), "message of " + message.length);
      reader.wrap(ByteBuffer.wrap(message), 0, message.length);
      assertEquals(version, reader.version());
      assertEquals(cfg.syncId(), reader.syncId());
      int entries = 0;
      while (reader.advance()) {
        SyncEntry e = reader.entry();
        assertNull(
            e.skipReason() == IpvsDropReason.UNKNOWN_PERSISTENCE_ENGINE ? null : e.skipReason(),
            () -> "skipped " + e + " of " + HexFormat.of().formatHex(message));
        decoded.add(e.toConnection());
        entries++;
      }
      assertEquals(reader.entryCount(), entries);
      assertTrue(entries > 0 && entries <= 255);
      receiver.receive(ByteBuffer.wrap(message), 0, message.length);
    }

    assertEquals(table.size(), decoded.size());
    Map<Integer, SyncConnection> expectedOnBackup = new HashMap<>();
    for (int i = 0; i < table.size(); i++) {
      SyncConnection sent = table.get(i);
      SyncConnection onWire = asSent(version, sent);
      if (unknownEngine(version, sent)) {
        // The data is on the wire, but a value holds data only for an engine the reader knows.
        onWire = onWire.toBuilder().persistence(null).build();
      }
      assertEquals(onWire, decoded.get(i), "entry " + i);
      if (!unknownEngine(version, sent)) {
        expectedOnBackup.put(sent.clientPort(), asKept(version, sent));
      }
    }
    assertEquals(0, receiver.drops().total() - unknownEngines(version, table));
    Map<Integer, SyncConnection> actual = new HashMap<>();
    for (SyncConnection c : backup.snapshot()) {
      actual.put(c.clientPort(), c);
    }
    assertEquals(expectedOnBackup, actual);

    // Churn: the master resends some connections in a new state; the backup updates its copies.
    wire.clear();
    Map<Integer, SyncConnection> expectedAfter = new HashMap<>(expectedOnBackup);
    for (SyncConnection c : table) {
      if (random.nextInt(3) != 0 || unknownEngine(version, c)) {
        continue;
      }
      SyncConnection changed = generator.changed(version, c);
      sender.submit(changed);
      SyncConnection before = expectedAfter.get(c.clientPort());
      SyncConnection kept = asKept(version, changed);
      int flags =
          (kept.flags().raw() & ConnectionFlags.BACKUP_UPDATE_MASK)
              | (before.flags().raw() & ~ConnectionFlags.BACKUP_UPDATE_MASK);
      SyncConnection.Builder updated =
          before.toBuilder().flags(flags).state(kept.state()).timeout(kept.timeout());
      if (changed.flags().hasSequenceData()) {
        updated.sequences(kept.inSequence(), kept.outSequence());
      }
      expectedAfter.put(c.clientPort(), updated.build());
    }
    sender.flush();
    for (byte[] message : wire) {
      receiver.receive(ByteBuffer.wrap(message), 0, message.length);
    }
    actual.clear();
    for (SyncConnection c : backup.snapshot()) {
      actual.put(c.clientPort(), c);
    }
    assertEquals(expectedAfter, actual);
  }

  /** What the wire carries of a connection: the kernel master's rules. */
  static SyncConnection asSent(SyncVersion version, SyncConnection c) {
    int flags = c.flags().raw() & ~ConnectionFlags.HASHED;
    SyncConnection.Builder b = c.toBuilder();
    if (version == SyncVersion.V0) {
      b.flags(flags & 0xFFFF).firewallMark(0).timeout(Duration.ZERO).persistence(null);
    } else {
      b.flags(flags);
    }
    if (!c.flags().hasSequenceData()) {
      b.sequences(SequenceAdjustment.NONE, SequenceAdjustment.NONE);
    }
    return b.build();
  }

  /** What a backup keeps of a connection it did not have: the kernel backup's rules. */
  static SyncConnection asKept(SyncVersion version, SyncConnection c) {
    SyncConnection sent = asSent(version, c);
    int wire = sent.flags().raw();
    int flags =
        version == SyncVersion.V1
            ? (wire & ConnectionFlags.BACKUP_MASK) | ConnectionFlags.SYNC
            : (wire | ConnectionFlags.SYNC) & ~ConnectionFlags.HASHED;
    long timeout = sent.timeout().toSeconds();
    if (timeout == 0) {
      timeout = IpvsProtocol.defaultTimeoutSeconds(c.protocol(), c.isTemplate(), c.state());
    }
    return sent.toBuilder()
        .flags(flags)
        .timeout(Duration.ofSeconds(timeout))
        .persistence(c.isTemplate() ? sent.persistence() : null)
        .build();
  }

  private static boolean unknownEngine(SyncVersion version, SyncConnection c) {
    return version == SyncVersion.V1
        && c.persistence() != null
        && !c.persistence().engine().equals("sip");
  }

  private static long unknownEngines(SyncVersion version, List<SyncConnection> table) {
    return table.stream().filter(c -> unknownEngine(version, c)).count();
  }

  private static java.net.InetAddress parse(String literal) {
    try {
      return java.net.InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
