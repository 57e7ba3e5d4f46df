package org.failover4j.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.failover4j.api.MalformedPacketException;

/**
 * Feeds arbitrary bytes to the netlink message and attribute parsers: they may only raise {@link
 * MalformedPacketException}, and must end. The committed corpus (golden kernel datagrams and edge
 * cases) replays in every test run; {@code -Pfuzz} explores further.
 */
class NetlinkParserFuzzTest {

  private static final int[] FAMILY_HEADER_LENGTHS = {0, 4, 8, 16};
  private static final int MAX_DEPTH = 4;

  private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
  private final NetlinkAttributes[] levels = new NetlinkAttributes[MAX_DEPTH + 1];

  NetlinkParserFuzzTest() {
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new NetlinkAttributes();
    }
  }

  @FuzzTest
  void parse(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    try {
      cursor.wrap(buffer, 0, data.length);
      while (cursor.next()) {
        NetlinkMessage message = cursor.message();
        message.type();
        message.flags();
        message.sequence();
        message.portId();
        if (message.type() == Netlink.NLMSG_ERROR || message.type() == Netlink.NLMSG_DONE) {
          try {
            message.errorCode();
            message.extendedAckMessage(levels[0]);
          } catch (MalformedPacketException expected) {
            // a malformed error message: typed, as it should be
          }
        }
        for (int headerLength : FAMILY_HEADER_LENGTHS) {
          try {
            walk(message.attributes(headerLength, levels[0]), 0);
          } catch (MalformedPacketException expected) {
            // attributes do not fit this family header length
          }
        }
      }
    } catch (MalformedPacketException expected) {
      // framing error: typed, as it should be
    }
  }

  /** Reads every attribute with every accessor, and tries each value as nested attributes. */
  private void walk(NetlinkAttributes attrs, int depth) {
    while (attrs.next()) {
      attrs.type();
      attrs.isNested();
      attrs.string();
      attrs.bytes();
      touch(attrs::u8);
      touch(attrs::u16);
      touch(attrs::u16Network);
      touch(attrs::s32);
      touch(() -> attrs.s64());
      if (depth < MAX_DEPTH) {
        try {
          walk(attrs.nested(levels[depth + 1]), depth + 1);
        } catch (MalformedPacketException expected) {
          // this value is not a list of attributes
        }
      }
    }
  }

  private static void touch(Runnable accessor) {
    try {
      accessor.run();
    } catch (MalformedPacketException expected) {
      // the value has another size
    }
  }
}
