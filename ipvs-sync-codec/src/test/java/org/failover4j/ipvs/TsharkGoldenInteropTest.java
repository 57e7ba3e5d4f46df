package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.failover4j.lab.Capture;
import org.failover4j.lab.Host;
import org.failover4j.lab.Interop;
import org.failover4j.lab.Lab;
import org.failover4j.lab.Lan;
import org.junit.jupiter.api.Test;

/**
 * The golden messages, sent over multicast between two lab hosts and read back by tshark's {@code
 * ipvs} dissector: every field tshark understands must match what our reader makes of the same
 * bytes. tshark reads v1 entries as fixed-size (so it is right only up to the first entry with
 * options) and v0 sequence data big-endian.
 */
@Interop(peers = {"tshark"})
class TsharkGoldenInteropTest {

  private static final String[] MESSAGES = {
    GoldenMessages.V1_IPV4_TCP,
    GoldenMessages.V1_OPTIONS_AND_IPV6,
    GoldenMessages.V0_WITH_SEQUENCE_LE,
    GoldenMessages.V0_WITH_SEQUENCE_BE,
    GoldenMessages.V1_IPV6_THREE
  };

  private static final String[] V1_FIELDS = {
    "ipvs.conncount", "ipvs.syncid", "ipvs.size", "ipvs.version", "ipvs.type", "ipvs.proto",
    "ipvs.ver", "ipvs.size.v1", "ipvs.flags.v1", "ipvs.state", "ipvs.cport", "ipvs.vport",
    "ipvs.dport", "ipvs.fwmark", "ipvs.timeout", "ipvs.caddr", "ipvs.vaddr", "ipvs.daddr",
    "ipvs.caddr6", "ipvs.vaddr6", "ipvs.daddr6"
  };

  private static final String[] V0_FIELDS = {
    "ipvs.conncount",
    "ipvs.syncid",
    "ipvs.size",
    "ipvs.proto",
    "ipvs.cport",
    "ipvs.vport",
    "ipvs.dport",
    "ipvs.caddr",
    "ipvs.vaddr",
    "ipvs.daddr",
    "ipvs.flags",
    "ipvs.state",
    "ipvs.in_seq.initial",
    "ipvs.in_seq.delta",
    "ipvs.in_seq.pdelta",
    "ipvs.out_seq.initial",
    "ipvs.out_seq.delta",
    "ipvs.out_seq.pdelta"
  };

  @Test
  void tsharkReadsTheGoldenMessagesAsWeDo(Lab lab) throws Exception {
    Lan lan = lab.lan("lan0");
    Host a = lab.host("a", lan);
    lab.host("b", lan);
    NetworkInterface nif = a.call(() -> NetworkInterface.getByName(a.iface(lan)));
    SyncConfig config = SyncConfig.builder().networkInterface(nif).build();
    Capture capture = lan.capture("golden", "udp port 8848");
    try (DatagramChannel socket = a.call(() -> SyncSockets.openSender(config))) {
      for (String message : MESSAGES) {
        socket.write(GoldenMessages.buffer(message));
      }
    }
    capture.stop();
    List<List<String>> v1 = read(capture, V1_FIELDS);
    List<List<String>> v0 = read(capture, V0_FIELDS);
    assertEquals(MESSAGES.length, v1.size());
    for (int i = 0; i < MESSAGES.length; i++) {
      SyncMessageReader reader = new SyncMessageReader();
      ByteBuffer b = GoldenMessages.buffer(MESSAGES[i]);
      reader.wrap(b, 0, b.capacity());
      if (reader.version() == SyncVersion.V1) {
        assertTsharkAgrees(expectedV1(reader), v1.get(i), V1_FIELDS, i);
      } else {
        assertTsharkAgrees(expectedV0(reader), v0.get(i), V0_FIELDS, i);
      }
    }
  }

  private static List<List<String>> read(Capture capture, String[] fields) {
    return Capture.read(capture.file(), Capture.DECODE_IPVS, "ipvs", fields);
  }

