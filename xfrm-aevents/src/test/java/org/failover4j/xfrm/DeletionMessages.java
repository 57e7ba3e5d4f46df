package org.failover4j.xfrm;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.failover4j.netlink.NetlinkMessageWriter;

/**
 * Writes the kernel's deletion notifications for tests, laid out as {@code net/xfrm/xfrm_user.c}
 * does (offsets checked against {@code include/uapi/linux/xfrm.h} with gcc on x86-64): {@code
 * xfrm_notify_sa} for DELSA ({@code xfrm_usersa_id}, {@code XFRMA_SA} with the {@code
 * xfrm_usersa_info}, then the SA's other attributes) and {@code build_expire} for EXPIRE ({@code
 * xfrm_user_expire}, then {@code XFRMA_MARK}). The fields the decoder must not read (source,
 * lifetimes, statistics, the key, ...) are filled with {@link #FILLER} so a misread shows.
 */
final class DeletionMessages {

  static final byte FILLER = (byte) 0xa5;
  private static final int XFRMA_ALG_AEAD = 18; // a key attribute xfrm_notify_sa adds

  private final NetlinkMessageWriter writer = new NetlinkMessageWriter();

  /** {@return the length of the DELSA written at {@code dst}'s position} */
  int delsa(SaDeletion d, ByteBuffer dst) {
    writer.wrap(dst).begin(Xfrm.XFRM_MSG_DELSA, 0, 0, 0);
    byte[] daddr = d.sa().destination().getAddress();
    writer
        .putBytes(daddr)
        .putZeros(16 - daddr.length)
        .putS32Network(d.sa().spi())
        .putU16(d.sa().family())
        .putU8(d.sa().protocol())
        .putZeros(1);
    int token = writer.beginNested(Xfrm.XFRMA_SA);
    usersaInfo(d);
    writer.endNested(token);
    // struct xfrm_algo_aead: name, key length in bits, ICV length, key (iproute2 trusts them).
    byte[] name = Arrays.copyOf("rfc4106(gcm(aes))".getBytes(US_ASCII), 64);
    int token2 = writer.beginNested(XFRMA_ALG_AEAD);
    writer.putBytes(name).putS32(160).putS32(128).putBytes(filler(20));
    writer.endNested(token2);
    mark(d);
    return writer.end();
  }

  /** {@return the length of the EXPIRE written at {@code dst}'s position} */
  int expire(SaDeletion d, boolean hard, ByteBuffer dst) {
    writer.wrap(dst).begin(Xfrm.XFRM_MSG_EXPIRE, 0, 0, 0);
    usersaInfo(d);
    writer.putU8(hard ? 1 : 0).putZeros(Xfrm.USER_EXPIRE_LENGTH - Xfrm.USERSA_INFO_LENGTH - 1);
    mark(d);
    return writer.end();
  }

  /** {@code struct xfrm_usersa_info}: 224 bytes. */
  private void usersaInfo(SaDeletion d) {
    byte[] daddr = d.sa().destination().getAddress();
    writer
        .putZeros(56) // sel: a transport SA's, as iproute2 expects (it prints it)
        .putBytes(daddr) // id.daddr at 56
        .putZeros(16 - daddr.length)
        .putS32Network(d.sa().spi()) // id.spi at 72
        .putU8(d.sa().protocol()) // id.proto at 76
        .putZeros(3)
        .putBytes(filler(16 + 64 + 32 + 12 + 4 + 4)) // saddr, lft, curlft, stats, seq, reqid
        .putU16(d.sa().family()) // family at 212
        .putBytes(filler(3)) // mode, replay_window, flags
        .putZeros(7);
  }

  private void mark(SaDeletion d) {
    if (d.mark().isPresent()) {
      int token = writer.beginNested(Xfrm.XFRMA_MARK);
      writer.putS32(d.mark().get().value()).putS32(d.mark().get().mask());
      writer.endNested(token);
    }
  }

  private static byte[] filler(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, FILLER);
    return bytes;
  }
}
