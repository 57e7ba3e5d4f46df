package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.failover4j.capture.LinkType;
import org.failover4j.capture.PcapWriter;
import org.failover4j.carp.codec.CarpAdvertEncoder;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.lab.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code failover4j decode} on CARP: adverts carp-core's encoder wrote, over IPv4 and IPv6, with
 * the right key, a wrong key and no key; and the key syntax {@code carp:VHID=SECRET@ADDR[,ADDR]}.
 */
class DecodeCarpTest extends CommandTest {

  @TempDir Path dir;

  private static byte[] advert(int vhid, String secret, String... addresses) throws Exception {
    List<InetAddress> list = new ArrayList<>();
    for (String address : addresses) {
      list.add(InetAddress.getByName(address));
    }
    CarpKey key = CarpKey.of(vhid, secret.getBytes(StandardCharsets.UTF_8), list);
    ByteBuffer b = ByteBuffer.allocate(CarpAdvertEncoder.IPV4_LENGTH);
    new CarpAdvertEncoder(new CarpHmac(), key)
        .encodeIpv4(b, 0, 0xc000020b, 0xe0000012, 7, 1, 50, 2, 0x1122334455667788L);
    return b.array();
  }

  private static byte[] frame(String etherType, byte[] ip) {
    byte[] header = HexFormat.of().parseHex("01005e00001200005e00010a" + etherType);
    byte[] frame = Arrays.copyOf(header, header.length + ip.length);
    System.arraycopy(ip, 0, frame, header.length, ip.length);
    return frame;
  }

  /** The advert of an IPv4 datagram moved into an IPv6 packet from fe80::b to ff02::12. */
  private static byte[] ipv6(byte[] ipv4) {
    byte[] header =
        HexFormat.of()
            .parseHex(
                "6000000000247000fe80000000000000000000000000000bff020000000000000000000000000012");
    byte[] packet = Arrays.copyOf(header, 40 + 36);
    System.arraycopy(ipv4, 20, packet, 40, 36);
    return packet;
  }

  private List<Map<String, Object>> decode(byte[][] frames, String... keys) throws Exception {
    Path file = dir.resolve("carp.pcap");
    try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
      for (byte[] frame : frames) {
        writer.write(Instant.EPOCH, frame);
      }
    }
    List<String> args = new ArrayList<>(List.of("decode", file.toString()));
    for (String key : keys) {
      args.add("--key");
      args.add(key);
    }
    assertEquals(0, run(args.toArray(String[]::new)), error());
    List<Map<String, Object>> lines = new ArrayList<>();
    output().lines().forEach(line -> lines.add(Json.parseObject(line)));
    return lines;
  }

  @Test
  void checksHmacsWithTheKeyAndTheVirtualAddresses() throws Exception {
    byte[][] frames = {
      frame("0800", advert(10, "s3cr3t", "192.0.2.100")),
      frame("0800", advert(11, "s3cr3t", "192.0.2.100")),
      frame("0800", advert(12, "other", "192.0.2.12")),
      frame("86dd", ipv6(advert(13, "k6", "2001:db8::13", "192.0.2.13"))),
      frame("0800", advert(14, "s3cr3t", "192.0.2.14")),
    };
    List<Map<String, Object>> lines =
        decode(
            frames,
            "carp:10=s3cr3t@192.0.2.100",
            "carp:12=s3cr3t@192.0.2.12",
            "carp:13=k6@2001:db8::13,192.0.2.13",
            "carp:14=s3cr3t@192.0.2.15");
    assertEquals(5, lines.size(), output());
    Map<String, Object> first = lines.get(0);
    assertEquals("carp", first.get("proto"));
    assertEquals("192.0.2.11", first.get("src"));
    assertEquals("224.0.0.18", first.get("dst"));
    assertEquals(255L, first.get("ttl"));
    assertEquals(2L, first.get("version"));
    assertEquals(10L, first.get("vhid"));
    assertEquals(50L, first.get("advskew"));
    assertEquals(1L, first.get("advbase"));
    assertEquals(2L, first.get("demote"));
    assertEquals("0x1122334455667788", first.get("counter"));
    assertEquals(true, first.get("checksum_ok"));
    assertEquals(true, first.get("auth_ok"));
    assertNull(lines.get(1).get("auth_ok"), "no key for VHID 11");
    assertEquals(false, lines.get(2).get("auth_ok"), "wrong secret");
    assertEquals("ff02::12", lines.get(3).get("dst"));
    assertEquals(true, lines.get(3).get("checksum_ok"));
    assertEquals(true, lines.get(3).get("auth_ok"), "IPv6 and IPv4 addresses in any order");
    assertEquals(false, lines.get(4).get("auth_ok"), "wrong virtual address");
  }

  @Test
  void aCarpKeyMustNameItsAddresses() throws Exception {
    String[][] cases = {
      {"decode", "a.pcap", "--key", "carp:10=x"},
      {"decode", "a.pcap", "--key", "carp:10=x@"},
      {"decode", "a.pcap", "--key", "carp:10=x@host.example"},
      {"decode", "a.pcap", "--key", "carp:10=x@192.0.2.1,"},
      {"decode", "a.pcap", "--key", "carp:10=123456789012345678901@192.0.2.1"},
      {"decode", "a.pcap", "--key", "carp:10=x@192.0.2.1,192.0.2.1"},
    };
    for (String[] args : cases) {
      err.reset();
      assertEquals(Main.EXIT_USAGE, run(args), String.join(" ", args));
      String message = error();
      assertEquals(1, message.lines().count(), message);
      assertTrue(message.contains("--key"), message);
      assertTrue(!message.contains("123456789012345678901"), "no secret in messages: " + message);
    }
  }
}
