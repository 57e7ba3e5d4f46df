package org.failover4j.ipvs;

import static org.failover4j.ipvs.SyncWire.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.failover4j.api.ByteAccess;

/**
 * Encodes IPVS sync messages as the Linux kernel's master does: entries are appended to a message
 * of bounded size until the next one does not fit, and the header's count and size always describe
 * what was written so far.
 *
 * <pre>{@code
 * writer.begin(buffer, 0, 1472, syncId);
 * while (more && writer.add(connection)) { ... }
 * int length = writer.length();   // bytes buffer[0, length) are the message
 * }</pre>
 *
 * <p>Like the kernel it clears {@code HASHED} in the flags, writes the sequence data only when the
 * flags have a sequence bit, writes the persistence engine's name after its data, and pads v1
 * entries to 4 bytes only in front of the next entry (never after the last). v0 keeps the low 16
 * flag bits and writes the sequence block in the configured byte order. Not thread-safe.
 */
public final class SyncMessageWriter {

  private final SyncVersion version;
  private final ByteOrder v0SequenceOrder;

  private ByteBuffer buffer;
  private int start;
  private int limit;
  private int position;
  private int count;

  /** A v1 writer. */
  public SyncMessageWriter() {
    this(SyncVersion.V1, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A writer of {@code version} messages.
   *
   * @param version the version to write
   * @param v0SequenceOrder the byte order of the v0 sequence block (the kernel writes its host
   *     order: little-endian on x86)
   */
  public SyncMessageWriter(SyncVersion version, ByteOrder v0SequenceOrder) {
    this.version = Objects.requireNonNull(version, "version");
    this.v0SequenceOrder = Objects.requireNonNull(v0SequenceOrder, "v0SequenceOrder");
  }

  /** {@return the version this writer encodes} */
  public SyncVersion version() {
    return version;
  }

  /**
   * Starts an empty message at absolute {@code offset} that may grow to {@code capacity} bytes
   * below the buffer's limit; writes its header at once. The buffer's position and limit are left
   * alone.
   *
   * @param buffer the buffer to write into
   * @param offset the absolute offset of the message
   * @param capacity the most bytes the message may take
   * @param syncId the syncid to put in the header
   * @return this writer
   */
  public SyncMessageWriter begin(ByteBuffer buffer, int offset, int capacity, int syncId) {
    Objects.checkFromIndexSize(offset, capacity, buffer.limit());
    int header = version == SyncVersion.V1 ? V1_HEADER_LENGTH : V0_HEADER_LENGTH;
    if (capacity < header) {
      throw new IllegalArgumentException("capacity " + capacity + " < header " + header);
    }
    this.buffer = buffer;
    this.start = offset;
    this.limit = offset + capacity;
    this.count = 0;
    this.position = offset + header;
    ByteAccess.zero(buffer, offset, header);
    ByteAccess.put8(buffer, offset + SYNCID, syncId);
    if (version == SyncVersion.V1) {
      ByteAccess.put8(buffer, offset + V1_VERSION, PROTOCOL_VERSION_1);
    }
    writeHeaderCounts();
    return this;
  }

  /**
   * Appends {@code connection} when it fits in the capacity and the message has fewer than 255
   * entries.
   *
   * @param connection the connection
   * @return false, writing nothing, when it does not fit
   * @throws IllegalArgumentException for an IPv6 connection in a v0 message
   */
  public boolean add(SyncConnection connection) {
    if (version == SyncVersion.V0 && connection.ipv6()) {
      throw new IllegalArgumentException("v0 carries IPv4 connections only: " + connection);
    }
    if (count == MAX_ENTRIES) {
      return false;
    }
    int length = entryLength(version, connection);
    int pad = version == SyncVersion.V1 ? (4 - ((position - start) & 3)) & 3 : 0;
    if (position + pad + length > limit) {
      return false;
    }
    ByteAccess.zero(buffer, position, pad);
    int at = position + pad;
    if (version == SyncVersion.V1) {
      writeV1(at, length, connection);
    } else {
      writeV0(at, connection);
    }
    position = at + length;
    count++;
    writeHeaderCounts();
    return true;
  }

  /**
   * Entries written so far.
   *
   * @return the number of entries
   */
  public int count() {
    return count;
  }

  /** {@return true before the first entry} */
  public boolean isEmpty() {
    return count == 0;
  }

  /** {@return the message's length so far (its size field)} */
  public int length() {
    return position - start;
  }

  /**
   * {@return the bytes one entry takes, without the padding in front of it}
   *
   * @param version the version to write
   * @param connection the connection
   */
  public static int entryLength(SyncVersion version, SyncConnection connection) {
    boolean sequence = connection.flags().hasSequenceData();
    if (version == SyncVersion.V0) {
      return V0_ENTRY_LENGTH + (sequence ? SEQUENCE_BLOCK_LENGTH : 0);
    }
    int length = connection.ipv6() ? V1_FIXED_LENGTH_IPV6 : V1_FIXED_LENGTH_IPV4;
    if (sequence) {
      length += OPTION_HEADER_LENGTH + SEQUENCE_BLOCK_LENGTH;
    }
    PersistenceData pe = connection.persistence();
    if (pe != null) {
      length += OPTION_HEADER_LENGTH + pe.length() + OPTION_HEADER_LENGTH + pe.engine().length();
    }
    return length;
  }

  private void writeHeaderCounts() {
    ByteAccess.put16(buffer, start + SIZE, position - start);
    ByteAccess.put8(buffer, start + (version == SyncVersion.V1 ? V1_COUNT : V0_COUNT), count);
  }

  private void writeV0(int at, SyncConnection c) {
    int flags = c.flags().raw() & ~ConnectionFlags.HASHED;
    ByteAccess.put8(buffer, at, 0);
    ByteAccess.put8(buffer, at + V0_PROTOCOL, c.protocol());
    ByteAccess.put16(buffer, at + V0_CPORT, c.clientPort());
    ByteAccess.put16(buffer, at + V0_VPORT, c.virtualPort());
    ByteAccess.put16(buffer, at + V0_DPORT, c.destinationPort());
    putAddress(at + V0_CADDR, c.clientAddress());
    putAddress(at + V0_VADDR, c.virtualAddress());
    putAddress(at + V0_DADDR, c.destinationAddress());
    ByteAccess.put16(buffer, at + V0_FLAGS, flags);
    ByteAccess.put16(buffer, at + V0_STATE, c.state());
    if ((flags & ConnectionFlags.SEQ_MASK) != 0) {
      putSequences(at + V0_SEQUENCE, c, v0SequenceOrder);
    }
  }

  private void writeV1(int at, int length, SyncConnection c) {
    int flags = c.flags().raw() & ~ConnectionFlags.HASHED;
    ByteAccess.put8(buffer, at + V1_TYPE, c.ipv6() ? TYPE_IPV6 : 0);
    ByteAccess.put8(buffer, at + V1_PROTOCOL, c.protocol());
    ByteAccess.put16(buffer, at + V1_VER_SIZE, length & SIZE_MASK);
    ByteAccess.put32(buffer, at + V1_FLAGS, flags);
    ByteAccess.put16(buffer, at + V1_STATE, c.state());
    ByteAccess.put16(buffer, at + V1_CPORT, c.clientPort());
    ByteAccess.put16(buffer, at + V1_VPORT, c.virtualPort());
    ByteAccess.put16(buffer, at + V1_DPORT, c.destinationPort());
    ByteAccess.put32(buffer, at + V1_FWMARK, c.firewallMark());
    ByteAccess.put32(buffer, at + V1_TIMEOUT, (int) c.timeout().toSeconds());
    int step = c.ipv6() ? 16 : 4;
    int p = at + V1_ADDRESSES;
    putAddress(p, c.clientAddress());
    putAddress(p + step, c.virtualAddress());
    putAddress(p + 2 * step, c.destinationAddress());
    p += 3 * step;
    if ((flags & ConnectionFlags.SEQ_MASK) != 0) {
      ByteAccess.put8(buffer, p, OPT_SEQ_DATA);
      ByteAccess.put8(buffer, p + 1, SEQUENCE_BLOCK_LENGTH);
      putSequences(p + OPTION_HEADER_LENGTH, c, ByteOrder.BIG_ENDIAN);
      p += OPTION_HEADER_LENGTH + SEQUENCE_BLOCK_LENGTH;
    }
    PersistenceData pe = c.persistence();
    if (pe != null) {
      p = putOption(p, OPT_PE_DATA, pe.dataUnsafe());
      putOption(p, OPT_PE_NAME, pe.engineBytes());
    }
  }

  private int putOption(int p, int type, byte[] data) {
    ByteAccess.put8(buffer, p, type);
    ByteAccess.put8(buffer, p + 1, data.length);
    buffer.put(p + OPTION_HEADER_LENGTH, data);
    return p + OPTION_HEADER_LENGTH + data.length;
  }

  private void putSequences(int p, SyncConnection c, ByteOrder order) {
    SequenceAdjustment in = c.inSequence();
    SequenceAdjustment out = c.outSequence();
    ByteAccess.put32(buffer, p, in.initSeq(), order);
    ByteAccess.put32(buffer, p + 4, in.delta(), order);
    ByteAccess.put32(buffer, p + 8, in.previousDelta(), order);
    ByteAccess.put32(buffer, p + 12, out.initSeq(), order);
    ByteAccess.put32(buffer, p + 16, out.delta(), order);
    ByteAccess.put32(buffer, p + 20, out.previousDelta(), order);
  }

  private void putAddress(int p, InetAddress address) {
    buffer.put(p, address.getAddress());
  }
}
