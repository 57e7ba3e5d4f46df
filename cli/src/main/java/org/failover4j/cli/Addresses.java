package org.failover4j.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Text forms of addresses as people and tshark write them (RFC 5952 for IPv6). */
final class Addresses {

  private Addresses() {}

  /** {@code 192.0.2.11}, or {@code 2001:db8::11} with the longest zero run compressed. */
  static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    ByteBuffer b = ByteBuffer.wrap(address.getAddress());
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = b.getShort(i * 2) & 0xFFFF;
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero word is not compressed
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && words[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(words[i]));
    }
    return out.toString();
  }
}
