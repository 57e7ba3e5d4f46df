package org.failover4j.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP addresses as two longs (IPv6 high and low halves; IPv4 in the low half), and back. */
final class Addresses {

  private Addresses() {}

  static long high(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 16 ? word(b, 0) : 0;
  }

  static long low(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 16 ? word(b, 8) : word4(b);
  }

  static InetAddress of(boolean ipv6, long high, long low) {
    try {
      if (ipv6) {
        byte[] b = new byte[16];
        put(b, 0, high);
        put(b, 8, low);
        // Inet6Address directly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
        return Inet6Address.getByAddress(null, b, -1);
      }
      return Inet4Address.getByAddress(
          new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long word(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }

  private static long word4(byte[] b) {
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  private static void put(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }
}
