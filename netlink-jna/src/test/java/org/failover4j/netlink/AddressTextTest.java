package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressTextTest {

  private static String text(String literal) throws Exception {
    return AddressText.of(InetAddress.getByName(literal));
  }

  @Test
  void ipv6IsCompressedAsRfc5952Says() throws Exception {
    assertEquals("2001:db8::100", text("2001:db8:0:0:0:0:0:100"));
    assertEquals("::", text("0:0:0:0:0:0:0:0"));
    assertEquals("::1", text("0:0:0:0:0:0:0:1"));
    assertEquals("fe80::fc:ff:fe00:1", text("fe80:0:0:0:fc:ff:fe00:1"));
    assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"), "the first longest run");
    assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "one zero stays");
    assertEquals("ff02::12", text("ff02::12"));
    assertEquals("192.0.2.100", text("192.0.2.100"));
  }
}
