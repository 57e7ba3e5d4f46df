package org.failover4j.carp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The golden captures from ucarp 1.5.2 under {@code src/test/resources/.../golden/}, each with what
 * made it (regenerate with {@link UcarpGoldenCaptureGenerator}).
 */
enum UcarpGolden {
  /** Two ucarp hosts, VHID 10, a short passphrase; the master (advskew 0) is stopped midway. */
  VHID10("ucarp-vhid10.pcap", 10, "s3cr3t", "192.0.2.100"),
  /** VHID 20 with the longest passphrase ucarp takes (19 bytes). */
  VHID20_LONG_KEY("ucarp-vhid20-19-byte-key.pcap", 20, "0123456789abcdefghi", "192.0.2.120");

  /** Directory of the captures, relative to this class's package. */
  static final String RESOURCE_DIR = "golden";

  final String file;
  final int vhid;
  final String password;
  final String vip;

  UcarpGolden(String file, int vhid, String password, String vip) {
    this.file = file;
    this.vhid = vhid;
    this.password = password;
    this.vip = vip;
  }

  CarpKey key() {
    return CarpTestKeys.key(vhid, password, vip);
  }

  byte[] bytes() {
    try (InputStream in = UcarpGolden.class.getResourceAsStream(RESOURCE_DIR + "/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing golden capture " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
