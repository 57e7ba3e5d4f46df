package org.failover4j.cli;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.api.platform.IpFamily;
import org.failover4j.capture.IpPacket;
import org.failover4j.vrrp.codec.AhAuthenticator;
import org.failover4j.vrrp.codec.AuthType;
import org.failover4j.vrrp.codec.ChecksumMode;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacAuthenticator;
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
  private final Map<Integer, HmacAuthenticator> hmacAuthenticators = new HashMap<>();
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
            .put("auth", advert.hasHmacTrailer() ? "hmac" : name(authType))
            .put("checksum_ok", checksumOk(advert.hmacTrailerLength()));
    if (advert.hasHmacTrailer()) {
      return hmac(json, advert);
    }
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

  /**
   * The {@code auth_hmac} trailer's fields, and whether its HMAC matches the key given for its key
   * id (null without one). Freshness and replay are a receiver's state, not a capture's.
   */
  private JsonObject hmac(JsonObject json, VrrpAdvertDecoder advert) {
    long sequence = advert.hmacSequence();
    int keyId = advert.hmacKeyId();
    long fractionNanos = ((sequence >>> 16) & 0xFFFF) * 1_000_000_000L >>> 16;
    json.put("hmac_key_id", keyId)
        .put("hmac_seq", Long.toUnsignedString(sequence))
        .put("hmac_time", Instant.ofEpochSecond(sequence >>> 32, fractionNanos).toString());
    byte[] key = keys.get(VrrpCommand.HMAC_PROTO, keyId);
    if (key == null) {
      return json.put("auth_ok", (Boolean) null);
    }
    HmacAuthenticator authenticator =
        hmacAuthenticators.computeIfAbsent(keyId, id -> authenticator(id, key));
    if (authenticator == null) {
      return json.put("auth_ok", false);
    }
    byte[] source = new byte[advert.family().addressLength()];
    decoder.copySource(source, 0);
    return json.put(
        "auth_ok",
        authenticator.verify(
                decoder.buffer(), advert.offset(), advert.expectedLength(), source, advert.family())
            == null);
  }

  /** The authenticator for one key; null for a key keepalived would refuse (wrong length). */
  private static HmacAuthenticator authenticator(int keyId, byte[] key) {
    try {
      return new HmacAuthenticator(
          HmacAuthentication.builder().key(keyId, new String(key, StandardCharsets.UTF_8)).build());
    } catch (InvalidConfigurationException e) {
      return null;
    }
  }

  /** Valid in any variant a peer may send (the variants differ only for VRRPv3 over IPv4). */
  private boolean checksumOk(int trailerLength) {
    for (ChecksumMode mode : ChecksumMode.values()) {
      if (decoder.checksumValid(mode, trailerLength)) {
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
