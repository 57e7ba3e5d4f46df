package org.failover4j.cli;

import java.util.List;

/**
 * Builds one JSON object, in insertion order, for the CLI's one-object-per-line output. Values are
 * strings, numbers, booleans, null, nested objects or lists of those.
 */
final class JsonObject {

  private final StringBuilder out = new StringBuilder("{");
  private boolean empty = true;

  /** Adds {@code "key": value}. */
  JsonObject put(String key, Object value) {
    if (!empty) {
      out.append(',');
    }
    empty = false;
    appendString(out, key);
    out.append(':');
    appendValue(out, value);
    return this;
  }

  /** Adds the pair only when {@code value} is not null. */
  JsonObject putIfPresent(String key, Object value) {
    return value == null ? this : put(key, value);
  }

  @Override
  public String toString() {
    return out + "}";
  }

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof JsonObject nested) {
      out.append(nested);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendValue(out, list.get(i));
      }
      out.append(']');
    } else {
      appendString(out, value.toString());
    }
  }

  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Controls (C0, DEL, C1) and the JavaScript line separators: valid JSON either way,
          // but raw they can drive a terminal that shows the line.
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
