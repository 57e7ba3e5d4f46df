package org.failover4j.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.AddressText;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.capture.IpPacket;
import org.failover4j.vrrp.codec.AhAuthenticator;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.ChecksumMode;
import org.failover4j.vrrp.codec.VrrpAdvertDecoder;
import org.failover4j.vrrp.codec.VrrpDropReason;
import org.failover4j.vrrp.codec.VrrpPacketDecoder;

/**
 * Prints VRRP adverts: IP protocol 112 (unless the packet is CARP-shaped), or an IPv4 AH header
 * followed by 112. With a key for the VRID it checks the simple-text password or the AH ICV
 * (keepalived keys are at most 8 bytes: longer secrets are cut to 8, as keepalived cuts {@code
 * auth_pass}).
 */
final class VrrpPrinter implements PacketPrinter {

  static final String PROTO = "vrrp";

  private final DecodeKeys keys;
  private final Map<Integer, AhAuthenticator> authenticators = new HashMap<>();
  private final VrrpPacketDecoder decoder = new VrrpPacketDecoder();

  VrrpPrinter(DecodeKeys keys) {
    this.keys = keys;
  }

  @Override
  public boolean claims(IpPacket packet) {
    if (packet.fragmentOffset() != 0) {
      return false; // a later fragment: nothing to say what it carries
    }
    if (packet.protocol() == IpProtocol.VRRP) {
      return !CarpPrinter.looksLikeCarp(packet);
    }
    return packet.protocol() == IpProtocol.AH
        && packet.version() == 4
        && packet.payloadLength() >= 1
        && (packet.buffer().get(packet.payloadOffset()) & 0xFF) == IpProtocol.VRRP;
  }

  @Override
  public JsonObject print(long frame, IpPacket packet) {
    try {
      return decoded(frame, packet);
    } catch (MalformedPacketException e) {
      return new JsonObject()
          .put("frame", frame)
          .put("proto", PROTO)
          .put("error", e.reason().name())
          .put("detail", e.detail());
    }
  }

  private JsonObject decoded(long frame, IpPacket packet) {
    if (packet.isFragment()) {
      throw new MalformedPacketException(
          VrrpDropReason.TRUNCATED,
          "fragmented packet: the first fragment holds "
              + packet.payloadLength()
              + " of its bytes");
    }
    decoder.wrap(packet);
    VrrpAdvertDecoder advert = decoder.advert().requireWellFormed();
    AuthType authType =
        advert.version() == 2
            ? AuthType.fromCode(advert.authTypeCode())
                .orElseThrow(
                    () ->
                        new MalformedPacketException(
                            VrrpDropReason.INVALID_AUTH_TYPE,
                            "VRRPv2 auth type " + advert.authTypeCode() + ", known are 0, 1 and 2"))
            : AuthType.NONE;
    List<String> addresses = new ArrayList<>();
    for (InetAddress address : advert.addresses()) {
      addresses.add(AddressText.of(address));
    }
    JsonObject json =
        new JsonObject()
            .put("frame", frame)
            .put("proto", PROTO)
            .put("src", AddressText.of(decoder.source()))
            .put("dst", AddressText.of(decoder.destination()))
            .put("ttl", decoder.ttl())
            .put("version", advert.version())
            .put("vrid", advert.vrid())
            .put("priority", advert.priority())
            .put("addresses", addresses)
            .put("interval_ms", advert.intervalCentiseconds() * 10)
            .put("auth", name(authType))
            .put("checksum_ok", checksumOk());
    if (decoder.hasAh()) {
      json.put("ah_spi", String.format("0x%08x", decoder.ahSpi()))
          .put("ah_seq", decoder.ahSequence() & 0xFFFFFFFFL);
    }
    return json.put("auth_ok", authOk(advert, authType));
  }

  /** The names: none, pass, ah. */
  private static String name(AuthType type) {
    return switch (type) {
      case NONE -> "none";
      case SIMPLE_TEXT -> "pass";
      case IPSEC_AH -> "ah";
    };
  }

  /** Valid in any variant a peer may send (the variants differ only for VRRPv3 over IPv4). */
  private boolean checksumOk() {
    for (ChecksumMode mode : ChecksumMode.values()) {
      if (decoder.checksumValid(mode)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Null for an advert that carries no authentication (there is nothing to verify, which is not a
   * failure) and without a key for the VRID; else whether the password or the AH ICV matches it.
   */
  private Boolean authOk(VrrpAdvertDecoder advert, AuthType authType) {
    byte[] secret = keys.get(PROTO, advert.vrid());
    if (secret == null || authType == AuthType.NONE) {
      return null;
    }
    byte[] key = Arrays.copyOf(secret, Math.min(AhAuthenticator.KEY_LENGTH, secret.length));
    if (authType == AuthType.SIMPLE_TEXT && advert.family() == IpFamily.IPV4) {
      byte[] sent = new byte[VrrpAdvertDecoder.AUTH_DATA_LENGTH];
      advert.copyAuthData(sent, 0);
      return Arrays.equals(sent, Arrays.copyOf(key, VrrpAdvertDecoder.AUTH_DATA_LENGTH));
    }
    if (authType == AuthType.IPSEC_AH && decoder.hasAh()) {
      // keepalived zeroes the TTL in the ICV in unicast mode only.
      boolean unicast = !decoder.isMulticastDestination();
      return authenticators
          .computeIfAbsent(advert.vrid(), vrid -> new AhAuthenticator(key))
          .verify(decoder.buffer(), decoder.offset(), decoder.length(), unicast);
    }
    return false;
  }
}
