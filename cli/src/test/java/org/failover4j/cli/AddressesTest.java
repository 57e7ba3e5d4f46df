package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AddressesTest {

  private static String format(String hex) throws Exception {
    byte[] b = HexFormat.of().parseHex(hex);
    return Addresses.format(
        b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b));
  }

  @Test
  void rfc5952Compression() throws Exception {
    assertEquals("192.0.2.1", format("c0000201"));
    assertEquals("2001:db8::1", format("20010db8000000000000000000000001"));
    assertEquals("::", format("00000000000000000000000000000000"));
    assertEquals("::1", format("00000000000000000000000000000001"));
    assertEquals("1::", format("00010000000000000000000000000000"));
    assertEquals("2001:db8:0:1:1:1:1:1", format("20010db8000000010001000100010001"));
    assertEquals("1:0:1::1:0:1", format("00010000000100000000000100000001"));
    assertEquals("2001::1:0:0:1", format("20010000000000000001000000000001"));
    assertEquals("::ffff:c000:201", format("00000000000000000000ffffc0000201"));
  }
}
