package org.failover4j.ipvs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Builds raw sync messages field by field, malformed ones included, for decoder tests. */
final class TestMessages {

  private TestMessages() {}

  static final int TCP = 6;
  static final int UDP = 17;

  /** A v1 IPv4 entry: 198.51.100.8:40001 -> 192.0.2.100:80 -> 192.0.2.22:8080, options after. */
  static byte[] v1Ipv4(int protocol, int flags, int state, String optionsHex) {
    byte[] options = hex(optionsHex);
    return v1Entry(0, protocol, 36 + options.length, flags, state, 4, options);
  }

  /** A v1 IPv6 entry: 2001:db8::8 -> 2001:db8::100 -> 2001:db8::22, options after. */
  static byte[] v1Ipv6(int protocol, int flags, int state, String optionsHex) {
    byte[] options = hex(optionsHex);
    return v1Entry(1, protocol, 72 + options.length, flags, state, 16, options);
  }

  /** A v1 entry with every header field given, the ver_size field included. */
  static byte[] v1Entry(
      int type, int protocol, int verSize, int flags, int state, int addressLength, byte[] rest) {
    ByteBuffer b = ByteBuffer.allocate(24 + 3 * addressLength + rest.length);
    b.put((byte) type).put((byte) protocol).putShort((short) verSize).putInt(flags);
    b.putShort((short) state).putShort((short) 40001).putShort((short) 80).putShort((short) 8080);
    b.putInt(0).putInt(300);
    if (addressLength == 4) {
      b.put(hex("c6336408 c0000264 c0000216"));
    } else {
      b.put(hex("20010db8000000000000000000000008"));
      b.put(hex("20010db8000000000000000000000100"));
      b.put(hex("20010db8000000000000000000000022"));
    }
    b.put(rest);
    return b.array();
  }

  /**
   * A v1 message of {@code entries}, each padded to 4 bytes before the next, count and size set.
   */
  static byte[] v1(int syncId, byte[]... entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, (byte) syncId, 0, 0, (byte) entries.length, 1, 0, 0});
    for (int i = 0; i < entries.length; i++) {
      if (i > 0) {
        while (out.size() % 4 != 0) {
          out.write(0);
        }
      }
      out.writeBytes(entries[i]);
    }
    return withSize(out.toByteArray());
  }

  /** A v0 IPv4 entry: 198.51.100.8:40001 -> 192.0.2.100:80 -> 192.0.2.22:8080. */
  static byte[] v0Entry(int protocol, int flags, int state, String sequenceHex) {
    byte[] sequence = hex(sequenceHex);
    ByteBuffer b = ByteBuffer.allocate(24 + sequence.length);
    b.put((byte) 0).put((byte) protocol);
    b.putShort((short) 40001).putShort((short) 80).putShort((short) 8080);
    b.put(hex("c6336408 c0000264 c0000216"));
    b.putShort((short) flags).putShort((short) state).put(sequence);
    return b.array();
  }

  /** A v0 message of {@code entries}, count and size set. */
  static byte[] v0(int syncId, byte[]... entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) entries.length, (byte) syncId, 0, 0});
    for (byte[] e : entries) {
      out.writeBytes(e);
    }
    return withSize(out.toByteArray());
  }

  /** {@code message} with its header's entry count replaced. */
  static byte[] withCount(byte[] message, SyncVersion version, int count) {
    byte[] copy = message.clone();
    copy[version == SyncVersion.V1 ? 4 : 0] = (byte) count;
    return copy;
  }

  /** {@code message} with its size field set to its length. */
  static byte[] withSize(byte[] message) {
    message[2] = (byte) (message.length >>> 8);
    message[3] = (byte) message.length;
    return message;
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
  }

  static ByteBuffer wrap(byte[] message) {
    return ByteBuffer.wrap(message);
  }
}
