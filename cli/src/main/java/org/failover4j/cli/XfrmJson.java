package org.failover4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.AddressText;
import org.failover4j.xfrm.AeFlag;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.LifetimeCounters;
import org.failover4j.xfrm.ReplayState;
import org.failover4j.xfrm.ReplayStateEsn;
import org.failover4j.xfrm.Xfrm;

/**
 * The JSON and text shapes {@code xfrm-monitor} and {@code xfrm-get} print for an aevent. Every
 * 32-bit number prints unsigned; bitmaps and the SPI print as 8-digit hex.
 */
final class XfrmJson {

  private XfrmJson() {}

  /** The object for {@code ae}, keys in the documented order, optional ones only when present. */
  static JsonObject aevent(Aevent ae) {
    List<String> flags = new ArrayList<>();
    for (AeFlag f : ae.flagSet()) {
      flags.add(f.name());
    }
    JsonObject json =
        new JsonObject()
            .put("event", "aevent")
            .put("flags", flags)
            .put("daddr", AddressText.of(ae.sa().destination()))
            .put("saddr", AddressText.of(ae.source()))
            .put("spi", ae.sa().spiHex())
            .put("proto", Xfrm.protocolName(ae.sa().protocol()))
            .put("family", ae.sa().family() == Xfrm.AF_INET ? "inet" : "inet6")
            .put("reqid", unsigned(ae.reqid()));
    ae.replay().ifPresent(r -> json.put("replay", replay(r)));
    ae.replayEsn().ifPresent(e -> json.put("replay_esn", replayEsn(e)));
    ae.lifetime().ifPresent(l -> json.put("lifetime", lifetime(l)));
    ae.replayThreshold().ifPresent(t -> json.put("replay_thresh", unsigned(t)));
    ae.etimerThreshold().ifPresent(t -> json.put("etimer_thresh", unsigned(t)));
    ae.mark()
        .ifPresent(
            m ->
                json.put(
                    "mark",
                    new JsonObject().put("v", unsigned(m.value())).put("m", unsigned(m.mask()))));
    ae.ifId().ifPresent(i -> json.put("if_id", unsigned(i)));
    return json;
  }

  /** One line of text for {@code ae}, in the order of the JSON keys. */
  static String text(Aevent ae) {
    StringBuilder s = new StringBuilder();
    s.append("aevent ")
        .append(Xfrm.protocolName(ae.sa().protocol()))
        .append(" spi ")
        .append(ae.sa().spiHex())
        .append(" src ")
        .append(AddressText.of(ae.source()))
        .append(" dst ")
        .append(AddressText.of(ae.sa().destination()))
        .append(" reqid ")
        .append(unsigned(ae.reqid()))
        .append(" flags ");
    List<String> flags = new ArrayList<>();
    ae.flagSet().forEach(f -> flags.add(f.name()));
    s.append(flags.isEmpty() ? "-" : String.join(",", flags));
    ae.replay()
        .ifPresent(
            r ->
                s.append(" replay oseq ")
                    .append(unsigned(r.outboundSequence()))
                    .append(" seq ")
                    .append(unsigned(r.inboundSequence()))
                    .append(" bitmap ")
                    .append(hex(r.bitmap())));
    ae.replayEsn()
        .ifPresent(
            e ->
                s.append(" replay_esn oseq ")
                    .append(Long.toUnsignedString(e.outboundSequence64()))
                    .append(" seq ")
                    .append(Long.toUnsignedString(e.inboundSequence64()))
                    .append(" replay_window ")
                    .append(unsigned(e.replayWindow())));
    ae.lifetime()
        .ifPresent(
            l ->
                s.append(" lifetime bytes ")
                    .append(Long.toUnsignedString(l.bytes()))
                    .append(" packets ")
                    .append(Long.toUnsignedString(l.packets())));
    ae.replayThreshold().ifPresent(t -> s.append(" replay_thresh ").append(unsigned(t)));
    ae.etimerThreshold().ifPresent(t -> s.append(" etimer_thresh ").append(unsigned(t)));
    ae.mark().ifPresent(m -> s.append(" mark ").append(m));
    ae.ifId().ifPresent(i -> s.append(" if_id ").append(unsigned(i)));
    return s.toString();
  }

  private static JsonObject replay(ReplayState r) {
    return new JsonObject()
        .put("oseq", unsigned(r.outboundSequence()))
        .put("seq", unsigned(r.inboundSequence()))
        .put("bitmap", hex(r.bitmap()));
  }

  private static JsonObject replayEsn(ReplayStateEsn e) {
    List<String> bitmap = new ArrayList<>();
    for (int i = 0; i < e.bitmapWords(); i++) {
      bitmap.add(hex(e.bitmapWord(i)));
    }
    return new JsonObject()
        .put("oseq", unsigned(e.outboundSequence()))
        .put("seq", unsigned(e.inboundSequence()))
        .put("oseq_hi", unsigned(e.outboundSequenceHigh()))
        .put("seq_hi", unsigned(e.inboundSequenceHigh()))
        .put("replay_window", unsigned(e.replayWindow()))
        .put("bitmap", bitmap);
  }

  private static JsonObject lifetime(LifetimeCounters l) {
    return new JsonObject()
        .put("bytes", new java.math.BigInteger(Long.toUnsignedString(l.bytes())))
        .put("packets", new java.math.BigInteger(Long.toUnsignedString(l.packets())))
        .put("add_time", new java.math.BigInteger(Long.toUnsignedString(l.addTime())))
        .put("use_time", new java.math.BigInteger(Long.toUnsignedString(l.useTime())));
  }

  private static long unsigned(int value) {
    return Integer.toUnsignedLong(value);
  }

  private static String hex(int value) {
    return String.format("0x%08x", value);
  }
}
