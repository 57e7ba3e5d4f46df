package org.failover4j.ipvs;

import static org.failover4j.ipvs.SyncWire.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.MalformedPacketException;

/**
 * Decodes IPVS sync messages, v0 and v1, the way the Linux kernel's backup does: a reusable
 * flyweight that allocates nothing for a well-formed message.
 *
 * <pre>{@code
 * reader.wrap(buffer, offset, length);   // header faults throw here
 * SyncEntry entry = reader.entry();
 * while (reader.advance()) {             // entry faults throw here, after the entries before
 *   if (entry.skipReason() == null) {
 *     table.apply(entry);
 *   }
 * }
 * }</pre>
 *
 * <p>Every fault is a {@link MalformedPacketException} carrying an {@link IpvsDropReason}; entries
 * the kernel would skip are returned with {@link SyncEntry#skipReason()} set. The version is
 * detected as the kernel does: a message is v1 when its version byte is 1 and its reserved byte and
 * spare field are 0, else v0. Messages shorter than the 8-byte v1 header are read as v0 (the kernel
 * reads those bytes beyond the datagram). Not thread-safe: one reader per thread.
 */
public final class SyncMessageReader {

  /** The engines the kernel ships: SIP. */
  public static final List<String> DEFAULT_PERSISTENCE_ENGINES = List.of("sip");

  private final int syncIdFilter;
  private final ByteOrder v0SequenceOrder;
  private final String[] engines;
  private final byte[][] engineBytes;
  private final SyncEntry entry = new SyncEntry();

  private ByteBuffer buffer;
  private int start;
  private int end;
  private SyncVersion version;
  private int syncId;
  private int count;
  private int index;
  private int next;

  /** A reader that accepts every syncid, reads v0 sequence data little-endian, knows "sip". */
  public SyncMessageReader() {
    this(0, ByteOrder.LITTLE_ENDIAN, DEFAULT_PERSISTENCE_ENGINES);
  }

  /**
   * A reader with the backup's settings.
   *
   * @param syncIdFilter drop messages of another syncid; 0 accepts all (as the kernel does)
   * @param v0SequenceOrder the byte order of the master's v0 sequence block (its host order)
   * @param persistenceEngines the engines whose data this backup accepts
   */
  public SyncMessageReader(
      int syncIdFilter, ByteOrder v0SequenceOrder, Collection<String> persistenceEngines) {
    this.syncIdFilter =
        InvalidConfigurationException.requireInRange("syncId", syncIdFilter, 0, 255);
    this.v0SequenceOrder = Objects.requireNonNull(v0SequenceOrder, "v0SequenceOrder");
    this.engines = persistenceEngines.toArray(String[]::new);
    this.engineBytes = new byte[engines.length][];
    for (int i = 0; i < engines.length; i++) {
      engineBytes[i] = engines[i].getBytes(StandardCharsets.US_ASCII);
    }
  }

