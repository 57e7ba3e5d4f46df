package org.failover4j.xfrm;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.NetlinkAttributes;
import org.failover4j.netlink.NetlinkDropReason;
import org.failover4j.netlink.NetlinkMessage;
import org.failover4j.netlink.NetlinkMessageWriter;

/**
 * Writes and reads XFRM NEWAE and GETAE messages as {@code net/xfrm/xfrm_user.c} lays them out (see
 * {@link Xfrm} for the header diagram). Attributes are written in the order the kernel's {@code
 * build_aevent} uses: the replay value (ESN or not), the lifetime, the thresholds, the mark, the
 * interface id.
 *
 * <p>Byte order is explicit on every access, whatever order the buffer is set to: the netlink
 * header, family, flags, reqid and every attribute value are in host order; the addresses and the
 * SPI are in network order.
 *
 * <p>Decoding validates like the kernel does since CVE-2017-7184: values shorter than their struct,
 * an ESN attribute whose {@code bmp_len} disagrees with its length or exceeds 128 words, and a
 * replay window larger than the bitmap are {@link MalformedPacketException}s with an {@link
 * XfrmDropReason}. Unknown attributes (and {@code XFRMA_PAD}) are skipped; when an attribute
 * repeats, the last one wins, as in the kernel's parser. The thresholds are read from their own
 * attributes. A codec instance is not thread-safe; it reuses its writer and attribute cursor.
 */
public final class AeventCodec {

  /** Room for the largest message this codec writes (an ESN bitmap of 128 words included). */
  public static final int MAX_MESSAGE_LENGTH = 1024;

  private final NetlinkMessageWriter writer = new NetlinkMessageWriter();
  private final NetlinkAttributes attributes = new NetlinkAttributes();
  private final NetlinkMessage message = new NetlinkMessage();

  /**
   * Writes {@code ae} as one netlink message of {@code type} ({@link Xfrm#XFRM_MSG_NEWAE} or {@link
   * Xfrm#XFRM_MSG_GETAE}) at {@code dst}'s position and moves the position past it.
   *
   * @param ae the message body
   * @param type the netlink message type
   * @param sequence the netlink sequence number
   * @param portId the sender's port id
   * @param dst the buffer to write at its position
   * @param netlinkFlags the header flags, such as {@code NLM_F_REPLACE} for a NEWAE request
   * @return the message length
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room
   */
  public int encode(
      Aevent ae, int type, int netlinkFlags, int sequence, int portId, ByteBuffer dst) {
    writer.wrap(dst).begin(type, netlinkFlags, sequence, portId);
    putAddress(ae.sa().destination());
    writer
        .putS32Network(ae.sa().spi())
        .putU16(ae.sa().family())
        .putU8(ae.sa().protocol())
        .putZeros(1);
    putAddress(ae.source());
    writer.putS32(ae.flags()).putS32(ae.reqid());

    if (ae.replayEsn().isPresent()) {
      ReplayStateEsn esn = ae.replayEsn().get();
      // A struct value, written field by field in host order: header now, length at the end.
      int token = writer.beginNested(Xfrm.XFRMA_REPLAY_ESN_VAL);
      writer
          .putS32(esn.bitmapWords())
          .putS32(esn.outboundSequence())
          .putS32(esn.inboundSequence())
          .putS32(esn.outboundSequenceHigh())
          .putS32(esn.inboundSequenceHigh())
          .putS32(esn.replayWindow());
      for (int i = 0; i < esn.bitmapWords(); i++) {
        writer.putS32(esn.bitmapWord(i));
      }
      writer.endNested(token);
    }
    if (ae.replay().isPresent()) {
      ReplayState r = ae.replay().get();
      int token = writer.beginNested(Xfrm.XFRMA_REPLAY_VAL);
      writer.putS32(r.outboundSequence()).putS32(r.inboundSequence()).putS32(r.bitmap());
      writer.endNested(token);
    }
    if (ae.lifetime().isPresent()) {
      LifetimeCounters lt = ae.lifetime().get();
      int token = writer.beginNested(Xfrm.XFRMA_LTIME_VAL);
      writer.putS64(lt.bytes()).putS64(lt.packets()).putS64(lt.addTime()).putS64(lt.useTime());
      writer.endNested(token);
    }
    if (ae.replayThreshold().isPresent()) {
      writer.attributeS32(Xfrm.XFRMA_REPLAY_THRESH, ae.replayThreshold().getAsInt());
    }
    if (ae.etimerThreshold().isPresent()) {
      writer.attributeS32(Xfrm.XFRMA_ETIMER_THRESH, ae.etimerThreshold().getAsInt());
    }
    if (ae.mark().isPresent()) {
      int token = writer.beginNested(Xfrm.XFRMA_MARK);
      writer.putS32(ae.mark().get().value()).putS32(ae.mark().get().mask());
      writer.endNested(token);
    }
    if (ae.ifId().isPresent()) {
      writer.attributeS32(Xfrm.XFRMA_IF_ID, ae.ifId().getAsInt());
    }
    return writer.end();
  }

