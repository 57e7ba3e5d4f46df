package org.failover4j.cli;

import java.util.HexFormat;

/**
 * Makes text from the wire safe to print on a terminal: a persistence-engine name of {@code ESC [ 2
 * J} must show as {@code \x1b[2J}, not clear the screen. Only printable ASCII passes as it is.
 */
final class TerminalText {

  private static final HexFormat HEX = HexFormat.of();

  private TerminalText() {}

  /**
   * {@code text} with every character outside printable ASCII written as {@code \xNN} (or {@code
   * \\uNNNN} above 0xFF), and a backslash doubled so that an escape cannot be forged.
   */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
      if (out == null) {
        if (plain) {
          continue;
        }
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (plain) {
        out.append(c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c <= 0xff) {
        out.append("\\x").append(HEX.toHexDigits((byte) c));
      } else {
        out.append("\\u").append(HEX.toHexDigits((short) c));
      }
    }
    return out == null ? text : out.toString();
  }
}
