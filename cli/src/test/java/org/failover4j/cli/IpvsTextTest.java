package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.failover4j.ipvs.SyncMessageReader;
import org.failover4j.lab.Json;
import org.junit.jupiter.api.Test;

class IpvsTextTest {

  private static String text(String hex) {
    byte[] b = HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    return IpvsText.message(ByteBuffer.wrap(b), 0, b.length, new SyncMessageReader());
  }

  @Test
  void oneLinePerEntry() {
    String message =
        "00 07 00c0 03 01 0000"
            + "00 06 003e 00000600 0001 9c42 0050 1f90 00000000 00000384"
            + "c6336409 c0000264 c0000216"
            + "0118 11111111 00000010 00000008 22222222 fffffff0 fffffff8 0000"
            + "01 11 0051 00001003 0000 13c4 13c4 13c4 0000002a 000000b4"
            + "20010db8000000000000000000000008 20010db8000000000000000000000100"
            + "20010db8000000000000000000000022 02020a0b 0303736970 000000"
            + "00010024 00000000 0000 9c41 0050 1f90 00000000 0000012c c6336408 c0000264 c0000216";
    assertEquals(
        "ipvs v1 syncid 7 size 192 conns 3\n"
            + "  tcp 198.51.100.9:40002 -> 192.0.2.100:80 -> 192.0.2.22:8080 ESTABLISHED"
            + " flags 0x600 [MASQ OUT_SEQ IN_SEQ] fwmark 0 timeout 900s"
            + " in_seq 286331153/16/8 out_seq 572662306/-16/-8\n"
            + "  udp [2001:db8::8]:5060 -> [2001:db8::100]:5060 -> [2001:db8::22]:5060 NONE"
            + " flags 0x1003 [DROUTE TEMPLATE] fwmark 42 timeout 180s pe sip 0a0b\n"
            + "  skipped UNSUPPORTED_PROTOCOL",
        text(message));
  }

  @Test
  void controlCharactersFromTheWireAreEscaped() {
    // The second entry of oneLinePerEntry, with no engine data and the engine name ESC [ 2 J.
    String message =
        "00 07 0058 01 01 0000"
            + "01 11 004e 00001003 0000 13c4 13c4 13c4 0000002a 000000b4"
            + "20010db8000000000000000000000008 20010db8000000000000000000000100"
            + "20010db8000000000000000000000022 03041b5b324a 0000";
    String text = text(message);
    assertEquals(
        "ipvs v1 syncid 7 size 88 conns 1\n"
            + "  udp [2001:db8::8]:5060 -> [2001:db8::100]:5060 -> [2001:db8::22]:5060 NONE"
            + " flags 0x1003 [DROUTE TEMPLATE] fwmark 42 timeout 180s pe \\x1b[2J",
        text);
    byte[] b = HexFormat.of().parseHex(message.replaceAll("\\s+", ""));
    String json = IpvsJson.message(b).toString();
    assertTrue(json.contains("\"pe_name\":\"\\u001b[2J\""), json);
    assertEquals(
        "\u001b[2J",
        Json.map(Json.list(Json.parseObject(json).get("conns")).get(0)).get("pe_name"));
  }

  @Test
  void onlyPrintableAsciiPassesUnescaped() {
    assertEquals("sip", TerminalText.escape("sip"));
    assertEquals(
        "a\\x1b[2Jb\\x07\\x7f\\x9b\\\\x1b\\u202e",
        TerminalText.escape("a\u001b[2Jb\u0007\u007f\u009b\\x1b\u202e"));
  }

  @Test
  void droppedAndCutShortMessages() {
    assertEquals("ipvs dropped TRUNCATED_HEADER: truncated header: 2 bytes, need 4", text("0000"));
    assertEquals(
        "ipvs v0 syncid 1 size 4 conns 1\n"
            + "  rest dropped TRUNCATED_ENTRY: entry 0: 0 bytes left, need 24",
        text("01010004"));
  }
}
