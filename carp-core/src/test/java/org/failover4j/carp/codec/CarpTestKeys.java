package org.failover4j.carp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Keys and addresses the codec tests share. */
final class CarpTestKeys {

  static final byte[] SOURCE = {(byte) 192, 0, 2, 11};
  static final byte[] GROUP = {(byte) 224, 0, 0, 18};

  private CarpTestKeys() {}

  static InetAddress inet(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static CarpKey key(int vhid, String passphrase, String... addresses) {
    return CarpKey.of(
        vhid,
        passphrase.getBytes(StandardCharsets.UTF_8),
        java.util.Arrays.stream(addresses).map(CarpTestKeys::inet).toList());
  }

  static CarpKey single() {
    return key(10, "s3cr3t", "192.0.2.100");
  }

  static int ipv4(byte[] address) {
    return ((address[0] & 0xFF) << 24)
        | ((address[1] & 0xFF) << 16)
        | ((address[2] & 0xFF) << 8)
        | (address[3] & 0xFF);
  }

  static List<InetAddress> list(String... addresses) {
    return java.util.Arrays.stream(addresses).map(CarpTestKeys::inet).toList();
  }
}
