package org.failover4j.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Interop;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our decoder and tshark's VRRP and AH dissectors read every golden capture the same way: every
 * header field, every address, the AH fields and ICV, and the checksum verdict.
 */
@Interop(peers = "tshark")
class GoldenCaptureTsharkTest {

  /** tshark fields, each with what our decoder says for it. */
  static final String[] FIELDS = {
    "frame.number",
    "ip.src",
    "ip.dst",
    "ip.ttl",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.hlim",
    "vrrp.version",
    "vrrp.type",
    "vrrp.virt_rtr_id",
    "vrrp.prio",
    "vrrp.addr_count",
    "vrrp.auth_type",
    "vrrp.adver_int",
    "vrrp.reserved_mbz",
    "vrrp.short_adver_int",
    "vrrp.checksum",
    "vrrp.checksum.status",
    "vrrp.ip_addr",
    "vrrp.ipv6_addr",
    "vrrp.auth_string",
    "ah.next_header",
    "ah.length",
    "ah.spi",
    "ah.sequence",
    "ah.icv",
  };

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(GoldenCapture.class)
  void tsharkReadsEveryFieldAsWeDo(GoldenCapture golden) throws IOException {
    Path file = dir.resolve(golden.file);
    Files.write(file, golden.bytes());
    List<List<String>> rows = Capture.read(file, List.of(), "vrrp", FIELDS);
    List<GoldenCaptureTest.Captured> packets = GoldenCaptureTest.packets(golden);
    assertEquals(packets.size(), rows.size(), "tshark sees every frame as VRRP");
    VrrpPacketDecoder decoder = new VrrpPacketDecoder();
    for (int i = 0; i < rows.size(); i++) {
      GoldenCaptureTest.Captured captured = packets.get(i);
      captured.decode(decoder);
      List<String> expected = ours(captured.frame(), decoder);
      List<String> actual = normalize(rows.get(i));
      for (int f = 0; f < FIELDS.length; f++) {
        assertEquals(
            expected.get(f),
            actual.get(f),
            golden.file + " frame " + captured.frame() + " " + FIELDS[f]);
      }
    }
  }

  /** The fields in tshark's text form, from our decoder. */
  static List<String> ours(long frame, VrrpPacketDecoder decoder) {
    VrrpAdvertDecoder advert = decoder.advert();
    boolean ipv4 = decoder.family() == IpFamily.IPV4;
    boolean v2 = advert.version() == 2;
    List<String> addresses = new ArrayList<>();
    for (InetAddress address : advert.addresses()) {
      addresses.add(address.getHostAddress());
    }
    String authString = "";
    if (v2 && ipv4 && advert.authTypeCode() == AuthType.SIMPLE_TEXT.code()) {
      byte[] data = new byte[8];
      advert.copyAuthData(data, 0);
      int n = 0;
      while (n < 8 && data[n] != 0) {
        n++;
      }
      authString = new String(data, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
    boolean ah = decoder.hasAh();
    byte[] icv = new byte[12];
    if (ah) {
      decoder.copyAhIcv(icv, 0);
    }
    return List.of(
        Long.toString(frame),
        ipv4 ? decoder.source().getHostAddress() : "",
        ipv4 ? decoder.destination().getHostAddress() : "",
        ipv4 ? Integer.toString(decoder.ttl()) : "",
        ipv4 ? "" : decoder.source().getHostAddress(),
        ipv4 ? "" : decoder.destination().getHostAddress(),
        ipv4 ? "" : Integer.toString(decoder.ttl()),
        Integer.toString(advert.version()),
        Integer.toString(advert.type()),
        Integer.toString(advert.vrid()),
        Integer.toString(advert.priority()),
        Integer.toString(advert.addressCount()),
        v2 ? Integer.toString(advert.authTypeCode()) : "",
        v2 ? Integer.toString(advert.advertIntervalSeconds()) : "",
        v2 ? "" : Integer.toString(advert.reservedBits()),
        v2 ? "" : Integer.toString(advert.maxAdvertIntervalCentiseconds()),
        String.format("0x%04x", advert.checksum()),
        decoder.checksumValid(ChecksumMode.PSEUDO_HEADER) ? "1" : "0",
        ipv4 ? String.join(",", addresses) : "",
        ipv4 ? "" : String.join(",", addresses),
        authString,
        ah ? Integer.toString(decoder.ahNextHeader()) : "",
        ah ? Integer.toString(decoder.ahPayloadLength()) : "",
        ah ? String.format("0x%08x", decoder.ahSpi()) : "",
        ah ? Long.toString(decoder.ahSequence() & 0xFFFFFFFFL) : "",
        ah ? java.util.HexFormat.of().formatHex(icv) : "");
  }

  /** tshark's row with IPv6 addresses in Java's long form, so both sides compare as text. */
  static List<String> normalize(List<String> row) {
    List<String> out = new ArrayList<>();
    for (int f = 0; f < row.size(); f++) {
      String value = row.get(f);
      String field = f < FIELDS.length ? FIELDS[f] : "";
      if (field.equals("ipv6.src") || field.equals("ipv6.dst") || field.equals("vrrp.ipv6_addr")) {
        List<String> parts = new ArrayList<>();
        for (String part : value.isEmpty() ? new String[0] : value.split(",")) {
          try {
            parts.add(InetAddress.getByName(part).getHostAddress());
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
        value = String.join(",", parts);
      }
      out.add(value);
    }
    return out;
  }
}
