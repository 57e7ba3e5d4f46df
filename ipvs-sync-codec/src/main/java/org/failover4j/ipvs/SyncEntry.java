package org.failover4j.ipvs;

import static org.failover4j.ipvs.SyncWire.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.failover4j.api.AddressText;
import org.failover4j.api.ByteAccess;

/**
 * A read-only view of the current entry of a {@link SyncMessageReader}: a flyweight over the
 * message bytes, valid until the reader moves on. The primitive accessors allocate nothing; those
 * returning {@link InetAddress}, {@link String} or records allocate.
 *
 * <p>An entry the kernel would skip still has its fields, and {@link #skipReason()} says why it is
 * skipped. Fields a v0 entry lacks read as 0: {@link #firewallMark()}, {@link #timeoutSeconds()}.
 */
public final class SyncEntry {

  /** Which of the three addresses, for the package's zero-allocation address reads. */
  static final int CLIENT = 0;

  static final int VIRTUAL = 1;
  static final int DESTINATION = 2;

  private ByteBuffer buffer;
  private int offset;
  private int index;
  private SyncVersion version;
  private boolean ipv6;
  private int length;
  private int sequenceOffset;
  private ByteOrder sequenceOrder;
  private int peDataOffset;
  private int peDataLength;
  private int peNameOffset;
  private int peNameLength;
  private String engine;
  private IpvsDropReason skipReason;

  SyncEntry() {}

  void reset(ByteBuffer buffer, int offset, int index, SyncVersion version) {
    this.buffer = buffer;
    this.offset = offset;
    this.index = index;
    this.version = version;
    this.ipv6 = false;
    this.length = 0;
    this.sequenceOffset = -1;
    this.peDataOffset = -1;
    this.peDataLength = 0;
    this.peNameOffset = -1;
    this.peNameLength = 0;
    this.engine = null;
    this.skipReason = null;
  }

  void ipv6(boolean ipv6) {
    this.ipv6 = ipv6;
  }

  void length(int length) {
    this.length = length;
  }

  void sequence(int sequenceOffset, ByteOrder order) {
    this.sequenceOffset = sequenceOffset;
    this.sequenceOrder = order;
  }

  void peData(int dataOffset, int dataLength) {
    this.peDataOffset = dataOffset;
    this.peDataLength = dataLength;
  }

  void peName(int nameOffset, int nameLength) {
    this.peNameOffset = nameOffset;
    this.peNameLength = nameLength;
  }

  void engine(String engine) {
    this.engine = engine;
  }

  void skip(IpvsDropReason reason) {
    this.skipReason = reason;
  }

  /** {@return the entry's position in its message, from 0} */
  public int index() {
    return index;
  }

  /** {@return the version of the message the entry is in} */
  public SyncVersion version() {
    return version;
  }

  /** {@return the entry's offset in the buffer} */
  public int offset() {
    return offset;
  }

  /** {@return the entry's length without padding: its v1 size field, or 24 / 48 for v0} */
  public int length() {
    return length;
  }

  /**
   * Why the kernel would skip this entry, or null when it would apply it.
   *
   * @return the reason, or null
   */
  public IpvsDropReason skipReason() {
    return skipReason;
  }

  /** {@return true for IPv6 addresses (v1 type bit 0)} */
  public boolean ipv6() {
    return ipv6;
  }

  /** {@return the raw type byte of a v1 entry; 0 for v0} */
  public int type() {
    return version == SyncVersion.V1 ? ByteAccess.getU8(buffer, offset + V1_TYPE) : 0;
  }

  /** {@return the IP protocol number} */
  public int protocol() {
    return ByteAccess.getU8(
        buffer, offset + (version == SyncVersion.V1 ? V1_PROTOCOL : V0_PROTOCOL));
  }

  /** {@return the flags as on the wire: 32 bits in v1, 16 in v0} */
  public int flags() {
    return version == SyncVersion.V1
        ? ByteAccess.getInt(buffer, offset + V1_FLAGS)
        : ByteAccess.getU16(buffer, offset + V0_FLAGS);
  }

  /**
   * {@return the flags a backup gives a new connection from this entry: v1 keeps {@link
   * ConnectionFlags#BACKUP_MASK}, v0 keeps every bit but {@code HASHED}; both add {@code SYNC}}
   */
  public int backupFlags() {
    int wire = flags();
    return version == SyncVersion.V1
        ? (wire & ConnectionFlags.BACKUP_MASK) | ConnectionFlags.SYNC
        : (wire | ConnectionFlags.SYNC) & ~ConnectionFlags.HASHED;
  }

  /** {@return true for a persistence template} */
  public boolean isTemplate() {
    return (flags() & ConnectionFlags.TEMPLATE) != 0;
  }

