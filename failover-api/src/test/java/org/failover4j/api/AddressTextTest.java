package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
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

  @Test
  void edgeCasesFromRawBytes() throws Exception {
    assertEquals("1::", fromHex("00010000000000000000000000000000"));
    assertEquals("1:0:1::1:0:1", fromHex("00010000000100000000000100000001"));
    assertEquals("2001::1:0:0:1", fromHex("20010000000000000001000000000001"));
    assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"), "the longest run, not the first");
    assertEquals("::ffff:c000:201", fromHex("00000000000000000000ffffc0000201"), "not dotted");
    assertEquals("192.0.2.1", fromHex("c0000201"));
  }

  private static String fromHex(String hex) throws Exception {
    byte[] b = HexFormat.of().parseHex(hex);
    return AddressText.of(
        b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b));
  }

  /**
   * Where {@link InetAddress#getHostAddress()} may still format an address: AddressText itself, the
   * simulated platform's internal keys, and a benchmark's trace.
   */
  private static final java.util.Set<String> ALLOWED =
      java.util.Set.of(
          "failover-api/src/main/java/org/failover4j/api/AddressText.java",
          "failover-api/src/main/java/org/failover4j/api/sim/SimulatedPlatform.java",
          "benchmarks/src/main/java/org/failover4j/benchmarks/lab/BridgeTrace.java");

  @Test
  void everyAddressPrintedByTheLibraryGoesThroughAddressText() throws Exception {
    java.nio.file.Path root = java.nio.file.Path.of("..").toAbsolutePath().normalize();
    java.util.List<String> offenders = new java.util.ArrayList<>();
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path f :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(p -> !p.toString().contains("/target/"))
              .toList()) {
        String relative = root.relativize(f).toString();
        if (!ALLOWED.contains(relative)
            && java.nio.file.Files.readString(f).contains(".getHostAddress()")) {
          offenders.add(relative);
        }
      }
    }
    assertEquals(
        java.util.List.of(),
        offenders,
        "getHostAddress() prints IPv6 as 2001:db8:0:0:0:0:0:2; AddressText.of prints 2001:db8::2");
  }
}
