package org.failover4j.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.failover4j.api.AddressText;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.ipvs.SyncEntry;
import org.failover4j.ipvs.SyncMessageReader;
import org.failover4j.ipvs.SyncVersion;

/**
 * One IPVS sync message as one JSON object, for {@code ipvs-monitor --json} and for {@code decode}:
 *
 * <pre>{@code
 * {"proto":"ipvs","version":1,"syncid":9,"conns":[{"ipv6":false,"protocol":6,"cport":40001,
 *  "vport":80,"dport":8080,"caddr":"198.51.100.8","vaddr":"192.0.2.100","daddr":"192.0.2.22",
 *  "flags":256,"state":1,"fwmark":0,"timeout":300,"in_seq":{"init_seq":..,"delta":..,
 *  "previous_delta":..},"out_seq":{..},"pe_name":"sip","pe_data":"0a0b"}]}
 * }</pre>
 *
 * Optional keys appear only when present: v0 entries have no {@code fwmark} or {@code timeout},
 * {@code in_seq}/{@code out_seq} only with sequence data, {@code pe_name}/{@code pe_data} only with
 * those options. Flags, sequence numbers and marks are unsigned. A message dropped as a whole is
 * {@code {"proto":"ipvs","error":"REASON","detail":".."}}; an entry the kernel skips is {@code
 * {"skipped":"REASON"}} in its place; a message cut short by a malformed entry lists the entries
 * before it, which the kernel applied, then {@code "error"} and {@code "detail"}.
 */
final class IpvsJson {

  private IpvsJson() {}

  /** The message in {@code payload} (a whole UDP payload), read with the kernel's defaults. */
  static JsonObject message(byte[] payload) {
    return message(ByteBuffer.wrap(payload), 0, payload.length, new SyncMessageReader());
  }

  /** The message of {@code length} bytes at absolute {@code offset}, read with {@code reader}. */
  static JsonObject message(ByteBuffer buffer, int offset, int length, SyncMessageReader reader) {
    return message(new JsonObject(), buffer, offset, length, reader);
  }

  /**
   * As {@link #message(ByteBuffer, int, int, SyncMessageReader)}, after the fields in {@code out}.
   */
  static JsonObject message(
      JsonObject out, ByteBuffer buffer, int offset, int length, SyncMessageReader reader) {
    out.put("proto", "ipvs");
    try {
      reader.wrap(buffer, offset, length);
    } catch (MalformedPacketException e) {
      return out.put("error", e.reason().name()).put("detail", e.detail());
    }
    out.put("version", reader.version() == SyncVersion.V1 ? 1 : 0).put("syncid", reader.syncId());
    List<Object> conns = new ArrayList<>();
    try {
      while (reader.advance()) {
        conns.add(entry(reader.entry()));
      }
    } catch (MalformedPacketException e) {
      return out.put("conns", conns).put("error", e.reason().name()).put("detail", e.detail());
    }
    return out.put("conns", conns);
  }

  private static JsonObject entry(SyncEntry e) {
    if (e.skipReason() != null) {
      return new JsonObject().put("skipped", e.skipReason().name());
    }
    JsonObject c =
        new JsonObject()
            .put("ipv6", e.ipv6())
            .put("protocol", e.protocol())
            .put("cport", e.clientPort())
            .put("vport", e.virtualPort())
            .put("dport", e.destinationPort())
            .put("caddr", AddressText.of(e.clientAddress()))
            .put("vaddr", AddressText.of(e.virtualAddress()))
            .put("daddr", AddressText.of(e.destinationAddress()))
            .put("flags", Integer.toUnsignedLong(e.flags()))
            .put("state", e.state());
    if (e.version() == SyncVersion.V1) {
      c.put("fwmark", Integer.toUnsignedLong(e.firewallMark())).put("timeout", e.timeoutSeconds());
    }
    if (e.hasSequence()) {
      c.put("in_seq", sequence(e.inInitSeq(), e.inDelta(), e.inPreviousDelta()));
      c.put("out_seq", sequence(e.outInitSeq(), e.outDelta(), e.outPreviousDelta()));
    }
    c.putIfPresent("pe_name", e.persistenceEngineName());
    if (e.hasPersistenceData()) {
      byte[] data = new byte[e.persistenceDataLength()];
      e.copyPersistenceData(data, 0);
      c.put("pe_data", HexFormat.of().formatHex(data));
    }
    return c;
  }

  private static JsonObject sequence(int initSeq, int delta, int previousDelta) {
    return new JsonObject()
        .put("init_seq", Integer.toUnsignedLong(initSeq))
        .put("delta", Integer.toUnsignedLong(delta))
        .put("previous_delta", Integer.toUnsignedLong(previousDelta));
  }
}
