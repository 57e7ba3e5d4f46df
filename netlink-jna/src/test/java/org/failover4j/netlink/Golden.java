package org.failover4j.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Golden netlink datagrams captured with {@code strace -e read=/write=} from iproute2 talking to
 * Linux 6.18 (see {@code golden/README.md}), as hex text resources.
 */
public final class Golden {

  private Golden() {}

  /** The bytes of {@code golden/<name>.hex}. */
  public static byte[] bytes(String name) {
    String path = "/org/failover4j/netlink/golden/" + name + ".hex";
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + path);
      }
      return HexFormat.of()
          .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of {@code golden/<name>.hex} in a heap buffer, position 0, limit the length. */
  public static ByteBuffer buffer(String name) {
    return ByteBuffer.wrap(bytes(name));
  }

  /** Hex of {@code length} bytes of {@code buffer} from {@code offset}, for assertion messages. */
  public static String hex(ByteBuffer buffer, int offset, int length) {
    byte[] b = new byte[length];
    buffer.get(offset, b, 0, length);
    return HexFormat.of().formatHex(b);
  }
}
