package org.failover4j.xfrm;

import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.MalformedPacketException;

/**
 * The transport-neutral encoding of {@link SaSyncMessage}s, in network byte order whatever the
 * hosts' order (unlike netlink, which is host order), so a master and a backup of different
 * architectures agree. Authentication is the channel's business ({@link SyncAuthenticator}).
 *
 * <pre>
 * header (20 bytes):
 *   0  magic "F4XS" (u32)      4  version u8 = 1   5  reserved u8 = 0   6  record count u16
 *   8  sender id u32          12  counter u64
 * record:
 *   family u8 (2|10), protocol u8, present u16 (bits below), spi u32,
 *   daddr (4|16), saddr (4|16), flags u32, reqid u32,
 *   [replay: oseq, seq, bitmap u32]               present bit 0
 *   [esn: bmp_len u16, oseq, seq, oseq_hi, seq_hi, replay_window u32, bmp_len x u32]   bit 1
 *   [lifetime: bytes, packets, add_time, use_time u64]   bit 2
 *   [replay threshold u32] bit 3   [etimer threshold u32] bit 4
 *   [mark value, mask u32] bit 5   [if_id u32] bit 6
 * </pre>
 */
public final class SaSyncCodec {

  /** {@code "F4XS"}. */
  public static final int MAGIC = 0x46345853;

  /** The format version this codec writes and reads. */
  public static final int VERSION = 1;

  /** The header's length. */
  public static final int HEADER_LENGTH = 20;

  private static final int MIN_RECORD_LENGTH = 8 + 4 + 4 + 8;
  private static final int REPLAY = 1;
  private static final int ESN = 2;
  private static final int LIFETIME = 4;
  private static final int RTHR = 8;
  private static final int ETHR = 16;
  private static final int MARK = 32;
  private static final int IF_ID = 64;

  /**
   * Writes {@code message} at {@code dst}'s position, which moves past it.
   *
   * @param message the message
   * @param dst the buffer to write at its position
   * @throws BufferOverflowException when {@code dst} has too little room
   */
  public void encode(SaSyncMessage message, ByteBuffer dst) {
    ByteBuffer out = dst.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (message.states().size() > 0xffff) {
      throw new IllegalArgumentException("at most 65535 states per message");
    }
    out.putInt(MAGIC)
        .put((byte) VERSION)
        .put((byte) 0)
        .putShort((short) message.states().size())
        .putInt(message.senderId())
        .putLong(message.counter());
    for (Aevent ae : message.states()) {
      int present =
          (ae.replay().isPresent() ? REPLAY : 0)
              | (ae.replayEsn().isPresent() ? ESN : 0)
              | (ae.lifetime().isPresent() ? LIFETIME : 0)
              | (ae.replayThreshold().isPresent() ? RTHR : 0)
              | (ae.etimerThreshold().isPresent() ? ETHR : 0)
              | (ae.mark().isPresent() ? MARK : 0)
              | (ae.ifId().isPresent() ? IF_ID : 0);
      out.put((byte) ae.sa().family())
          .put((byte) ae.sa().protocol())
          .putShort((short) present)
          .putInt(ae.sa().spi())
          .put(ae.sa().destination().getAddress())
          .put(ae.source().getAddress())
          .putInt(ae.flags())
          .putInt(ae.reqid());
      ae.replay()
          .ifPresent(
              r -> out.putInt(r.outboundSequence()).putInt(r.inboundSequence()).putInt(r.bitmap()));
      ae.replayEsn()
          .ifPresent(
              e -> {
                out.putShort((short) e.bitmapWords())
                    .putInt(e.outboundSequence())
                    .putInt(e.inboundSequence())
                    .putInt(e.outboundSequenceHigh())
                    .putInt(e.inboundSequenceHigh())
                    .putInt(e.replayWindow());
                for (int i = 0; i < e.bitmapWords(); i++) {
                  out.putInt(e.bitmapWord(i));
                }
              });
      ae.lifetime()
          .ifPresent(
              l ->
                  out.putLong(l.bytes())
                      .putLong(l.packets())
                      .putLong(l.addTime())
                      .putLong(l.useTime()));
      ae.replayThreshold().ifPresent(out::putInt);
      ae.etimerThreshold().ifPresent(out::putInt);
      ae.mark().ifPresent(m -> out.putInt(m.value()).putInt(m.mask()));
      ae.ifId().ifPresent(out::putInt);
    }
    dst.position(out.position());
  }