  /**
   * Reads the one netlink message in {@code length} bytes of {@code buffer} from {@code offset}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the message
   * @param length its length
   * @return the message body
   * @throws MalformedPacketException with an {@link XfrmDropReason} for any malformed input
   */
  public Aevent decode(ByteBuffer buffer, int offset, int length) {
    try {
      message.wrap(buffer, offset, length);
    } catch (MalformedPacketException e) {
      throw framing(e);
    }
    return decode(message);
  }

  /**
   * Reads a NEWAE or GETAE message.
   *
   * @param m a received netlink message
   * @return the message body
   * @throws MalformedPacketException with an {@link XfrmDropReason} for any malformed input
   */
  public Aevent decode(NetlinkMessage m) {
    int type = m.type();
    if (type != Xfrm.XFRM_MSG_NEWAE && type != Xfrm.XFRM_MSG_GETAE) {
      throw new MalformedPacketException(
          XfrmDropReason.WRONG_MESSAGE_TYPE,
          "message type " + type + ", need NEWAE (30) or GETAE (31)");
    }
    if (m.payloadLength() < Xfrm.AEVENT_ID_LENGTH) {
      throw new MalformedPacketException(
          XfrmDropReason.TRUNCATED_AEVENT_ID,
          "xfrm_aevent_id of " + m.payloadLength() + " bytes, need " + Xfrm.AEVENT_ID_LENGTH);
    }
    int family = m.u16(Xfrm.FAMILY_OFFSET);
    if (family != Xfrm.AF_INET && family != Xfrm.AF_INET6) {
      throw new MalformedPacketException(
          XfrmDropReason.UNKNOWN_FAMILY, "address family " + family + ", need 2 or 10");
    }
    SaId sa =
        new SaId(
            address(m, Xfrm.DADDR_OFFSET, family),
            m.s32Network(Xfrm.SPI_OFFSET),
            m.u8(Xfrm.PROTO_OFFSET));
    Aevent.Builder b =
        Aevent.builder(sa)
            .source(address(m, Xfrm.SADDR_OFFSET, family))
            .flags(m.s32(Xfrm.FLAGS_OFFSET))
            .reqid(m.s32(Xfrm.REQID_OFFSET));
    try {
      NetlinkAttributes attrs = m.attributes(Xfrm.AEVENT_ID_LENGTH, attributes);
      while (attrs.next()) {
        int at = attrs.valueOffset() - m.payloadOffset();
        switch (attrs.type()) {
          case Xfrm.XFRMA_REPLAY_VAL -> {
            atLeast(attrs, Xfrm.REPLAY_STATE_LENGTH, "XFRMA_REPLAY_VAL");
            b.replay(new ReplayState(m.s32(at), m.s32(at + 4), m.s32(at + 8)));
          }
          case Xfrm.XFRMA_REPLAY_ESN_VAL -> b.replayEsn(esn(m, attrs, at));
          case Xfrm.XFRMA_LTIME_VAL -> {
            atLeast(attrs, Xfrm.LIFETIME_CUR_LENGTH, "XFRMA_LTIME_VAL");
            b.lifetime(
                new LifetimeCounters(m.s64(at), m.s64(at + 8), m.s64(at + 16), m.s64(at + 24)));
          }
          case Xfrm.XFRMA_REPLAY_THRESH -> {
            atLeast(attrs, 4, "XFRMA_REPLAY_THRESH");
            b.replayThreshold(m.s32(at));
          }
          case Xfrm.XFRMA_ETIMER_THRESH -> {
            atLeast(attrs, 4, "XFRMA_ETIMER_THRESH");
            b.etimerThreshold(m.s32(at));
          }
          case Xfrm.XFRMA_MARK -> {
            atLeast(attrs, Xfrm.MARK_LENGTH, "XFRMA_MARK");
            b.mark(new XfrmMark(m.s32(at), m.s32(at + 4)));
          }
          case Xfrm.XFRMA_IF_ID -> {
            atLeast(attrs, 4, "XFRMA_IF_ID");
            b.ifId(m.s32(at));
          }
          default -> {
            // XFRMA_PAD and attributes of newer kernels: skipped.
          }
        }
      }
    } catch (MalformedPacketException e) {
      throw framing(e);
    }
    return b.build();
  }

