package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {

  private static String format(String literal) throws Exception {
    return Addresses.format(InetAddress.getByName(literal));
  }

  @Test
  void writesIpv6AsRfc5952() throws Exception {
    assertEquals("192.0.2.11", format("192.0.2.11"));
    assertEquals("2001:db8::11", format("2001:db8:0:0:0:0:0:11"));
    assertEquals("ff02::12", format("ff02::12"));
    assertEquals("::", format("::"));
    assertEquals("::1", format("::1"));
    assertEquals("fe80::", format("fe80::"));
    assertEquals("2001:db8:0:1:1:1:1:1", format("2001:db8:0:1:1:1:1:1"), "one zero word stays");
    assertEquals("2001:0:0:1::1", format("2001:0:0:1:0:0:0:1"), "the longest run");
    assertEquals("2001:db8::1:0:0:1", format("2001:db8:0:0:1:0:0:1"), "the first of equals");
  }
}
