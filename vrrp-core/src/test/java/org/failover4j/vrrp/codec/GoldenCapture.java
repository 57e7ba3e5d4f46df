package org.failover4j.vrrp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.failover4j.api.platform.IpFamily;

/**
 * The golden captures: keepalived 2.2.7 pairs in the lab, one capture per real-world setup,
 * committed under {@code src/test/resources/org/failover4j/vrrp/codec/golden/}. {@link
 * GoldenCaptureGenerator} made them; the tests read them back.
 *
 * <p>Each scenario runs two routers on one LAN: kad1 (192.0.2.11, priority 150) starts as master,
 * kad2 (192.0.2.12, priority 100) as backup; after a few adverts kad1 stops (its priority-0 advert
 * is in the capture) and kad2 takes over. The capture style varies the file format and link type,
 * so that the capture reader meets what tshark writes.
 */
enum GoldenCapture {
  V2_NONE("v2-none.pcap", 2, 77, AuthType.NONE, null, false, Style.BRIDGE_PCAP, "1", v4(100, 101)),
  V2_SIMPLE_TEXT(
      "v2-simple-text.pcapng",
      2,
      78,
      AuthType.SIMPLE_TEXT,
      "s3cr3t",
      false,
      Style.BRIDGE_PCAPNG,
      "1",
      v4(110, 111, 112)),
  V2_AH_MULTICAST(
      "v2-ah-multicast.pcap",
      2,
      51,
      AuthType.IPSEC_AH,
      "secret12",
      false,
      Style.BRIDGE_PCAP,
      "1",
      v4(120, 121)),
  V2_AH_UNICAST(
      "v2-ah-unicast.pcap",
      2,
      52,
      AuthType.IPSEC_AH,
      "ah-uni",
      true,
      Style.HOST_SLL,
      "1",
      v4(130, 131)),
  V3_IPV4(
      "v3-ipv4.pcapng",
      3,
      60,
      AuthType.NONE,
      null,
      false,
      Style.HOST_SLL2,
      "0.5",
      v4(140, 141, 142, 143)),
  V3_IPV4_UNICAST(
      "v3-ipv4-unicast.pcap", 3, 61, AuthType.NONE, null, true, Style.BRIDGE_PCAP, "0.5", v4(150)),
  V3_IPV6(
      "v3-ipv6.pcap",
      3,
      62,
      AuthType.NONE,
      null,
      false,
      Style.BRIDGE_PCAP,
      "0.5",
      List.of("2001:db8::160/64", "2001:db8::161/64", "2001:db8::162/64"));

  /** How the generator captures. */
  enum Style {
    /** tshark on the LAN's bridge, classic pcap, Ethernet. */
    BRIDGE_PCAP,
    /** tshark on the LAN's bridge, pcapng, Ethernet. */
    BRIDGE_PCAPNG,
    /** tshark on kad2's {@code any} device, classic pcap, Linux cooked v1. */
    HOST_SLL,
    /** tshark on kad1's {@code any} device, pcapng, Linux cooked v2. */
    HOST_SLL2
  }

  static final String RESOURCE_DIR = "golden/";

  final String file;
  final int version;
  final int vrid;
  final AuthType auth;
  final String password;
  final boolean unicast;
  final Style style;
  final String advertInterval;
  final List<String> vips;

  GoldenCapture(
      String file,
      int version,
      int vrid,
      AuthType auth,
      String password,
      boolean unicast,
      Style style,
      String advertInterval,
      List<String> vips) {
    this.file = file;
    this.version = version;
    this.vrid = vrid;
    this.auth = auth;
    this.password = password;
    this.unicast = unicast;
    this.style = style;
    this.advertInterval = advertInterval;
    this.vips = vips;
  }

  IpFamily family() {
    return vips.get(0).contains(":") ? IpFamily.IPV6 : IpFamily.IPV4;
  }

  /** The virtual addresses without their prefix lengths. */
  List<String> addresses() {
    return vips.stream().map(v -> v.substring(0, v.indexOf('/'))).toList();
  }

  byte[] passwordBytes() {
    return password.getBytes(StandardCharsets.US_ASCII);
  }

  /** The committed capture's bytes. */
  byte[] bytes() {
    try (InputStream in = GoldenCapture.class.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("missing golden capture " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> v4(int... hostParts) {
    return java.util.Arrays.stream(hostParts).mapToObj(h -> "192.0.2." + h + "/24").toList();
  }
}