  private static ReplayStateEsn esn(NetlinkMessage m, NetlinkAttributes attrs, int at) {
    atLeast(attrs, Xfrm.REPLAY_ESN_HEADER_LENGTH, "XFRMA_REPLAY_ESN_VAL");
    long words = Integer.toUnsignedLong(m.s32(at));
    if (words > Xfrm.REPLAY_ESN_MAX_WORDS) {
      throw new MalformedPacketException(
          XfrmDropReason.ESN_BITMAP_TOO_LONG,
          "bmp_len " + words + " words, at most " + Xfrm.REPLAY_ESN_MAX_WORDS);
    }
    long expected = Xfrm.REPLAY_ESN_HEADER_LENGTH + 4 * words;
    if (attrs.valueLength() != expected) {
      throw new MalformedPacketException(
          XfrmDropReason.ESN_BITMAP_LENGTH_MISMATCH,
          "bmp_len "
              + words
              + " needs a value of "
              + expected
              + " bytes, attribute has "
              + attrs.valueLength());
    }
    int window = m.s32(at + 20);
    if (Integer.toUnsignedLong(window) > 32 * words) {
      throw new MalformedPacketException(
          XfrmDropReason.ESN_WINDOW_EXCEEDS_BITMAP,
          "replay_window "
              + Integer.toUnsignedString(window)
              + " exceeds a bitmap of "
              + words
              + " words ("
              + 32 * words
              + " bits)");
    }
    int[] bitmap = new int[(int) words]; // bounded by REPLAY_ESN_MAX_WORDS above
    for (int i = 0; i < bitmap.length; i++) {
      bitmap[i] = m.s32(at + Xfrm.REPLAY_ESN_HEADER_LENGTH + 4 * i);
    }
    return new ReplayStateEsn(
        m.s32(at + 4), m.s32(at + 8), m.s32(at + 12), m.s32(at + 16), window, bitmap);
  }

  private static void atLeast(NetlinkAttributes attrs, int length, String name) {
    if (attrs.valueLength() < length) {
      throw new MalformedPacketException(
          XfrmDropReason.SHORT_ATTRIBUTE,
          name + " of " + attrs.valueLength() + " bytes, need " + length);
    }
  }

  /** Netlink framing errors become {@link XfrmDropReason#BAD_FRAMING}; the others stay. */
  static MalformedPacketException framing(MalformedPacketException e) {
    if (e.reason() instanceof NetlinkDropReason) {
      return new MalformedPacketException(XfrmDropReason.BAD_FRAMING, e.detail());
    }
    return e;
  }

  private void putAddress(InetAddress address) {
    byte[] bytes = address.getAddress();
    writer.putBytes(bytes).putZeros(16 - bytes.length);
  }

  private static InetAddress address(NetlinkMessage m, int offset, int family) {
    byte[] bytes = new byte[family == Xfrm.AF_INET ? 4 : 16];
    m.copy(offset, bytes, 0, bytes.length);
    return Aevent.address(bytes);
  }

  /**
   * {@return true when {@code type} is one of the two message types this codec reads}
   *
   * @param type the netlink message type
   */
  public static boolean isAeventType(int type) {
    return type == Xfrm.XFRM_MSG_NEWAE || type == Xfrm.XFRM_MSG_GETAE;
  }
}
