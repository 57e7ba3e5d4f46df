package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.failover4j.capture.LinkType;
import org.failover4j.capture.PcapWriter;
import org.failover4j.lab.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code failover4j decode} prints IPVS sync datagrams (UDP to port 8848) from captures. */
class DecodeIpvsTest extends CommandTest {

  /** The example: v1, syncid 9, one IPv4 TCP connection. */
  private static final String V1_IPV4 =
      "0009002c01010000"
          + "00060024000001000001 9c4100501f9000000000 0000012cc6336408c0000264c0000216";

  @TempDir Path dir;

  /**
   * An IPv4 header and UDP header from 192.0.2.11:40000 to 224.0.0.81:port around {@code payload}.
   */
  private static byte[] datagram(int port, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putInt(0);
    b.put((byte) 1).put((byte) 17).putShort((short) 0);
    b.put(new byte[] {(byte) 192, 0, 2, 11}).put(new byte[] {(byte) 224, 0, 0, 81});
    b.putShort((short) 40000).putShort((short) port).putShort((short) (8 + payload.length));
    b.putShort((short) 0).put(payload);
    return b.array();
  }

  @Test
  void syncMessagesAreDecodedWithTheirFrameNumbers() throws Exception {
    byte[] message = HexFormat.of().parseHex(V1_IPV4.replace(" ", ""));
    byte[] corrupt = message.clone();
    corrupt[3] = 0x20; // the size field no longer matches the datagram
    Path pcap = dir.resolve("ipvs.pcap");
    try (PcapWriter writer = PcapWriter.create(pcap, LinkType.RAW)) {
      writer.write(Instant.EPOCH, datagram(8848, message));
      writer.write(Instant.EPOCH, datagram(9999, message));
      writer.write(Instant.EPOCH, datagram(8848, corrupt));
    }
    assertEquals(0, run("decode", pcap.toString()));
    List<String> lines = output().lines().toList();
    assertEquals(2, lines.size(), "port 9999 is not IPVS sync: " + lines);

    Map<String, Object> first = Json.parseObject(lines.get(0));
    assertEquals(1L, first.get("frame"));
    assertEquals("ipvs", first.get("proto"));
    assertEquals(9L, first.get("syncid"));
    Map<String, Object> conn = Json.map(Json.list(first.get("conns")).get(0));
    assertEquals("198.51.100.8", conn.get("caddr"));
    assertEquals(300L, conn.get("timeout"));

    Map<String, Object> bad = Json.parseObject(lines.get(1));
    assertEquals(3L, bad.get("frame"));
    assertEquals("ipvs", bad.get("proto"));
    assertEquals("SIZE_MISMATCH", bad.get("error"));
    assertEquals(true, Files.size(pcap) > 0);
  }
}
