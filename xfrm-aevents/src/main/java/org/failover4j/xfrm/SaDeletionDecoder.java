package org.failover4j.xfrm;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.NetlinkAttributes;
import org.failover4j.netlink.NetlinkMessage;

/**
 * Reads the two notifications in which the kernel says an SA is gone, as {@code
 * net/xfrm/xfrm_user.c} lays them out:
 *
 * <ul>
 *   <li>{@code XFRM_MSG_DELSA} ({@code xfrm_notify_sa}, group {@code XFRMNLGRP_SA}): {@code struct
 *       xfrm_usersa_id} (daddr, spi, family, proto), then an {@code XFRMA_SA} attribute with the
 *       whole {@code xfrm_usersa_info} and the SA's other attributes, {@code XFRMA_MARK} among
 *       them.
 *   <li>{@code XFRM_MSG_EXPIRE} ({@code build_expire}, group {@code XFRMNLGRP_EXPIRE}): {@code
 *       struct xfrm_user_expire} (the {@code xfrm_usersa_info}, then {@code hard}), then {@code
 *       XFRMA_MARK}. Only a hard expiry deletes the SA; a soft one decodes to nothing.
 * </ul>
 *
 * <p>Only the SA's identity and mark are read (never the keys {@code XFRMA_SA}'s neighbours carry).
 * Malformed input raises {@link MalformedPacketException} with an {@link XfrmDropReason}; when an
 * attribute repeats, the last one wins, as in the kernel's parser. Not thread-safe: it reuses its
 * message view and attribute cursor.
 */
public final class SaDeletionDecoder {

  private final NetlinkAttributes attributes = new NetlinkAttributes();
  private final NetlinkMessage message = new NetlinkMessage();

  /**
   * Reads the one netlink message in {@code length} bytes of {@code buffer} from {@code offset}.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the message
   * @param length its length
   * @return the deleted SA, or empty for a soft expiry
   * @throws MalformedPacketException with an {@link XfrmDropReason} for any malformed input
   */
  public Optional<SaDeletion> decode(ByteBuffer buffer, int offset, int length) {
    try {
      message.wrap(buffer, offset, length);
    } catch (MalformedPacketException e) {
      throw AeventCodec.framing(e);
    }
    return decode(message);
  }

  /**
   * Reads a DELSA or EXPIRE message.
   *
   * @param m a received netlink message
   * @return the deleted SA, or empty for a soft expiry
   * @throws MalformedPacketException with an {@link XfrmDropReason} for any malformed input
   */
  public Optional<SaDeletion> decode(NetlinkMessage m) {
    return switch (m.type()) {
      case Xfrm.XFRM_MSG_DELSA -> {
        requireBody(m, Xfrm.USERSA_ID_LENGTH, XfrmDropReason.TRUNCATED_USERSA_ID, "xfrm_usersa_id");
        yield Optional.of(
            deletion(
                m,
                Xfrm.FAMILY_OFFSET,
                Xfrm.DADDR_OFFSET,
                Xfrm.SPI_OFFSET,
                Xfrm.PROTO_OFFSET,
                Xfrm.USERSA_ID_LENGTH));
      }
      case Xfrm.XFRM_MSG_EXPIRE -> {
        requireBody(
            m, Xfrm.USER_EXPIRE_LENGTH, XfrmDropReason.TRUNCATED_EXPIRE, "xfrm_user_expire");
        if (m.u8(Xfrm.EXPIRE_HARD_OFFSET) == 0) {
          yield Optional.empty(); // soft: IKE should rekey, the SA still works
        }
        yield Optional.of(
            deletion(
                m,
                Xfrm.INFO_FAMILY_OFFSET,
                Xfrm.INFO_DADDR_OFFSET,
                Xfrm.INFO_SPI_OFFSET,
                Xfrm.INFO_PROTO_OFFSET,
                Xfrm.USER_EXPIRE_LENGTH));
      }
      default ->
          throw new MalformedPacketException(
              XfrmDropReason.WRONG_MESSAGE_TYPE,
              "message type " + m.type() + ", need DELSA (17) or EXPIRE (24)");
    };
  }

  /**
   * {@return true when {@code type} is one of the two message types this decoder reads}
   *
   * @param type the netlink message type
   */
  public static boolean isDeletionType(int type) {
    return type == Xfrm.XFRM_MSG_DELSA || type == Xfrm.XFRM_MSG_EXPIRE;
  }

  private SaDeletion deletion(
      NetlinkMessage m, int familyAt, int daddrAt, int spiAt, int protoAt, int attributesAt) {
    int family = m.u16(familyAt);
    if (family != Xfrm.AF_INET && family != Xfrm.AF_INET6) {
      throw new MalformedPacketException(
          XfrmDropReason.UNKNOWN_FAMILY, "address family " + family + ", need 2 or 10");
    }
    byte[] daddr = new byte[family == Xfrm.AF_INET ? 4 : 16];
    m.copy(daddrAt, daddr, 0, daddr.length);
    SaId sa = new SaId(Aevent.address(daddr), m.s32Network(spiAt), m.u8(protoAt));
    XfrmMark mark = null;
    try {
      NetlinkAttributes attrs = m.attributes(attributesAt, attributes);
      while (attrs.next()) {
        if (attrs.type() == Xfrm.XFRMA_MARK) {
          if (attrs.valueLength() < Xfrm.MARK_LENGTH) {
            throw new MalformedPacketException(
                XfrmDropReason.SHORT_ATTRIBUTE,
                "XFRMA_MARK of " + attrs.valueLength() + " bytes, need " + Xfrm.MARK_LENGTH);
          }
          int at = attrs.valueOffset() - m.payloadOffset();
          mark = new XfrmMark(m.s32(at), m.s32(at + 4));
        }
      }
    } catch (MalformedPacketException e) {
      throw AeventCodec.framing(e);
    }
    return new SaDeletion(sa, Optional.ofNullable(mark));
  }

  private static void requireBody(
      NetlinkMessage m, int length, XfrmDropReason reason, String struct) {
    if (m.payloadLength() < length) {
      throw new MalformedPacketException(
          reason, struct + " of " + m.payloadLength() + " bytes, need " + length);
    }
  }
}
