package org.failover4j.xfrm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Annotated hex resources under {@code golden/}: {@code #} starts a comment, spaces are ignored.
 */
final class XfrmGolden {

  private XfrmGolden() {}

  static byte[] bytes(String name) {
    String path = "/org/failover4j/xfrm/golden/" + name + ".txt";
    try (InputStream in = XfrmGolden.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + path);
      }
      StringBuilder hex = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        int comment = line.indexOf('#');
        hex.append((comment < 0 ? line : line.substring(0, comment)).replaceAll("\\s", ""));
      }
      return HexFormat.of().parseHex(hex);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
