package org.failover4j.vrrp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The AH sanity vector of PROTOCOLS.md: keepalived 2.2.7's first multicast advert for VRID 51,
 * priority 100, VIP 10.0.0.100, key {@code secret12}, from 10.0.0.1 (identification 1, sequence 1).
 */
final class SanityVector {

  static final String HEX =
      "45c0004000010000ff33d0b60a000001e0000012"
          + "700400000a00000100000001"
          + "8c1e23f075326fdcf84dd341"
          + "2133640102016e660a0000640000000000000000";

  static final int SOURCE = 0x0a000001;
  static final int GROUP = 0xe0000012;

  private SanityVector() {}

  static byte[] bytes() {
    return HexFormat.of().parseHex(HEX);
  }

  static ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes());
  }

  static VrrpWireConfig config() {
    try {
      return VrrpWireConfig.builder()
          .version(2)
          .vrid(51)
          .virtualAddresses(InetAddress.getByName("10.0.0.100"))
          .authentication(AuthType.IPSEC_AH, "secret12")
          .build();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
