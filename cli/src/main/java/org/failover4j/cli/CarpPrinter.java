package org.failover4j.cli;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.AddressText;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.capture.IpPacket;
import org.failover4j.carp.codec.CarpAdvertDecoder;
import org.failover4j.carp.codec.CarpHmac;
import org.failover4j.carp.codec.CarpKey;
import org.failover4j.carp.codec.CarpPacketDecoder;

/**
 * Prints CARP adverts (IP protocol 112 like VRRP, told apart by carp-core's {@link
 * CarpAdvertDecoder#isCarpAdvert} rule), so that CARP is never mistaken for VRRP: the header
 * fields, {@code checksum_ok}, and {@code auth_ok} when a key {@code carp:VHID=SECRET@ADDR[,ADDR]}
 * was given for the VHID (the HMAC covers the virtual addresses, which the packet does not carry),
 * null otherwise.
 */
final class CarpPrinter implements PacketPrinter {

  static final String PROTO = "carp";

  private final Map<Integer, CarpKey> keys;
  private final CarpHmac hmac = new CarpHmac();
  private final CarpPacketDecoder decoder = new CarpPacketDecoder();

  private CarpPrinter(Map<Integer, CarpKey> keys) {
    this.keys = keys;
  }

  /**
   * A printer with the CARP keys among {@code keys}, each {@code SECRET@ADDR[,ADDR]}.
   *
   * @throws UsageException for a key without addresses, a bad address or a secret over 20 bytes
   */
  static CarpPrinter withKeys(DecodeKeys keys) throws UsageException {
    Map<Integer, CarpKey> parsed = new HashMap<>();
    for (int vhid : keys.ids(PROTO)) {
      String value = new String(keys.get(PROTO, vhid), StandardCharsets.UTF_8);
      int at = value.lastIndexOf('@');
      if (at < 0 || at == value.length() - 1) {
        throw new UsageException(
            "--key: a CARP key names its virtual addresses: carp:" + vhid + "=SECRET@ADDR[,ADDR]");
      }
      List<InetAddress> addresses = new ArrayList<>();
      for (String address : value.substring(at + 1).split(",", -1)) {
        addresses.add(CommandLine.parseAddress("--key carp:" + vhid, address));
      }
      try {
        parsed.put(
            vhid,
            CarpKey.of(vhid, value.substring(0, at).getBytes(StandardCharsets.UTF_8), addresses));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--key carp:" + vhid + ": " + e.getMessage());
      }
    }
    return new CarpPrinter(parsed);
  }

  /**
   * True for a protocol-112 payload of 36 bytes that carp-core's rule calls CARP; when the capture
   * cut the payload short, the first byte and byte 3 decide.
   */
  static boolean looksLikeCarp(IpPacket packet) {
    if (packet.protocol() != IpProtocol.VRRP
        || packet.declaredPayloadLength() != CarpAdvertDecoder.LENGTH) {
      return false;
    }
    ByteBuffer b = packet.buffer();
    int at = packet.payloadOffset();
    if (packet.payloadLength() >= CarpAdvertDecoder.LENGTH) {
      return CarpAdvertDecoder.isCarpAdvert(b, at, CarpAdvertDecoder.LENGTH);
    }
    return packet.payloadLength() > CarpAdvertDecoder.AUTH_LENGTH_OFFSET
        && (b.get(at) & 0xFF) == CarpAdvertDecoder.VERSION_TYPE
        && b.get(at + CarpAdvertDecoder.AUTH_LENGTH_OFFSET) == CarpAdvertDecoder.AUTH_LENGTH;
  }

  @Override
  public boolean claims(IpPacket packet) {
    return !packet.isFragment() && looksLikeCarp(packet);
  }

  @Override
  public JsonObject print(long frame, IpPacket packet) {
    JsonObject json = new JsonObject().put("frame", frame).put("proto", PROTO);
    CarpAdvertDecoder advert;
    try {
      advert = decoder.wrap(packet).advert();
    } catch (MalformedPacketException e) {
      return json.put("error", e.reason().name()).put("detail", e.detail());
    }
    CarpKey key = keys.get(advert.vhid());
    return json.put("src", AddressText.of(packet.source()))
        .put("dst", AddressText.of(packet.destination()))
        .put("ttl", packet.ttl())
        .put("version", advert.version())
        .put("vhid", advert.vhid())
        .put("advskew", advert.advskew())
        .put("advbase", advert.advbase())
        .put("demote", advert.demote())
        .put("counter", String.format("0x%016x", advert.counter()))
        .put("checksum_ok", advert.checksumValid())
        .put("auth_ok", key == null ? null : hmac.verify(key, advert));
  }
}