  /**
   * Starts reading the message of {@code length} bytes at absolute {@code offset}, which must lie
   * below the buffer's limit; the buffer's position, limit and byte order are left alone.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the message
   * @param length its length
   * @return this reader
   * @throws MalformedPacketException for a message the kernel drops as a whole
   */
  public SyncMessageReader wrap(ByteBuffer buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.limit());
    this.buffer = buffer;
    this.start = offset;
    this.end = offset + length;
    this.count = 0;
    this.index = 0;
    if (length < V0_HEADER_LENGTH) {
      throw drop(
          IpvsDropReason.TRUNCATED_HEADER,
          "truncated header: " + length + " bytes, need " + V0_HEADER_LENGTH);
    }
    int size = ByteAccess.getU16(buffer, offset + SIZE);
    if (size != length) {
      throw drop(
          IpvsDropReason.SIZE_MISMATCH, "header says " + size + " bytes, datagram has " + length);
    }
    syncId = ByteAccess.getU8(buffer, offset + SYNCID);
    if (syncIdFilter != 0 && syncId != syncIdFilter) {
      throw drop(
          IpvsDropReason.SYNCID_MISMATCH, "syncid " + syncId + ", backup has " + syncIdFilter);
    }
    if (length >= V1_HEADER_LENGTH
        && ByteAccess.getU8(buffer, offset + V1_VERSION) == PROTOCOL_VERSION_1
        && ByteAccess.getU8(buffer, offset + V1_RESERVED) == 0
        && ByteAccess.getU16(buffer, offset + V1_SPARE) == 0) {
      version = SyncVersion.V1;
      count = ByteAccess.getU8(buffer, offset + V1_COUNT);
      next = offset + V1_HEADER_LENGTH;
    } else {
      version = SyncVersion.V0;
      count = ByteAccess.getU8(buffer, offset + V0_COUNT);
      next = offset + V0_HEADER_LENGTH;
    }
    return this;
  }

  /** {@return the message's version} */
  public SyncVersion version() {
    return version;
  }

  /** {@return the message's syncid} */
  public int syncId() {
    return syncId;
  }

  /** {@return the number of entries the header announces} */
  public int entryCount() {
    return count;
  }

  /** {@return the message's length (its size field)} */
  public int length() {
    return end - start;
  }

  /**
   * {@return the entry flyweight that {@link #advance()} moves; the same object for every message}
   */
  public SyncEntry entry() {
    return entry;
  }

  /**
   * Moves to the next entry.
   *
   * @return false after the last entry the header announced
   * @throws MalformedPacketException when the entry is malformed: the kernel stops there, keeping
   *     the entries before it
   */
  public boolean advance() {
    if (index >= count) {
      return false;
    }
    int at = next;
    int current = index;
    // A fault ends the message: no further entries whatever happens below.
    index = count;
    entry.reset(buffer, at, current, version);
    if (version == SyncVersion.V1) {
      readV1(at, current);
    } else {
      readV0(at, current);
    }
    index = current + 1;
    return true;
  }

  private void readV0(int at, int current) {
    if (at + V0_ENTRY_LENGTH > end) {
      throw drop(
          IpvsDropReason.TRUNCATED_ENTRY,
          "entry " + current + ": " + (end - at) + " bytes left, need " + V0_ENTRY_LENGTH);
    }
    int flags = ByteAccess.getU16(buffer, at + V0_FLAGS);
    int length = V0_ENTRY_LENGTH;
    if ((flags & ConnectionFlags.SEQ_MASK) != 0) {
      length += SEQUENCE_BLOCK_LENGTH;
      if (at + length > end) {
        throw drop(
            IpvsDropReason.TRUNCATED_ENTRY,
            "entry " + current + " sequence data: " + (end - at) + " bytes left, need " + length);
      }
      entry.sequence(at + V0_SEQUENCE, v0SequenceOrder);
    }
    entry.length(length);
    next = at + length;
    if ((flags & ConnectionFlags.TEMPLATE) == 0) {
      checkProtocolAndState(
          ByteAccess.getU8(buffer, at + V0_PROTOCOL), ByteAccess.getU16(buffer, at + V0_STATE));
    }
  }

  private void readV1(int at, int current) {
    if (at + V1_FIXED_LENGTH_IPV4 > end) {
      throw drop(
          IpvsDropReason.TRUNCATED_ENTRY,
          "entry " + current + ": " + (end - at) + " bytes left, need " + V1_FIXED_LENGTH_IPV4);
    }
    int verSize = ByteAccess.getU16(buffer, at + V1_VER_SIZE);
    int size = verSize & SIZE_MASK;
    if (at + size > end) {
      throw drop(
          IpvsDropReason.ENTRY_OVERRUNS_MESSAGE,
          "entry " + current + " size " + size + ", " + (end - at) + " bytes left");
    }
    if ((verSize >>> VERSION_SHIFT) != 0) {
      throw drop(
          IpvsDropReason.UNKNOWN_ENTRY_VERSION,
          "entry " + current + " version " + (verSize >>> VERSION_SHIFT) + ", need 0");
    }
    int type = ByteAccess.getU8(buffer, at + V1_TYPE);
    boolean ipv6 = (type & TYPE_IPV6) != 0;
    if (!ipv6 && type != 0) {
      throw drop(IpvsDropReason.UNKNOWN_ENTRY_TYPE, "entry " + current + " type " + type);
    }
    int fixed = ipv6 ? V1_FIXED_LENGTH_IPV6 : V1_FIXED_LENGTH_IPV4;
    if (size < fixed) {
      throw drop(
          IpvsDropReason.ENTRY_SIZE_TOO_SMALL,
          "entry "
              + current
              + " size "
              + size
              + ", "
              + (ipv6 ? "IPv6" : "IPv4")
              + " needs "
              + fixed);
    }
    entry.ipv6(ipv6);
    entry.length(size);
    // The next entry starts 4-byte aligned; a misplaced one is caught by the next bounds check.
    next = at + ((size + 3) & ~3);
    if (!readOptions(at + fixed, at + size, current)) {
      return;
    }
    int flags = ByteAccess.getInt(buffer, at + V1_FLAGS);
    if ((flags & ConnectionFlags.TEMPLATE) == 0) {
      checkProtocolAndState(
          ByteAccess.getU8(buffer, at + V1_PROTOCOL), ByteAccess.getU16(buffer, at + V1_STATE));
      if (entry.skipReason() != null) {
        return;
      }
    }
    checkPersistenceEngine();
  }

  /** Reads the options; false when the entry is skipped for an unknown mandatory option. */
  private boolean readOptions(int p, int entryEnd, int current) {
    boolean seen = false;
    boolean seenData = false;
    boolean seenName = false;
    while (p < entryEnd) {
      if (p + OPTION_HEADER_LENGTH > entryEnd) {
        throw drop(
            IpvsDropReason.TRUNCATED_OPTION,
            "entry " + current + ": option header at offset " + (p - start) + " crosses its end");
      }
      int type = ByteAccess.getU8(buffer, p);
      int length = ByteAccess.getU8(buffer, p + 1);
      p += OPTION_HEADER_LENGTH;
      if (length == 0 || p + length > entryEnd) {
        throw drop(
            IpvsDropReason.BAD_OPTION_LENGTH,
            "entry "
                + current
                + " option "
                + type
                + " length "
                + length
                + ", "
                + (entryEnd - p)
                + " bytes left in the entry");
      }
      switch (type & ~OPT_MAY_IGNORE) {
        case OPT_SEQ_DATA -> {
          if (length != SEQUENCE_BLOCK_LENGTH) {
            throw drop(
                IpvsDropReason.BAD_SEQUENCE_OPTION,
                "entry " + current + " sequence option of " + length + " bytes, need 24");
          }
          if (seen) {
            throw duplicate(current, "sequence data");
          }
          seen = true;
          entry.sequence(p, ByteOrder.BIG_ENDIAN);
        }
        case OPT_PE_DATA -> {
          if (seenData) {
            throw duplicate(current, "persistence data");
          }
          seenData = true;
          entry.peData(p, length);
        }
        case OPT_PE_NAME -> {
          if (length > PE_NAME_MAX_LENGTH) {
            throw drop(
                IpvsDropReason.PE_NAME_TOO_LONG,
                "entry " + current + " engine name of " + length + " bytes, at most 16");
          }
          if (seenName) {
            throw duplicate(current, "persistence engine name");
          }
          seenName = true;
          entry.peName(p, length);
        }
        default -> {
          if ((type & OPT_MAY_IGNORE) == 0) {
            // The kernel gives up on the entry here, without looking at the options after it.
            entry.skip(IpvsDropReason.UNKNOWN_MANDATORY_OPTION);
            return false;
          }
        }
      }
      p += length;
    }
    return true;
  }

  private void checkProtocolAndState(int protocol, int state) {
    int states = IpvsProtocol.stateCount(protocol);
    if (states == 0) {
      entry.skip(IpvsDropReason.UNSUPPORTED_PROTOCOL);
    } else if (state >= states) {
      entry.skip(IpvsDropReason.INVALID_STATE);
    }
  }

  private void checkPersistenceEngine() {
    if (!entry.hasPersistenceData()) {
      return;
    }
    if (!entry.hasPersistenceEngineName()) {
      entry.skip(IpvsDropReason.PE_DATA_WITHOUT_NAME);
      return;
    }
    for (int i = 0; i < engineBytes.length; i++) {
      if (entry.persistenceEngineNameEquals(engineBytes[i])) {
        entry.engine(engines[i]);
        return;
      }
    }
    entry.skip(IpvsDropReason.UNKNOWN_PERSISTENCE_ENGINE);
  }

  private MalformedPacketException duplicate(int current, String what) {
    return drop(IpvsDropReason.DUPLICATE_OPTION, "entry " + current + ": " + what + " twice");
  }

  private static MalformedPacketException drop(IpvsDropReason reason, String detail) {
    return new MalformedPacketException(reason, detail);
  }
}