  /** {@return the state number} */
  public int state() {
    return ByteAccess.getU16(buffer, offset + (version == SyncVersion.V1 ? V1_STATE : V0_STATE));
  }

  /** {@return the state, typed by protocol (allocates for unknown values)} */
  public ConnectionState connectionState() {
    return ConnectionState.of(protocol(), isTemplate(), state());
  }

  /** {@return the client port} */
  public int clientPort() {
    return ByteAccess.getU16(buffer, offset + (version == SyncVersion.V1 ? V1_CPORT : V0_CPORT));
  }

  /** {@return the virtual service's port} */
  public int virtualPort() {
    return ByteAccess.getU16(buffer, offset + (version == SyncVersion.V1 ? V1_VPORT : V0_VPORT));
  }

  /** {@return the real server's port} */
  public int destinationPort() {
    return ByteAccess.getU16(buffer, offset + (version == SyncVersion.V1 ? V1_DPORT : V0_DPORT));
  }

  /** {@return the firewall mark; 0 in v0} */
  public int firewallMark() {
    return version == SyncVersion.V1 ? ByteAccess.getInt(buffer, offset + V1_FWMARK) : 0;
  }

  /**
   * {@return the timeout in seconds (unsigned 32 bits); 0 means the protocol's default, and v0 has
   * 0}
   */
  public long timeoutSeconds() {
    return version == SyncVersion.V1 ? ByteAccess.getU32(buffer, offset + V1_TIMEOUT) : 0;
  }

  /** {@return 4 for IPv4, 16 for IPv6} */
  public int addressLength() {
    return ipv6 ? 16 : 4;
  }

  /** {@return the client's address} */
  public InetAddress clientAddress() {
    return address(CLIENT);
  }

  /** {@return the virtual service's address} */
  public InetAddress virtualAddress() {
    return address(VIRTUAL);
  }

  /** {@return the real server's address} */
  public InetAddress destinationAddress() {
    return address(DESTINATION);
  }

  /**
   * Copies the client's address ({@link #addressLength()} bytes) to {@code dst} at {@code at}.
   *
   * @param dst the array to copy into
   * @param at where in it to start
   */
  public void copyClientAddress(byte[] dst, int at) {
    copyAddress(CLIENT, dst, at);
  }

  /**
   * Copies the virtual service's address to {@code dst} at {@code at}.
   *
   * @param dst the array to copy into
   * @param at where in it to start
   */
  public void copyVirtualAddress(byte[] dst, int at) {
    copyAddress(VIRTUAL, dst, at);
  }

  /**
   * Copies the real server's address to {@code dst} at {@code at}.
   *
   * @param dst the array to copy into
   * @param at where in it to start
   */
  public void copyDestinationAddress(byte[] dst, int at) {
    copyAddress(DESTINATION, dst, at);
  }

  /**
   * {@return true when the entry carries sequence data (v1 option, or v0 flags with a sequence
   * bit)}
   */
  public boolean hasSequence() {
    return sequenceOffset >= 0;
  }

  /**
   * in_seq.init_seq, or 0 without sequence data.
   *
   * @return the value
   */
  public int inInitSeq() {
    return sequenceWord(0);
  }

  /**
   * in_seq.delta, or 0.
   *
   * @return the value
   */
  public int inDelta() {
    return sequenceWord(1);
  }

  /**
   * in_seq.previous_delta, or 0.
   *
   * @return the value
   */
  public int inPreviousDelta() {
    return sequenceWord(2);
  }

  /**
   * out_seq.init_seq, or 0.
   *
   * @return the value
   */
  public int outInitSeq() {
    return sequenceWord(3);
  }

  /**
   * out_seq.delta, or 0.
   *
   * @return the value
   */
  public int outDelta() {
    return sequenceWord(4);
  }

  /**
   * out_seq.previous_delta, or 0.
   *
   * @return the value
   */
  public int outPreviousDelta() {
    return sequenceWord(5);
  }

  /**
   * {@return the input-direction adjustment, {@link SequenceAdjustment#NONE} without sequence data}
   */
  public SequenceAdjustment inSequence() {
    return hasSequence()
        ? new SequenceAdjustment(inInitSeq(), inDelta(), inPreviousDelta())
        : SequenceAdjustment.NONE;
  }

  /**
   * {@return the output-direction adjustment, {@link SequenceAdjustment#NONE} without sequence
   * data}
   */
  public SequenceAdjustment outSequence() {
    return hasSequence()
        ? new SequenceAdjustment(outInitSeq(), outDelta(), outPreviousDelta())
        : SequenceAdjustment.NONE;
  }

