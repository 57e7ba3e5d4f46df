package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.failover4j.api.MalformedPacketException;
import org.junit.jupiter.api.Test;

/** DELSA and EXPIRE as the kernel lays them out, decoded; every malformed case typed. */
class SaDeletionDecoderTest {

  private final SaDeletionDecoder decoder = new SaDeletionDecoder();
  private final DeletionMessages kernel = new DeletionMessages();
  private final ByteBuffer buffer = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

  private static SaDeletion deletion(String daddr, int spi, XfrmMark mark) throws Exception {
    return new SaDeletion(SaId.esp(InetAddress.getByName(daddr), spi), Optional.ofNullable(mark));
  }

  private Optional<SaDeletion> decode(int length) {
    return decoder.decode(buffer, 0, length);
  }

  @Test
  void aDelsaNamesTheSaByItsIdAndItsMarkAttribute() throws Exception {
    SaDeletion d = deletion("198.51.100.2", 0x2001, new XfrmMark(7, 0xff));
    int length = kernel.delsa(d, buffer.clear());
    assertEquals(16 + 24 + 4 + 224 + 4 + 92 + 4 + 8, length);
    // The SPI in network order right after the 16-byte daddr, the family in host order.
    assertEquals(0x2001, buffer.order(ByteOrder.BIG_ENDIAN).getInt(16 + 16));
    buffer.order(ByteOrder.nativeOrder());
    assertEquals(Optional.of(d), decode(length));

    SaDeletion v6 = deletion("2001:db8::2", 0xc0ffee01, null);
    assertEquals(Optional.of(v6), decode(kernel.delsa(v6, buffer.clear())));
  }

  @Test
  void onlyAHardExpiryIsADeletion() throws Exception {
    SaDeletion d = deletion("2001:db8::2", 0x2002, new XfrmMark(1, 0xffffffff));
    assertEquals(Optional.of(d), decode(kernel.expire(d, true, buffer.clear())));
    assertEquals(0x2002, buffer.order(ByteOrder.BIG_ENDIAN).getInt(16 + 72));
    buffer.order(ByteOrder.nativeOrder());
    assertEquals(Optional.empty(), decode(kernel.expire(d, false, buffer.clear())));
  }

  @Test
  void malformedMessagesAreTyped() throws Exception {
    SaDeletion d = deletion("192.0.2.2", 0x1000, new XfrmMark(7, 0xff));
    int delsa = kernel.delsa(d, buffer.clear());
    assertReason(XfrmDropReason.TRUNCATED_USERSA_ID, withLength(16 + 20));
    int expire = kernel.expire(d, true, buffer.clear());
    assertReason(XfrmDropReason.TRUNCATED_EXPIRE, withLength(16 + 228));

    kernel.expire(d, true, buffer.clear());
    buffer.putShort(16 + Xfrm.INFO_FAMILY_OFFSET, (short) 7);
    assertReason(XfrmDropReason.UNKNOWN_FAMILY, expire);

    kernel.delsa(d, buffer.clear());
    buffer.putShort(4, (short) 16); // XFRM_MSG_NEWSA;
    assertReason(XfrmDropReason.WRONG_MESSAGE_TYPE, delsa);

    kernel.delsa(d, buffer.clear());
    buffer.putShort(delsa - 12, (short) 8); // XFRMA_MARK with a 4-byte value
    assertReason(XfrmDropReason.SHORT_ATTRIBUTE, delsa);

    kernel.delsa(d, buffer.clear());
    buffer.putShort(16 + 24, (short) 2000); // XFRMA_SA longer than the message
    assertReason(XfrmDropReason.BAD_FRAMING, delsa);
  }

  /** Sets the netlink header's length to {@code length} and returns it. */
  private int withLength(int length) {
    buffer.putInt(0, length);
    return length;
  }

  private void assertReason(XfrmDropReason reason, int length) {
    MalformedPacketException e =
        assertThrows(MalformedPacketException.class, () -> decoder.decode(buffer, 0, length));
    assertEquals(reason, e.reason(), e.getMessage());
  }
}
