package org.failover4j.cli;

import java.nio.ByteBuffer;
import org.failover4j.api.AddressText;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.IpProtocol;
import org.failover4j.capture.IpPacket;

/**
 * Prints what anyone can read in a CARP advert (IP protocol 112 like VRRP, told apart by its exact
 * 36 bytes, version 2 type 1 and an authentication length of 7), so that CARP is never mistaken for
 * VRRP. Its HMAC is not checked here.
 *
 * <pre>
 *  0       4       8              16              24              31
 * +-------+-------+---------------+---------------+---------------+
 * |Version| Type  |     VHID      |    AdvSkew    |    AuthLen    |
 * +-------+-------+---------------+---------------+---------------+
 * |    Demote     |    AdvBase    |           Checksum            |
 * +---------------+---------------+-------------------------------+
 * |                   Counter (8 bytes)                           |
 * |                   SHA1 HMAC (20 bytes)                        |
 * +---------------------------------------------------------------+
 * </pre>
 */
final class CarpPrinter implements PacketPrinter {

  static final String PROTO = "carp";

  private static final int LENGTH = 36;
  private static final int VERSION_TYPE = 0x21;
  private static final int AUTH_LENGTH = 7;
  private static final int VHID_OFFSET = 1;
  private static final int ADVSKEW_OFFSET = 2;
  private static final int AUTHLEN_OFFSET = 3;
  private static final int DEMOTE_OFFSET = 4;
  private static final int ADVBASE_OFFSET = 5;
  private static final int COUNTER_OFFSET = 8;

  /** True for a 36-byte protocol-112 payload starting 0x21 with byte 3 equal to 7. */
  static boolean looksLikeCarp(IpPacket packet) {
    if (packet.protocol() != IpProtocol.VRRP
        || packet.declaredPayloadLength() != LENGTH
        || packet.payloadLength() < AUTHLEN_OFFSET + 1) {
      return false;
    }
    ByteBuffer b = packet.buffer();
    int at = packet.payloadOffset();
    return (b.get(at) & 0xFF) == VERSION_TYPE && b.get(at + AUTHLEN_OFFSET) == AUTH_LENGTH;
  }

  @Override
  public boolean claims(IpPacket packet) {
    return !packet.isFragment() && looksLikeCarp(packet);
  }

  @Override
  public JsonObject print(long frame, IpPacket packet) {
    JsonObject json = new JsonObject().put("frame", frame).put("proto", PROTO);
    if (packet.payloadLength() < LENGTH) {
      return json.put("error", "TRUNCATED")
          .put("detail", "truncated CARP advert: " + packet.payloadLength() + " bytes, need 36");
    }
    ByteBuffer b = packet.buffer();
    int at = packet.payloadOffset();
    return json.put("src", AddressText.of(packet.source()))
        .put("dst", AddressText.of(packet.destination()))
        .put("ttl", packet.ttl())
        .put("version", (b.get(at) & 0xF0) >>> 4)
        .put("vhid", b.get(at + VHID_OFFSET) & 0xFF)
        .put("advskew", b.get(at + ADVSKEW_OFFSET) & 0xFF)
        .put("advbase", b.get(at + ADVBASE_OFFSET) & 0xFF)
        .put("demote", b.get(at + DEMOTE_OFFSET) & 0xFF)
        .put("counter", String.format("0x%016x", ByteAccess.getLong(b, at + COUNTER_OFFSET)));
  }
}
