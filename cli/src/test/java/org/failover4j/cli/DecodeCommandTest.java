package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.failover4j.capture.LinkType;
import org.failover4j.capture.PcapWriter;
import org.failover4j.lab.Json;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.failover4j.vrrp.codec.VrrpWireConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest extends CommandTest {

  private static final int SOURCE = 0xc000020b; // 192.0.2.11
  private static final int GROUP = 0xe0000012;
  private static final String MACS = "01005e00001200005e00014d";

  @TempDir Path dir;

  private List<Map<String, Object>> lines() {
    List<Map<String, Object>> parsed = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        parsed.add(Json.parseObject(line));
      }
    }
    return parsed;
  }

  private static InetAddress ip(String literal) throws IOException {
    return InetAddress.getByName(literal);
  }

  private static byte[] ethernet(String etherType, byte[] ip) {
    byte[] header = HexFormat.of().parseHex(MACS + etherType);
    byte[] frame = Arrays.copyOf(header, header.length + ip.length);
    System.arraycopy(ip, 0, frame, header.length, ip.length);
    return frame;
  }

  private static byte[] ipv4(VrrpWireConfig config, int priority, int dst, long seq) {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(config);
    ByteBuffer b = ByteBuffer.allocate(encoder.ipv4Length());
    encoder.encodeIpv4(b, 0, priority, SOURCE, dst, 1, seq);
    return b.array();
  }

  private Path capture(String name, byte[]... frames) throws IOException {
    Path file = dir.resolve(name);
    try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
      for (byte[] frame : frames) {
        writer.write(Instant.EPOCH, frame);
      }
    }
    return file;
  }

  private Path resource(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = DecodeCommandTest.class.getResourceAsStream(name)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void printsTheIssuesExampleLineExactly() throws Exception {
    VrrpWireConfig config =
        VrrpWireConfig.builder()
            .vrid(77)
            .virtualAddresses(ip("192.0.2.177"))
            .authentication(AuthType.IPSEC_AH, "secret12")
            .build();
    Path file = capture("example.pcap", ethernet("0800", ipv4(config, 104, GROUP, 5)));
    assertEquals(0, run("decode", file.toString(), "--key", "vrrp:77=secret12"));
    assertEquals(
        "{\"frame\":1,\"proto\":\"vrrp\",\"src\":\"192.0.2.11\",\"dst\":\"224.0.0.18\",\"ttl\":255,"
            + "\"version\":2,\"vrid\":77,\"priority\":104,\"addresses\":[\"192.0.2.177\"],"
            + "\"interval_ms\":1000,\"auth\":\"ah\",\"checksum_ok\":true,\"ah_spi\":\"0xc000020b\","
            + "\"ah_seq\":5,\"auth_ok\":true}\n",
        out.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void decodesKeepalivedsAhCaptureAndChecksTheKey() throws Exception {
    Path file = resource("v2-ah-multicast.pcap");
    assertEquals(0, run("decode", file.toString(), "--key=vrrp:51=secret12"));
    List<Map<String, Object>> lines = lines();
    assertEquals(10, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> line = lines.get(i);
      assertEquals((long) i + 1, line.get("frame"));
      assertEquals("ah", line.get("auth"));
      assertEquals((long) i + 1, line.get("ah_seq"));
      assertEquals(true, line.get("auth_ok"));
      assertEquals(true, line.get("checksum_ok"));
      assertEquals(List.of("192.0.2.120", "192.0.2.121"), line.get("addresses"));
    }
    out.reset();
    assertEquals(0, run("decode", file.toString(), "--key", "vrrp:51=secret13"));
    assertTrue(lines().stream().allMatch(l -> Boolean.FALSE.equals(l.get("auth_ok"))));
    out.reset();
    assertEquals(0, run("decode", file.toString(), "--key", "vrrp:52=secret12"));
    assertTrue(
        lines().stream().allMatch(l -> l.containsKey("auth_ok") && l.get("auth_ok") == null));
  }

  @Test
  void decodesIpv6AdvertsWithCompressedAddresses() throws Exception {
    assertEquals(0, run("decode", resource("v3-ipv6.pcap").toString()));
    Map<String, Object> first = lines().get(0);
    assertEquals("ff02::12", first.get("dst"));
    assertTrue(((String) first.get("src")).startsWith("fe80::"), first.toString());
    assertEquals(3L, first.get("version"));
    assertEquals(500L, first.get("interval_ms"));
    assertEquals("none", first.get("auth"));
    assertEquals(true, first.get("checksum_ok"));
    assertEquals(
        List.of("2001:db8::160", "2001:db8::161", "2001:db8::162"), first.get("addresses"));
    assertFalse(first.containsKey("ah_spi"));
  }

  @Test
  void anAdvertWithoutAuthenticationHasNoAuthVerdictEvenWithAKey() throws Exception {
    String capture = resource("v3-ipv6.pcap").toString();
    assertEquals(0, run("decode", capture));
    long vrid = (long) lines().get(0).get("vrid");
    out.reset();
    assertEquals(0, run("decode", capture, "--key=vrrp:" + vrid + "=k"));
    for (Map<String, Object> line : lines()) {
      assertEquals("none", line.get("auth"));
      assertTrue(line.containsKey("auth_ok") && line.get("auth_ok") == null, line.toString());
    }
  }

  @Test
  void tellsCarpFromVrrpAndIpvsAndSkipsWhatIsNone() throws Exception {
    VrrpWireConfig pass =
        VrrpWireConfig.builder()
            .vrid(78)
            .virtualAddresses(ip("192.0.2.110"))
            .authentication(AuthType.SIMPLE_TEXT, "s3cr3t")
            .build();
    VrrpWireConfig v3 =
        VrrpWireConfig.builder()
            .version(3)
            .vrid(60)
            .interval(Duration.ofMillis(250))
            .virtualAddresses(
                ip("192.0.2.1"),
                ip("192.0.2.2"),
                ip("192.0.2.3"),
                ip("192.0.2.4"),
                ip("192.0.2.5"),
                ip("192.0.2.6"),
                ip("192.0.2.7"))
            .build();
    String carp =
        "45100038000100004070"
            + "0000"
            + "c000020b"
            + "e0000012" // IPv4, 56 bytes, proto 112
            + "210a0007"
            + "0001"
            + "0000"
            + "0102030405060708"
            + "00".repeat(20);
    String arp = "0001080006040001" + "00".repeat(20);
    String udp =
        "4500001c000100004011" + "0000" + "c000020b" + "e0000051" + "22902290" + "00080000";
    Path file =
        capture(
            "mixed.pcap",
            ethernet("0800", ipv4(pass, 100, GROUP, 0)),
            ethernet("0800", HexFormat.of().parseHex(carp)),
            ethernet("0806", HexFormat.of().parseHex(arp)),
            ethernet("0800", HexFormat.of().parseHex(udp)),
            ethernet("0800", ipv4(v3, 7, GROUP, 0)));
    assertEquals(
        0,
        run(
            "decode",
            file.toString(),
            "--key",
            "vrrp:78=s3cr3t",
            "--key",
            "carp:10=x@192.0.2.100"));
    List<Map<String, Object>> lines = lines();
    assertEquals(4, lines.size(), out.toString(StandardCharsets.UTF_8));
    assertEquals("pass", lines.get(0).get("auth"));
    assertEquals(true, lines.get(0).get("auth_ok"));
    Map<String, Object> carpLine = lines.get(1);
    assertEquals(2L, carpLine.get("frame"));
    assertEquals("carp", carpLine.get("proto"));
    assertEquals(10L, carpLine.get("vhid"));
    assertEquals(1L, carpLine.get("advbase"));
    assertEquals("0x0102030405060708", carpLine.get("counter"));
    assertEquals(false, carpLine.get("checksum_ok"), "a zero checksum");
    assertEquals(false, carpLine.get("auth_ok"), "a zero HMAC");
    Map<String, Object> ipvsLine = lines.get(2);
    assertEquals(4L, ipvsLine.get("frame"));
    assertEquals("ipvs", ipvsLine.get("proto"), "UDP to 8848 is IPVS sync, the ARP is skipped");
    assertEquals("TRUNCATED_HEADER", ipvsLine.get("error"), "an empty sync message");
    Map<String, Object> v3Line = lines.get(3);
    assertEquals(5L, v3Line.get("frame"));
    assertEquals("vrrp", v3Line.get("proto"), "36 bytes, but version 3: VRRP");
    assertEquals(7, ((List<?>) v3Line.get("addresses")).size());
    assertEquals(250L, v3Line.get("interval_ms"));
    assertNull(v3Line.get("auth_ok"));
  }

  @Test
  void aCorruptedCapturePrintsErrorObjectsAndExitsZero() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    VrrpWireConfig ah =
        VrrpWireConfig.builder()
            .vrid(51)
            .virtualAddresses(ip("192.0.2.120"), ip("192.0.2.121"))
            .authentication(AuthType.IPSEC_AH, "secret12")
            .build();
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] ip = ipv4(ah, 100, GROUP, i + 1);
      switch (i % 4) {
        case 0 -> ip = Arrays.copyOf(ip, 20 + random.nextInt(ip.length - 20)); // cut short
        case 1 -> ip[44] = (byte) random.nextInt(256); // version and type
        case 2 -> ip[47] = (byte) random.nextInt(256); // address count
        default -> ip[20 + random.nextInt(ip.length - 20)] ^= (byte) (1 + random.nextInt(255));
      }
      if (i % 4 == 0) {
        ByteBuffer.wrap(ip).putShort(2, (short) ip.length);
      }
      frames.add(ethernet("0800", ip));
    }
    Path file = capture("corrupted.pcap", frames.toArray(byte[][]::new));
    assertEquals(0, run("decode", file.toString(), "--key", "vrrp:51=secret12"), "seed " + seed);
    List<Map<String, Object>> lines = lines();
    long errors = lines.stream().filter(l -> l.containsKey("error")).count();
    assertTrue(errors >= 100, "seed " + seed + ": " + errors + " error objects");
    for (Map<String, Object> line : lines) {
      assertEquals("vrrp", line.get("proto"), "seed " + seed);
      if (line.containsKey("error")) {
        assertEquals(List.of("frame", "proto", "error", "detail"), List.copyOf(line.keySet()));
      } else {
        assertTrue(line.containsKey("auth_ok"), line.toString());
      }
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void errorObjectsNameTheReasonAndSayWhatIsWrong() throws Exception {
    VrrpWireConfig none =
        VrrpWireConfig.builder().vrid(9).virtualAddresses(ip("192.0.2.9")).build();
    byte[] authType5 = ipv4(none, 100, GROUP, 0);
    authType5[24] = 5;
    byte[] version4 = ipv4(none, 100, GROUP, 0);
    version4[20] = 0x41;
    byte[] cut = Arrays.copyOf(ipv4(none, 100, GROUP, 0), 30);
    ByteBuffer.wrap(cut).putShort(2, (short) 30);
    Path file =
        capture(
            "errors.pcap",
            ethernet("0800", authType5),
            ethernet("0800", version4),
            ethernet("0800", cut));
    assertEquals(0, run("decode", file.toString()));
    List<Map<String, Object>> lines = lines();
    assertEquals("INVALID_AUTH_TYPE", lines.get(0).get("error"));
    assertEquals("VRRPv2 auth type 5, known are 0, 1 and 2", lines.get(0).get("detail"));
    assertEquals("UNSUPPORTED_VERSION", lines.get(1).get("error"));
    assertEquals("TRUNCATED", lines.get(2).get("error"));
    assertEquals("truncated VRRP message: 10 bytes, need 20", lines.get(2).get("detail"));
    assertEquals(3L, lines.get(2).get("frame"));
  }

  @Test
  void aTruncatedFileKeepsItsFramesAndExitsTwo() throws Exception {
    byte[] whole = Files.readAllBytes(resource("v2-ah-multicast.pcap"));
    Path cut = dir.resolve("cut.pcap");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 10));
    assertEquals(Main.EXIT_USAGE, run("decode", cut.toString()));
    assertEquals(9, lines().size());
    String error = err.toString(StandardCharsets.UTF_8);
    assertTrue(error.startsWith("failover4j decode: " + cut + ": TRUNCATED"), error);
    assertEquals(1, error.lines().count());
  }

  @Test
  void aFileThatIsNotACaptureExitsTwo() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a capture\n");
    assertEquals(Main.EXIT_USAGE, run("decode", text.toString()));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("NOT_A_CAPTURE"));
    err.reset();
    assertEquals(Main.EXIT_USAGE, run("decode", dir.resolve("missing.pcap").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
  }

  @Test
  void badArgumentsNameTheFlag() throws Exception {
    String[][] cases = {
      {"decode"},
      {"decode", "a.pcap", "b.pcap"},
      {"decode", "a.pcap", "--frobnicate"},
      {"decode", "a.pcap", "--key"},
      {"decode", "a.pcap", "--key", "vrrp51=x"},
      {"decode", "a.pcap", "--key", "ospf:51=x"},
      {"decode", "a.pcap", "--key", "vrrp:0=x"},
      {"decode", "a.pcap", "--key", "vrrp:256=x"},
      {"decode", "a.pcap", "--key", "vrrp:51="},
      {"decode", "a.pcap", "--key", "vrrp:51=a", "--key", "vrrp:51=b"},
    };
    for (String[] args : cases) {
      err.reset();
      assertEquals(Main.EXIT_USAGE, run(args), String.join(" ", args));
      String message = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, message.lines().count(), message);
      assertTrue(
          message.contains("--key") || message.contains("--frobnicate") || message.contains("FILE"),
          message);
    }
    assertEquals(0, run("decode", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: failover4j decode FILE"));
  }

  @Test
  void theCommandIsListedInTheHelp() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("decode"));
  }
}
