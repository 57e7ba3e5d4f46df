package org.failover4j.netlink.rtnl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.netlink.NetlinkMessageCursor;

/**
 * Feeds arbitrary datagrams to the link and address decoders, whatever the message type says: they
 * may only raise {@link MalformedPacketException}. The corpus replays in every test run.
 */
class RtnlDecoderFuzzTest {

  private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
  private final LinkCodec links = new LinkCodec();
  private final AddressCodec addresses = new AddressCodec();

  @FuzzTest
  void decode(byte[] data) {
    try {
      cursor.wrap(ByteBuffer.wrap(data), 0, data.length);
      while (cursor.next()) {
        try {
          LinkInfo link = links.decode(cursor.message());
          link.isUp();
          link.hasCarrier();
        } catch (MalformedPacketException expected) {
          // not a valid link message
        }
        try {
          addresses.decode(cursor.message());
        } catch (MalformedPacketException expected) {
          // not a valid address message
        }
      }
    } catch (MalformedPacketException expected) {
      // framing error
    }
  }
}
