package org.failover4j.ipvs;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Sync messages written byte by byte from the kernel's structure definitions ({@code struct
 * ip_vs_sync_mesg}, {@code ip_vs_sync_v4}, {@code ip_vs_sync_v6}, {@code ip_vs_sync_conn_v0},
 * {@code ip_vs_sync_conn_options}), one field per line; {@code #} starts a comment.
 */
final class GoldenMessages {

  private GoldenMessages() {}

  /** v1, syncid 9, one IPv4 TCP connection without options: the JSON example. */
  static final String V1_IPV4_TCP =
      """
      00          # reserved (0: not a v0 count)
      09          # syncid
      002c        # size 44 = 8 + 36
      01          # nr_conns
      01          # version 1
      0000        # spare
      # entry 0
      00          # type: IPv4
      06          # protocol TCP
      0024        # version 0, size 36
      00000100    # flags INACTIVE, MASQ
      0001        # state ESTABLISHED
      9c41        # cport 40001
      0050        # vport 80
      1f90        # dport 8080
      00000000    # fwmark
      0000012c    # timeout 300 s
      c6336408    # caddr 198.51.100.8
      c0000264    # vaddr 192.0.2.100
      c0000216    # daddr 192.0.2.22
      """;

  /**
   * v1, syncid 7: an IPv4 connection with sequence data (62 bytes, then 2 bytes of padding), and an
   * IPv6 SIP template with persistence data and name (81 bytes, no padding after it).
   */
  static final String V1_OPTIONS_AND_IPV6 =
      """
      00 07 0099 02 01 0000  # reserved, syncid 7, size 153, 2 entries, version 1, spare
      # entry 0: 36 + 2 + 24 = 62 bytes
      00          # type: IPv4
      06          # TCP
      003e        # version 0, size 62
      00000600    # flags IN_SEQ OUT_SEQ, MASQ
      0001        # ESTABLISHED
      9c42 0050 1f90  # cport 40002, vport 80, dport 8080
      00000000    # fwmark
      00000384    # timeout 900 s
      c6336409 c0000264 c0000216  # 198.51.100.9, 192.0.2.100, 192.0.2.22
      01 18       # option SEQ_DATA, 24 bytes
      11111111 00000010 00000008  # in_seq init, delta, previous_delta (big-endian in v1)
      22222222 fffffff0 fffffff8  # out_seq
      0000        # padding to the next 4-byte boundary
      # entry 1: 72 + 2 + 2 + 2 + 3 = 81 bytes
      01          # type: IPv6
      11          # UDP
      0051        # version 0, size 81
      00001003    # flags TEMPLATE, DROUTE
      0000        # template state NONE
      13c4 13c4 13c4  # cport, vport, dport 5060
      0000002a    # fwmark 42
      000000b4    # timeout 180 s
      20010db8000000000000000000000008  # caddr 2001:db8::8
      20010db8000000000000000000000100  # vaddr 2001:db8::100
      20010db8000000000000000000000022  # daddr 2001:db8::22
      02 02 0a0b  # option PE_DATA, 2 bytes
      03 03 736970  # option PE_NAME "sip"
      """;

  /**
   * v0, syncid 5: a UDP connection, then a TCP connection with sequence data in little-endian (x86
   * host) order.
   */
  static final String V0_WITH_SEQUENCE_LE =
      """
      02          # nr_conns
      05          # syncid
      004c        # size 76 = 4 + 24 + 48
      # entry 0
      00 11       # reserved, UDP
      d431 0035 0035  # cport 54321, vport 53, dport 53
      c633640a    # caddr 198.51.100.10
      c0000265    # vaddr 192.0.2.101
      c0000217    # daddr 192.0.2.23
      0000        # flags MASQ
      0000        # state NORMAL
      # entry 1
      00 06       # reserved, TCP
      9c43 0015 0015  # cport 40003, vport 21, dport 21
      c633640b c0000265 c0000218  # 198.51.100.11, 192.0.2.101, 192.0.2.24
      0600        # flags IN_SEQ OUT_SEQ
      0001        # ESTABLISHED
      78563412 10000000 08000000  # in_seq 0x12345678, 16, 8 (little-endian)
      efcdab90 f0ffffff f8ffffff  # out_seq 0x90abcdef, -16, -8
      """;

  /** The same v0 message with the sequence block big-endian (a big-endian master's). */
  static final String V0_WITH_SEQUENCE_BE =
      """
      02 05 004c
      00 11 d431 0035 0035 c633640a c0000265 c0000217 0000 0000
      00 06 9c43 0015 0015 c633640b c0000265 c0000218 0600 0001
      12345678 00000010 00000008
      90abcdef fffffff0 fffffff8
      """;

  /** v1, syncid 3: three IPv6 connections without options (72 bytes each, no padding). */
  static final String V1_IPV6_THREE =
      """
      00 03 00e0 03 01 0000  # size 224 = 8 + 3 * 72
      01 06 0048 00000003 0005 c350 01bb 01bb 00000000 00000078  # DROUTE, TIME_WAIT, 50000
      20010db8000000000000000000000031
      20010db8000000000000000000000100
      20010db8000000000000000000000021
      01 84 0048 00000000 0008 c351 0050 0050 00000007 00000000  # SCTP ESTABLISHED, mark 7
      20010db8000000000000000000000032
      20010db8000000000000000000000100
      20010db8000000000000000000000022
      01 11 0048 00000102 0000 c352 0035 0035 00000000 0000003c  # UDP, TUNNEL INACTIVE, 60 s
      20010db8000000000000000000000033
      20010db8000000000000000000000101
      20010db8000000000000000000000023
      """;

  /** The bytes of {@code annotated}: hex digits, whitespace ignored, {@code #} to end of line. */
  static byte[] bytes(String annotated) {
    StringBuilder hex = new StringBuilder();
    for (String line : annotated.split("\n")) {
      int comment = line.indexOf('#');
      String data = comment >= 0 ? line.substring(0, comment) : line;
      hex.append(data.replaceAll("\\s+", ""));
    }
    return HexFormat.of().parseHex(hex.toString());
  }

  /** A heap buffer holding {@code annotated}'s bytes. */
  static ByteBuffer buffer(String annotated) {
    return ByteBuffer.wrap(bytes(annotated));
  }
}
