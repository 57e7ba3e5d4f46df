package org.failover4j.api;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Formats addresses the way {@code ip} prints them: IPv6 in the RFC 5952 form ({@code
 * 2001:db8::100}, not the JDK's {@code 2001:db8:0:0:0:0:0:100}), for messages that people compare
 * with {@code ip} output.
 */
public final class AddressText {

  private AddressText() {}

  /**
   * {@return the address without host name or scope, IPv6 compressed}
   *
   * @param address the address
   */
  public static String of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    // The longest run of two or more zero words becomes "::" (the first one on a tie).
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && words[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(words[i]));
    }
    return sb.toString();
  }

  /**
   * {@return the RFC 5952 / dotted text of a raw 4- or 16-byte address (other lengths: hex bytes)}
   *
   * @param address the address
   */
  public static String of(byte[] address) {
    try {
      return of(java.net.InetAddress.getByAddress(address));
    } catch (java.net.UnknownHostException e) {
      return java.util.HexFormat.of().formatHex(address);
    }
  }
}