  /** {@return true when the entry has a persistence-engine data option} */
  public boolean hasPersistenceData() {
    return peDataOffset >= 0;
  }

  /** {@return the length of the persistence-engine data, 0 without it} */
  public int persistenceDataLength() {
    return peDataLength;
  }

  /**
   * Copies the persistence-engine data to {@code dst} at {@code at}.
   *
   * @param dst the array to copy into
   * @param at where in it to start
   */
  public void copyPersistenceData(byte[] dst, int at) {
    for (int i = 0; i < peDataLength; i++) {
      dst[at + i] = buffer.get(peDataOffset + i);
    }
  }

  /**
   * {@return the persistence-engine data byte at {@code i} (0 until {@link
   * #persistenceDataLength()})}
   *
   * @param i the byte's index
   */
  public byte persistenceDataByte(int i) {
    return buffer.get(peDataOffset + i);
  }

  /** {@return true when the entry has a persistence-engine name option} */
  public boolean hasPersistenceEngineName() {
    return peNameOffset >= 0;
  }

  /**
   * {@return the persistence-engine name as sent (ISO-8859-1 so that every byte shows), or null}
   */
  public String persistenceEngineName() {
    if (peNameOffset < 0) {
      return null;
    }
    byte[] name = new byte[peNameLength];
    for (int i = 0; i < peNameLength; i++) {
      name[i] = buffer.get(peNameOffset + i);
    }
    return new String(name, StandardCharsets.ISO_8859_1);
  }

  boolean persistenceEngineNameEquals(byte[] name) {
    if (peNameOffset < 0 || peNameLength != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (buffer.get(peNameOffset + i) != name[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return the receiver's own name for the engine when the entry has persistence data for an
   * engine it knows, else null} Allocates nothing: it is the configured string.
   */
  public String persistenceEngine() {
    return engine;
  }

  /**
   * {@return the persistence data with the receiver's name for its engine, or null unless the entry
   * has data for an engine the reader knows}
   */
  public PersistenceData persistence() {
    if (peDataOffset < 0 || engine == null) {
      return null;
    }
    byte[] data = new byte[peDataLength];
    copyPersistenceData(data, 0);
    return new PersistenceData(engine, data);
  }

  /**
   * {@return the entry as a value with the flags, timeout and options as sent} Persistence data is
   * kept only for an engine the reader knows (see {@link #persistence()}).
   */
  public SyncConnection toConnection() {
    return new SyncConnection(
        protocol(),
        clientAddress(),
        clientPort(),
        virtualAddress(),
        virtualPort(),
        destinationAddress(),
        destinationPort(),
        ConnectionFlags.of(flags()),
        state(),
        firewallMark(),
        Duration.ofSeconds(timeoutSeconds()),
        inSequence(),
        outSequence(),
        persistence());
  }

  /** The upper 64 bits of an IPv6 address; 0 for IPv4. */
  long addressHigh(int which) {
    return ipv6 ? ByteAccess.getLong(buffer, addressOffset(which)) : 0;
  }

  /** The lower 64 bits of an IPv6 address; the unsigned IPv4 address otherwise. */
  long addressLow(int which) {
    int at = addressOffset(which);
    return ipv6 ? ByteAccess.getLong(buffer, at + 8) : ByteAccess.getU32(buffer, at);
  }

  private int addressOffset(int which) {
    if (version == SyncVersion.V0) {
      return offset + V0_CADDR + 4 * which;
    }
    return offset + V1_ADDRESSES + addressLength() * which;
  }

  private void copyAddress(int which, byte[] dst, int at) {
    int from = addressOffset(which);
    for (int i = 0; i < addressLength(); i++) {
      dst[at + i] = buffer.get(from + i);
    }
  }

  private InetAddress address(int which) {
    return Addresses.of(ipv6, addressHigh(which), addressLow(which));
  }

  private int sequenceWord(int word) {
    if (sequenceOffset < 0) {
      return 0;
    }
    return ByteAccess.getInt(buffer, sequenceOffset + 4 * word, sequenceOrder);
  }

  @Override
  public String toString() {
    if (buffer == null) {
      return "SyncEntry (unset)";
    }
    return "SyncEntry #"
        + index
        + " "
        + version
        + (skipReason != null ? " skipped " + skipReason : "")
        + " proto "
        + protocol()
        + " "
        + AddressText.of(clientAddress())
        + ":"
        + clientPort()
        + " -> "
        + AddressText.of(virtualAddress())
        + ":"
        + virtualPort()
        + " -> "
        + AddressText.of(destinationAddress())
        + ":"
        + destinationPort()
        + " flags "
        + ConnectionFlags.of(flags())
        + " state "
        + state();
  }
}
