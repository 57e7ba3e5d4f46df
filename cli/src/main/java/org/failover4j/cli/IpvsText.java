package org.failover4j.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Locale;
import org.failover4j.api.AddressText;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.ipvs.ConnectionFlags;
import org.failover4j.ipvs.IpvsProtocol;
import org.failover4j.ipvs.SyncEntry;
import org.failover4j.ipvs.SyncMessageReader;
import org.failover4j.ipvs.SyncVersion;

/**
 * One IPVS sync message as lines for people: a header line, then one indented line per entry.
 *
 * <pre>
 * ipvs v1 syncid 9 size 44 conns 1
 *   tcp 198.51.100.8:40001 -&gt; 192.0.2.100:80 -&gt; 192.0.2.22:8080 ESTABLISHED flags 0x100 [MASQ INACTIVE] fwmark 0 timeout 300s
 * </pre>
 */
final class IpvsText {

  private IpvsText() {}

  /** The lines for the message of {@code length} bytes at absolute {@code offset}. */
  static String message(ByteBuffer buffer, int offset, int length, SyncMessageReader reader) {
    StringBuilder out = new StringBuilder();
    try {
      reader.wrap(buffer, offset, length);
    } catch (MalformedPacketException e) {
      return out.append("ipvs dropped ").append(TerminalText.escape(e.getMessage())).toString();
    }
    out.append("ipvs ")
        .append(reader.version().name().toLowerCase(java.util.Locale.ROOT))
        .append(" syncid ")
        .append(reader.syncId())
        .append(" size ")
        .append(reader.length())
        .append(" conns ")
        .append(reader.entryCount());
    try {
      while (reader.advance()) {
        out.append('\n').append("  ");
        entry(out, reader.entry());
      }
    } catch (MalformedPacketException e) {
      out.append('\n').append("  rest dropped ").append(TerminalText.escape(e.getMessage()));
    }
    return out.toString();
  }

  private static void entry(StringBuilder out, SyncEntry e) {
    if (e.skipReason() != null) {
      out.append("skipped ").append(e.skipReason().name());
      return;
    }
    out.append(protocol(e.protocol()))
        .append(' ')
        .append(endpoint(e.clientAddress(), e.clientPort()))
        .append(" -> ")
        .append(endpoint(e.virtualAddress(), e.virtualPort()))
        .append(" -> ")
        .append(endpoint(e.destinationAddress(), e.destinationPort()))
        .append(' ')
        .append(e.connectionState().name())
        .append(" flags ")
        .append(ConnectionFlags.of(e.flags()));
    if (e.version() == SyncVersion.V1) {
      out.append(" fwmark ")
          .append(Integer.toUnsignedString(e.firewallMark()))
          .append(" timeout ")
          .append(e.timeoutSeconds())
          .append('s');
    }
    if (e.hasSequence()) {
      out.append(" in_seq ")
          .append(sequence(e.inInitSeq(), e.inDelta(), e.inPreviousDelta()))
          .append(" out_seq ")
          .append(sequence(e.outInitSeq(), e.outDelta(), e.outPreviousDelta()));
    }
    if (e.hasPersistenceEngineName() || e.hasPersistenceData()) {
      // The name is bytes from the wire: a control sequence in it must not reach the terminal.
      out.append(" pe ")
          .append(
              e.hasPersistenceEngineName() ? TerminalText.escape(e.persistenceEngineName()) : "?");
      if (e.hasPersistenceData()) {
        byte[] data = new byte[e.persistenceDataLength()];
        e.copyPersistenceData(data, 0);
        out.append(' ').append(HexFormat.of().formatHex(data));
      }
    }
  }

  private static String protocol(int number) {
    return IpvsProtocol.isSupported(number)
        ? IpvsProtocol.of(number).name().toLowerCase(Locale.ROOT)
        : "proto " + number;
  }

  private static String endpoint(InetAddress address, int port) {
    String literal = AddressText.of(address);
    return (address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port;
  }

  /** init/delta/previous: the kernel's deltas are u32 but mean signed adjustments. */
  private static String sequence(int initSeq, int delta, int previousDelta) {
    return Integer.toUnsignedString(initSeq) + "/" + delta + "/" + previousDelta;
  }
}