  /**
   * Each of our columns must be what tshark shows first for that field; what tshark shows after it
   * comes from entries it misread (after the first v1 entry with options).
   */
  private static void assertTsharkAgrees(
      List<List<String>> ours, List<String> tshark, String[] fields, int message) {
    for (int f = 0; f < fields.length; f++) {
      List<String> theirs = new ArrayList<>();
      for (String value : tshark.get(f).split(",", -1)) {
        theirs.add(fields[f].contains("addr") && !value.isEmpty() ? address(value) : value);
      }
      List<String> expected = ours.get(f);
      List<String> shown =
          expected.isEmpty()
              ? List.of()
              : theirs.subList(0, Math.min(expected.size(), theirs.size()));
      assertEquals(expected, shown, "message " + message + " field " + fields[f]);
    }
  }

  private static List<List<String>> columns(int count) {
    List<List<String>> columns = new ArrayList<>();
    for (int f = 0; f < count; f++) {
      columns.add(new ArrayList<>());
    }
    return columns;
  }

  private static List<List<String>> expectedV1(SyncMessageReader reader) {
    List<List<String>> columns = columns(V1_FIELDS.length);
    add(columns, 0, reader.entryCount());
    add(columns, 1, reader.syncId());
    add(columns, 2, reader.length());
    add(columns, 3, 1);
    // tshark steps over the fixed part only: it is right up to the first entry with options.
    boolean aligned = true;
    while (aligned && reader.advance()) {
      SyncEntry e = reader.entry();
      aligned = e.length() == (e.ipv6() ? 72 : 36);
      add(columns, 4, e.type());
      columns.get(5).add(String.format("0x%02x", e.protocol()));
      add(columns, 6, 0);
      add(columns, 7, e.length());
      columns.get(8).add(String.format("0x%08x", e.flags()));
      columns.get(9).add(String.format("0x%04x", e.state()));
      add(columns, 10, e.clientPort());
      add(columns, 11, e.virtualPort());
      add(columns, 12, e.destinationPort());
      columns.get(13).add(String.format("0x%08x", e.firewallMark()));
      add(columns, 14, e.timeoutSeconds());
      int base = e.ipv6() ? 18 : 15;
      columns.get(base).add(e.clientAddress().getHostAddress());
      columns.get(base + 1).add(e.virtualAddress().getHostAddress());
      columns.get(base + 2).add(e.destinationAddress().getHostAddress());
    }
    return columns;
  }

  private static List<List<String>> expectedV0(SyncMessageReader reader) {
    List<List<String>> columns = columns(V0_FIELDS.length);
    add(columns, 0, reader.entryCount());
    add(columns, 1, reader.syncId());
    add(columns, 2, reader.length());
    while (reader.advance()) {
      SyncEntry e = reader.entry();
      columns.get(3).add(String.format("0x%02x", e.protocol()));
      add(columns, 4, e.clientPort());
      add(columns, 5, e.virtualPort());
      add(columns, 6, e.destinationPort());
      columns.get(7).add(e.clientAddress().getHostAddress());
      columns.get(8).add(e.virtualAddress().getHostAddress());
      columns.get(9).add(e.destinationAddress().getHostAddress());
      columns.get(10).add(String.format("0x%04x", e.flags()));
      columns.get(11).add(String.format("0x%04x", e.state()));
      if (e.hasSequence()) {
        // Our reader is little-endian by default; tshark always reads big-endian.
        Function<Integer, String> be = v -> String.format("0x%08x", Integer.reverseBytes(v));
        columns.get(12).add(be.apply(e.inInitSeq()));
        columns.get(13).add(be.apply(e.inDelta()));
        columns.get(14).add(be.apply(e.inPreviousDelta()));
        columns.get(15).add(be.apply(e.outInitSeq()));
        columns.get(16).add(be.apply(e.outDelta()));
        columns.get(17).add(be.apply(e.outPreviousDelta()));
      }
    }
    return columns;
  }

  private static void add(List<List<String>> columns, int column, long value) {
    columns.get(column).add(String.valueOf(value));
  }

  private static String address(String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
