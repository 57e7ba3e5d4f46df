package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IpvsJsonTest {

  private static String json(String hex) {
    return IpvsJson.message(HexFormat.of().parseHex(hex.replaceAll("\\s+", ""))).toString();
  }

  /** The issue's example: v1, syncid 9, one IPv4 TCP connection. */
  private static final String V1_IPV4 =
      "0009002c01010000"
          + "00060024 00000100 0001 9c41 0050 1f90 00000000 0000012c c6336408 c0000264 c0000216";

  @Test
  void theIssuesExample() {
    assertEquals(
        "{\"proto\":\"ipvs\",\"version\":1,\"syncid\":9,\"conns\":[{\"ipv6\":false,\"protocol\":6,"
            + "\"cport\":40001,\"vport\":80,\"dport\":8080,\"caddr\":\"198.51.100.8\","
            + "\"vaddr\":\"192.0.2.100\",\"daddr\":\"192.0.2.22\",\"flags\":256,\"state\":1,"
            + "\"fwmark\":0,\"timeout\":300}]}",
        json(V1_IPV4));
  }

  @Test
  void optionsIpv6AndUnsignedNumbers() {
    String message =
        "00 07 0099 02 01 0000"
            + "00 06 003e 00000600 0001 9c42 0050 1f90 00000000 00000384"
            + "c6336409 c0000264 c0000216"
            + "0118 11111111 00000010 00000008 22222222 fffffff0 fffffff8 0000"
            + "01 11 0051 80001003 0000 13c4 13c4 13c4 ffffffff 000000b4"
            + "20010db8000000000000000000000008 20010db8000000000000000000000100"
            + "20010db8000000000000000000000022 02020a0b 0303736970";
    assertEquals(
        "{\"proto\":\"ipvs\",\"version\":1,\"syncid\":7,\"conns\":["
            + "{\"ipv6\":false,\"protocol\":6,\"cport\":40002,\"vport\":80,\"dport\":8080,"
            + "\"caddr\":\"198.51.100.9\",\"vaddr\":\"192.0.2.100\",\"daddr\":\"192.0.2.22\","
            + "\"flags\":1536,\"state\":1,\"fwmark\":0,\"timeout\":900,"
            + "\"in_seq\":{\"init_seq\":286331153,\"delta\":16,\"previous_delta\":8},"
            + "\"out_seq\":{\"init_seq\":572662306,\"delta\":4294967280,"
            + "\"previous_delta\":4294967288}},"
            + "{\"ipv6\":true,\"protocol\":17,\"cport\":5060,\"vport\":5060,\"dport\":5060,"
            + "\"caddr\":\"2001:db8::8\",\"vaddr\":\"2001:db8::100\",\"daddr\":\"2001:db8::22\","
            + "\"flags\":2147487747,\"state\":0,\"fwmark\":4294967295,\"timeout\":180,"
            + "\"pe_name\":\"sip\",\"pe_data\":\"0a0b\"}]}",
        json(message));
  }

  @Test
  void v0EntriesHaveNoFirewallMarkOrTimeout() {
    String message =
        "01 05 0034"
            + "00 06 9c43 0015 0015 c633640b c0000265 c0000218 0600 0001"
            + "78563412 10000000 08000000 efcdab90 f0ffffff f8ffffff";
    assertEquals(
        "{\"proto\":\"ipvs\",\"version\":0,\"syncid\":5,\"conns\":[{\"ipv6\":false,"
            + "\"protocol\":6,\"cport\":40003,\"vport\":21,\"dport\":21,"
            + "\"caddr\":\"198.51.100.11\",\"vaddr\":\"192.0.2.101\",\"daddr\":\"192.0.2.24\","
            + "\"flags\":1536,\"state\":1,"
            + "\"in_seq\":{\"init_seq\":305419896,\"delta\":16,\"previous_delta\":8},"
            + "\"out_seq\":{\"init_seq\":2427178479,\"delta\":4294967280,"
            + "\"previous_delta\":4294967288}}]}",
        json(message));
  }

  @Test
  void aDroppedMessageIsAnError() {
    assertEquals(
        "{\"proto\":\"ipvs\",\"error\":\"SIZE_MISMATCH\","
            + "\"detail\":\"header says 44 bytes, datagram has 45\"}",
        json(V1_IPV4 + "00"));
  }

  @Test
  void aSkippedEntryIsMarkedInItsPlace() {
    String message =
        "0009005002010000"
            + "00010024 00000000 0000 9c41 0050 1f90 00000000 0000012c c6336408 c0000264 c0000216"
            + "00060024 00000000 0001 9c41 0050 1f90 00000000 0000012c c6336408 c0000264 c0000216";
    String out = json(message);
    assertEquals(
        "{\"proto\":\"ipvs\",\"version\":1,\"syncid\":9,\"conns\":[{\"skipped\":"
            + "\"UNSUPPORTED_PROTOCOL\"},{\"ipv6\":false",
        out.substring(0, out.indexOf(",\"protocol\":6")));
  }

  @Test
  void aMessageCutShortListsTheEntriesBeforeTheFault() {
    String message = "0009002c02010000" + V1_IPV4.substring(16);
    String out = json(message);
    assertEquals(
        "],\"error\":\"TRUNCATED_ENTRY\",\"detail\":\"entry 1: 0 bytes left, need 36\"}",
        out.substring(out.lastIndexOf(']')));
    assertEquals(true, out.contains("\"cport\":40001"));
  }
}
