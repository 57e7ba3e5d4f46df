package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AddressesTest {

  private static String fromHex(String hex) throws Exception {
    byte[] b = HexFormat.of().parseHex(hex);
    return Addresses.format(
        b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b));
  }

  private static String format(String literal) throws Exception {
    return Addresses.format(InetAddress.getByName(literal));
  }

  @Test
  void rfc5952Compression() throws Exception {
    assertEquals("192.0.2.1", fromHex("c0000201"));
    assertEquals("2001:db8::1", fromHex("20010db8000000000000000000000001"));
    assertEquals("::", fromHex("00000000000000000000000000000000"));
    assertEquals("::1", fromHex("00000000000000000000000000000001"));
    assertEquals("1::", fromHex("00010000000000000000000000000000"));
    assertEquals("2001:db8:0:1:1:1:1:1", fromHex("20010db8000000010001000100010001"));
    assertEquals("1:0:1::1:0:1", fromHex("00010000000100000000000100000001"));
    assertEquals("2001::1:0:0:1", fromHex("20010000000000000001000000000001"));
    assertEquals("::ffff:c000:201", fromHex("00000000000000000000ffffc0000201"));
  }

  @Test
  void writesIpv6AsRfc5952() throws Exception {
    assertEquals("192.0.2.11", format("192.0.2.11"));
    assertEquals("2001:db8::11", format("2001:db8:0:0:0:0:0:11"));
    assertEquals("ff02::12", format("ff02::12"));
    assertEquals("fe80::", format("fe80::"));
    assertEquals("2001:db8:0:1:1:1:1:1", format("2001:db8:0:1:1:1:1:1"), "one zero word stays");
    assertEquals("2001:0:0:1::1", format("2001:0:0:1:0:0:0:1"), "the longest run");
    assertEquals("2001:db8::1:0:0:1", format("2001:db8:0:0:1:0:0:1"), "the first of equals");
  }
}
