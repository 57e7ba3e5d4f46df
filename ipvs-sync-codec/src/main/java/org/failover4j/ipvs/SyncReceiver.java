package org.failover4j.ipvs;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.failover4j.api.DropCounters;
import org.failover4j.api.MalformedPacketException;

/**
 * The backup side: decodes each received message and applies its entries to a {@link
 * ConnectionTable}, counting every dropped message and skipped entry by reason. Like the kernel, a
 * malformed entry ends its message but the entries before it stay applied.
 *
 * <p>Confined to the table's event loop; allocates nothing for well-formed messages that only
 * update existing entries.
 */
public final class SyncReceiver {

  private final SyncMessageReader reader;
  private final ConnectionTable table;
  private final DropCounters<IpvsDropReason> drops = new DropCounters<>(IpvsDropReason.class);
  private volatile long messages;
  private volatile long entries;

  /**
   * A receiver that reads with {@code config}'s backup settings into {@code table}.
   *
   * @param config the sync settings (syncid filter, v0 byte order, persistence engines)
   * @param table the table to apply entries to
   */
  public SyncReceiver(SyncConfig config, ConnectionTable table) {
    this(config.newReader(), table);
  }

  /**
   * A receiver that reads with {@code reader} into {@code table}.
   *
   * @param reader the reader to decode with
   * @param table the table to apply entries to
   */
  public SyncReceiver(SyncMessageReader reader, ConnectionTable table) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.table = Objects.requireNonNull(table, "table");
  }

  /**
   * Processes the datagram of {@code length} bytes at absolute {@code offset}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the datagram
   * @param length its length
   * @return the number of entries applied
   */
  public int receive(ByteBuffer buffer, int offset, int length) {
    int applied = 0;
    try {
      reader.wrap(buffer, offset, length);
      messages++;
      SyncEntry entry = reader.entry();
      while (reader.advance()) {
        if (entry.skipReason() != null) {
          drops.increment(entry.skipReason());
        } else {
          table.apply(entry);
          applied++;
        }
      }
    } catch (MalformedPacketException e) {
      drops.increment(e);
    }
    entries += applied;
    return applied;
  }

  /**
   * Dropped messages, cut-short messages and skipped entries, by reason; readable anywhere.
   *
   * @return the counters, live
   */
  public DropCounters<IpvsDropReason> drops() {
    return drops;
  }

  /**
   * Messages whose header was accepted.
   *
   * @return the count
   */
  public long messagesReceived() {
    return messages;
  }

  /**
   * Entries applied to the table.
   *
   * @return the count
   */
  public long entriesApplied() {
    return entries;
  }

  /** {@return the table entries go to} */
  public ConnectionTable table() {
    return table;
  }
}
