package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import org.failover4j.api.ByteAccess;
import org.failover4j.lab.Interop;
import org.junit.jupiter.api.Test;

/** One typed setter for every raw-socket option, in the form each family has (needs root). */
@Interop(peers = {})
class RawSocketOptionTest {

  @Test
  void eachOptionReachesTheKernelInItsFamilysForm() throws Exception {
    try (RawIpSocket v4 = RawIpSocket.open(StandardProtocolFamily.INET, 112);
        RawIpSocket v6 = RawIpSocket.open(StandardProtocolFamily.INET6, 112)) {
      v4.setOption(RawSocketOption.MULTICAST_HOPS, 255);
      v6.setOption(RawSocketOption.MULTICAST_HOPS, 254);
      v4.setOption(RawSocketOption.TRAFFIC_CLASS, 0xc0);
      v6.setOption(RawSocketOption.CHECKSUM_OFFSET, 6);
      v4.setOption(RawSocketOption.HEADER_INCLUDED, true);
      assertEquals(255, intOption(v4, LibC.IPPROTO_IP, LibC.IP_MULTICAST_TTL));
      assertEquals(254, intOption(v6, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS));
      assertEquals(0xc0, intOption(v4, LibC.IPPROTO_IP, LibC.IP_TOS));
      assertEquals(6, intOption(v6, LibC.IPPROTO_IPV6, LibC.IPV6_CHECKSUM));
      assertEquals(1, intOption(v4, LibC.IPPROTO_IP, LibC.IP_HDRINCL));
    }
  }

  @Test
  void valuesOutOfRangeAndOptionsTheFamilyLacksAreRefused() throws Exception {
    try (RawIpSocket v4 = RawIpSocket.open(StandardProtocolFamily.INET, 112);
        RawIpSocket v6 = RawIpSocket.open(StandardProtocolFamily.INET6, 112)) {
      assertEquals(
          "hops must be in 1..255, was 0",
          assertThrows(
                  IllegalArgumentException.class,
                  () -> v4.setOption(RawSocketOption.MULTICAST_HOPS, 0))
              .getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> v6.setOption(RawSocketOption.CHECKSUM_OFFSET, 3));
      assertEquals(
          "CHECKSUM_OFFSET applies to IPv6 sockets only",
          assertThrows(
                  UnsupportedOperationException.class,
                  () -> v4.setOption(RawSocketOption.CHECKSUM_OFFSET, 6))
              .getMessage());
      assertThrows(
          UnsupportedOperationException.class,
          () -> v6.setOption(RawSocketOption.HEADER_INCLUDED, true));
    }
  }

  private static int intOption(RawIpSocket socket, int level, int option) throws Exception {
    ByteBuffer value = LibC.allocate(4);
    socket.getOption(level, option, value, "test");
    return ByteAccess.getHostInt(value, 0);
  }
}