  /**
   * Reads the message in {@code length} bytes of {@code buffer} from {@code offset}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the message
   * @param length its length
   * @return the message
   * @throws MalformedPacketException ({@link XfrmDropReason#SYNC_TRUNCATED}, {@link
   *     XfrmDropReason#SYNC_BAD_VERSION}, {@link XfrmDropReason#UNKNOWN_FAMILY}, or an ESN reason)
   */
  public SaSyncMessage decode(ByteBuffer buffer, int offset, int length) {
    Reader in = new Reader(buffer, offset, length);
    if (in.u32() != MAGIC) {
      throw new MalformedPacketException(XfrmDropReason.SYNC_BAD_VERSION, "bad magic");
    }
    int version = in.u8();
    if (version != VERSION) {
      throw new MalformedPacketException(
          XfrmDropReason.SYNC_BAD_VERSION, "version " + version + ", need " + VERSION);
    }
    in.u8();
    int count = in.u16();
    int sender = in.u32();
    long counter = in.u64();
    if ((long) count * MIN_RECORD_LENGTH > in.left()) {
      throw new MalformedPacketException(
          XfrmDropReason.SYNC_TRUNCATED, count + " records cannot fit in " + in.left() + " bytes");
    }
    List<Aevent> states = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      states.add(record(in));
    }
    if (in.left() != 0) {
      throw new MalformedPacketException(
          XfrmDropReason.SYNC_TRUNCATED, in.left() + " bytes after the last record");
    }
    return new SaSyncMessage(sender, counter, states);
  }

  private static Aevent record(Reader in) {
    int family = in.u8();
    if (family != Xfrm.AF_INET && family != Xfrm.AF_INET6) {
      throw new MalformedPacketException(
          XfrmDropReason.UNKNOWN_FAMILY, "address family " + family + ", need 2 or 10");
    }
    int protocol = in.u8();
    int present = in.u16();
    int spi = in.u32();
    int addressLength = family == Xfrm.AF_INET ? 4 : 16;
    InetAddress daddr = Aevent.address(in.bytes(addressLength));
    InetAddress saddr = Aevent.address(in.bytes(addressLength));
    Aevent.Builder b =
        Aevent.builder(new SaId(daddr, spi, protocol))
            .source(saddr)
            .flags(in.u32())
            .reqid(in.u32());
    if ((present & REPLAY) != 0) {
      b.replay(new ReplayState(in.u32(), in.u32(), in.u32()));
    }
    if ((present & ESN) != 0) {
      int words = in.u16();
      if (words > Xfrm.REPLAY_ESN_MAX_WORDS) {
        throw new MalformedPacketException(
            XfrmDropReason.ESN_BITMAP_TOO_LONG,
            "bmp_len " + words + " words, at most " + Xfrm.REPLAY_ESN_MAX_WORDS);
      }
      int oseq = in.u32();
      int seq = in.u32();
      int oseqHi = in.u32();
      int seqHi = in.u32();
      int window = in.u32();
      if (Integer.toUnsignedLong(window) > 32L * words) {
        throw new MalformedPacketException(
            XfrmDropReason.ESN_WINDOW_EXCEEDS_BITMAP,
            "replay_window " + Integer.toUnsignedString(window) + " exceeds " + words + " words");
      }
      in.need(4 * words);
      int[] bitmap = new int[words];
      for (int i = 0; i < words; i++) {
        bitmap[i] = in.u32();
      }
      b.replayEsn(new ReplayStateEsn(oseq, seq, oseqHi, seqHi, window, bitmap));
    }
    if ((present & LIFETIME) != 0) {
      b.lifetime(new LifetimeCounters(in.u64(), in.u64(), in.u64(), in.u64()));
    }
    if ((present & RTHR) != 0) {
      b.replayThreshold(in.u32());
    }
    if ((present & ETHR) != 0) {
      b.etimerThreshold(in.u32());
    }
    if ((present & MARK) != 0) {
      b.mark(new XfrmMark(in.u32(), in.u32()));
    }
    if ((present & IF_ID) != 0) {
      b.ifId(in.u32());
    }
    return b.build();
  }

  /** Bounds-checked big-endian reads; every read says how much it needs first. */
  private static final class Reader {
    private final ByteBuffer in;
    private final int end;

    Reader(ByteBuffer buffer, int offset, int length) {
      if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
        throw new MalformedPacketException(
            XfrmDropReason.SYNC_TRUNCATED, length + " bytes at " + offset + " outside the buffer");
      }
      this.in = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
      this.in.limit(offset + length).position(offset);
      this.end = offset + length;
      need(HEADER_LENGTH);
    }

    int left() {
      return end - in.position();
    }

    void need(int bytes) {
      if (bytes > left()) {
        throw new MalformedPacketException(
            XfrmDropReason.SYNC_TRUNCATED, "need " + bytes + " bytes, " + left() + " left");
      }
    }

    int u8() {
      need(1);
      return Byte.toUnsignedInt(in.get());
    }

    int u16() {
      need(2);
      return Short.toUnsignedInt(in.getShort());
    }

    int u32() {
      need(4);
      return in.getInt();
    }

    long u64() {
      need(8);
      return in.getLong();
    }

    byte[] bytes(int count) {
      need(count);
      byte[] b = new byte[count];
      in.get(b);
      return b;
    }
  }
}
