package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.failover4j.capture.LinkType;
import org.failover4j.capture.PcapWriter;
import org.failover4j.lab.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where decode's output goes wrong: frames it cannot read get an error line each, and an output it
 * cannot write (a full disk, a reader that closed the pipe) stops it with status 1.
 */
class DecodeOutputTest extends CommandTest {

  /** A VRRPv3 advert from 192.0.2.11 for VRID 1, priority 100, one address: 32 bytes of IPv4. */
  private static final String ADVERT =
      "4500002000000000ff70"
          + "0000"
          + "c000020b"
          + "e0000012"
          + "31016401000a"
          + "0000"
          + "c0000201";

  @TempDir Path dir;

  private Path adverts(int count) throws IOException {
    Path file = dir.resolve("adverts-" + count + ".pcap");
    byte[] ip = java.util.HexFormat.of().parseHex(ADVERT);
    try (PcapWriter writer = PcapWriter.create(file, LinkType.RAW)) {
      for (int i = 0; i < count; i++) {
        writer.write(Instant.EPOCH, ip);
      }
    }
    return file;
  }

  @Test
  void everyFrameThatAnnouncedIpButHasNoneGetsAnErrorLine() throws Exception {
    byte[] macs = java.util.HexFormat.of().parseHex("01005e00001200005e000101");
    Path file = dir.resolve("broken.pcap");
    try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
      writer.write(Instant.EPOCH, concat(macs, hex("0800"), hex(ADVERT)));
      writer.write(Instant.EPOCH, concat(macs, hex("0806"), hex("0001080006040001")));
      writer.write(Instant.EPOCH, concat(macs, hex("0800"), hex("41000020")));
      writer.write(Instant.EPOCH, concat(macs, hex("0800"), hex("4f000020" + ADVERT.substring(8))));
      writer.write(Instant.EPOCH, concat(macs, hex("08")));
    }
    assertEquals(0, run("decode", file.toString()));
    List<String> lines = output().lines().toList();
    assertEquals(4, lines.size(), "the ARP frame is no error: " + output());
    assertEquals("vrrp", Json.parseObject(lines.get(0)).get("proto"));
    assertEquals(
        "{\"frame\":3,\"proto\":\"ip\",\"error\":\"MALFORMED_HEADER\","
            + "\"detail\":\"IPv4 header cut short: 4 bytes, need 20\"}",
        lines.get(1));
    Map<String, Object> ihl = Json.parseObject(lines.get(2));
    assertEquals(4L, ihl.get("frame"));
    assertEquals("IPv4 header length 60, but 32 bytes captured", ihl.get("detail"));
    assertEquals(5L, Json.parseObject(lines.get(3)).get("frame"));
    assertEquals("", error());
  }

  @Test
  void everyFrameOfAnUnknownLinkTypeGetsAnErrorLine() throws Exception {
    // A pcap of link type 105 (802.11), which decode does not read.
    ByteBuffer pcap = ByteBuffer.allocate(24 + 2 * (16 + 4)).order(ByteOrder.LITTLE_ENDIAN);
    pcap.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    pcap.putInt(65535).putInt(105);
    for (int i = 0; i < 2; i++) {
      pcap.putInt(0).putInt(0).putInt(4).putInt(4).putInt(0x08000000);
    }
    Path file = dir.resolve("wifi.pcap");
    Files.write(file, pcap.array());
    assertEquals(0, run("decode", file.toString()));
    List<String> lines = output().lines().toList();
    assertEquals(2, lines.size(), output());
    for (int i = 0; i < 2; i++) {
      assertEquals(
          "{\"frame\":"
              + (i + 1)
              + ",\"proto\":\"link\",\"error\":\"UNSUPPORTED_LINK_TYPE\","
              + "\"detail\":\"link type 105 is not Ethernet, Linux cooked or raw IP\"}",
          lines.get(i));
    }
  }

  @Test
  void anOutputThatFailsStopsTheDecodingWithStatusOne() throws Exception {
    assertEquals(1, decodeInto(new FailsAfterTenLines("No space left on device")), error());
    assertEquals(
        "failover4j decode: cannot write the output (No space left on device): stopped at frame"
            + " 11\n",
        error());
  }

  @Test
  void aReaderThatLeftStopsTheDecodingQuietlyWithStatusZero() throws Exception {
    assertEquals(0, decodeInto(new FailsAfterTenLines("Broken pipe")), error());
    assertEquals("", error(), "| head -2 is no error");
  }

  private int decodeInto(FailsAfterTenLines sink) throws Exception {
    PrintStream stdout = StandardOutput.of(sink, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    int status = Main.standard().run(List.of("decode", adverts(1_000).toString()), stdout, stderr);
    assertEquals(11, sink.lines, "decoding went on after the output failed");
    return status;
  }

  /** An output whose eleventh line fails as {@code message} says (EPIPE or ENOSPC). */
  private static final class FailsAfterTenLines extends OutputStream {
    private final String message;
    private int lines;

    FailsAfterTenLines(String message) {
      this.message = message;
    }

    @Override
    public void write(int b) throws IOException {
      if (b == '\n' && ++lines > 10) {
        throw new IOException(message);
      }
    }
  }

  private static Process decodeInAChild(Path capture, ProcessBuilder.Redirect stdout)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "decode",
            capture.toString())
        .redirectOutput(stdout)
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  @Test
  void aFullDiskIsAnErrorNotASuccess() throws Exception {
    Process child = decodeInAChild(adverts(100), ProcessBuilder.Redirect.to(new File("/dev/full")));
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "decode into /dev/full never ended");
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, child.exitValue(), stderr);
    assertTrue(stderr.startsWith("failover4j decode: cannot write the output"), stderr);
    assertEquals(1, stderr.lines().count(), stderr);
  }

  @Test
  void aReaderThatClosesThePipeStopsTheDecodingQuietlyAsUnixToolsDo() throws Exception {
    // The capture comes on stdin, which stays open: only the closed output can end the decoding.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "decode",
                "-")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] capture = Files.readAllBytes(adverts(1_000)); // more output than a pipe holds
    OutputStream stdin = child.getOutputStream();
    Thread feeder =
        new Thread(
            () -> {
              try {
                stdin.write(capture);
                stdin.flush(); // and never closed: no end of input
              } catch (IOException e) {
                // the child is gone
              }
            });
    feeder.setDaemon(true);
    feeder.start();
    try {
      try (InputStream stdout = child.getInputStream()) {
        // What head -2 does: read two lines, then close the pipe.
        for (int lines = 0; lines < 2; ) {
          int b = stdout.read();
          assertTrue(b >= 0, "no two lines before the end");
          lines += b == '\n' ? 1 : 0;
        }
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "decode went on after its reader left");
      String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, child.exitValue(), stderr);
      assertEquals("", stderr);
    } finally {
      child.destroyForcibly();
    }
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.writeBytes(p);
    }
    return all.toByteArray();
  }
}
