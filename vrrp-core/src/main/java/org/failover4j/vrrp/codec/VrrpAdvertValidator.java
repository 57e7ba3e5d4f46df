package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.platform.IpFamily;

/**
 * The receive-side checks of one VRRP instance, as keepalived 2.2.7's {@code vrrp_check_packet}
 * makes them and in the same order, so that a runtime counts the same reason keepalived would:
 *
 * <ol>
 *   <li>family and VRID (keepalived's socket and VRID lookup come first);
 *   <li>an AH header present exactly when AH is configured (IPv4);
 *   <li>the exact length: IP header, AH header, VRRP header, addresses, v2 authentication data, and
 *       with {@code auth_hmac} configured either nothing more or exactly a 28-byte trailer;
 *   <li>TTL or hop limit 255, unless unicast;
 *   <li>the version;
 *   <li>with {@code auth_hmac} (keepalived 2.4.3's order): a trailer, unless the mode accepts
 *       adverts without one; for unicast the source among the peers (its replay state); the scheme
 *       and reserved field; the freshness window (time mode, before any HMAC is computed); the key
 *       id; the HMAC (constant time); a sequence newer than the sender's last, which then becomes
 *       its mark;
 *   <li>VRRPv2: a known auth type, the configured one, then the password (compared in constant
 *       time) or, for AH, next header 112, the ICV (constant time), the SPI equal to the source,
 *       and the sequence number greater than the counter, which then takes it; then the interval;
 *   <li>type 1;
 *   <li>the address count equal to the configured one; a count of 0 is dropped (RFC 9568 erratum
 *       8299) even when addresses are not checked;
 *   <li>IPv4: the total length equal to the received length;
 *   <li>the checksum: the configured mode first, then the other accepted ones (VRRPv3 over IPv4);
 *   <li>a multicast destination exactly when the instance is not unicast;
 *   <li>every configured virtual address in the advert; for unicast, the source among the peers.
 * </ol>
 *
 * <p>Like keepalived, the AH sequence counter moves as soon as the AH checks pass, even when a
 * later check drops the packet. The address checks can be skipped per packet (keepalived's {@code
 * skip_check_adv_addr} for a master it already knows). Each call allocates nothing. Not
 * thread-safe: one validator per instance, on the event loop.
 */
public final class VrrpAdvertValidator {

  private static final int TTL_REQUIRED = 255;
  private static final ChecksumMode[] MODES = ChecksumMode.values();

  private final VrrpWireConfig config;
  private final AhSequenceCounter counter;
  private final AhAuthenticator authenticator;
  private final byte[] addresses;
  private final byte[] peers;
  private final byte[] password;
  private final HmacAuthenticator hmac;
  private final HmacReplayGuard hmacGuard;
  private final HmacMode hmacMode;
  private final byte[] source = new byte[16];
  private final boolean[] accepted = new boolean[MODES.length];
  private ChecksumMode matchedChecksumMode;
  private boolean hmacVerified;

  /**
   * A validator for the instance {@code config} describes; {@code counter} is the instance's AH
   * sequence counter, shared with its sender (required with AH, may be null otherwise).
   *
   * @param config the instance's wire configuration
   * @param counter the AH sequence counter, or null without AH
   */
  public VrrpAdvertValidator(VrrpWireConfig config, AhSequenceCounter counter) {
    this(config, counter, null);
  }

  /**
   * As {@link #VrrpAdvertValidator(VrrpWireConfig, AhSequenceCounter)}, sharing {@code hmacGuard}
   * with the instance's sender (with {@code auth_hmac}; null makes one of its own).
   *
   * @param config the instance's wire configuration
   * @param counter the AH sequence counter, or null without AH
   * @param hmacGuard the instance's {@code auth_hmac} sequence state, or null
   */
  public VrrpAdvertValidator(
      VrrpWireConfig config, AhSequenceCounter counter, HmacReplayGuard hmacGuard) {
    this.config = config;
    HmacAuthentication hmacConfig = config.hmacAuthentication();
    this.hmac = hmacConfig != null ? new HmacAuthenticator(hmacConfig) : null;
    this.hmacMode = hmacConfig != null ? hmacConfig.mode() : null;
    this.hmacGuard =
        hmacConfig == null
            ? null
            : hmacGuard != null
                ? hmacGuard
                : new HmacReplayGuard(
                    hmacConfig, config.intervalCentiseconds(), config.unicastPeers().size());
    boolean ah = config.authType() == AuthType.IPSEC_AH;
    if (ah && counter == null) {
      throw new IllegalArgumentException("an AH instance needs its sequence counter");
    }
    this.counter = counter;
    this.authenticator = ah ? new AhAuthenticator(config.authData()) : null;
    this.addresses = config.packedAddresses();
    this.peers = config.packedPeers();
    this.password = config.authData();
    for (ChecksumMode mode : config.acceptedChecksumModes()) {
      accepted[mode.ordinal()] = true;
    }
  }

  /**
   * As {@link #validate(VrrpPacketDecoder, boolean)}, checking the addresses.
   *
   * @param packet the wrapped packet
   * @return null when the advert is accepted, else the reason for dropping it
   */
  public VrrpDropReason validate(VrrpPacketDecoder packet) {
    return validate(packet, true);
  }

  /**
   * As {@link #validate(VrrpPacketDecoder, boolean, long)} at the system clock's time.
   *
   * @param packet the wrapped packet
   * @param checkAddresses false to skip the address count, list and unicast-source checks
   * @return null when the advert is accepted, else the reason for dropping it
   */
  public VrrpDropReason validate(VrrpPacketDecoder packet, boolean checkAddresses) {
    return validate(packet, checkAddresses, System.currentTimeMillis() * 1_000_000L);
  }

  /**
   * Applies the checks to {@code packet}.
   *
   * @param packet the wrapped packet
   * @param checkAddresses false to skip the address count, list and unicast-source checks
   * @param wallNanos the receiver's clock, nanoseconds since the epoch ({@code auth_hmac}'s
   *     freshness window)
   * @return null when the advert is accepted, else the reason for dropping it
   */
  public VrrpDropReason validate(VrrpPacketDecoder packet, boolean checkAddresses, long wallNanos) {
    matchedChecksumMode = null;
    hmacVerified = false;
    VrrpDropReason reason = check(packet, checkAddresses, wallNanos);
    if (reason != null) {
      matchedChecksumMode = null;
      hmacVerified = false;
    }
    return reason;
  }

  /** {@return true when the last accepted advert carried an {@code auth_hmac} trailer} */
  public boolean acceptedWithHmac() {
    return hmacVerified;
  }

  /** {@return the {@code auth_hmac} sequence state, shared with the sender; null without it} */
  public HmacReplayGuard hmacGuard() {
    return hmacGuard;
  }

  private VrrpDropReason check(VrrpPacketDecoder packet, boolean checkAddresses, long wallNanos) {
    VrrpAdvertDecoder advert = packet.advert();
    boolean ipv4 = packet.family() == IpFamily.IPV4;
    if (packet.family() != config.family()) {
      return VrrpDropReason.ADDRESS_FAMILY_MISMATCH;
    }
    if (advert.vrid() != config.vrid()) {
      return VrrpDropReason.UNKNOWN_VRID;
    }
    boolean ahConfigured = authenticator != null;
    if (ipv4 && packet.hasAh() != ahConfigured) {
      return VrrpDropReason.AH_MISMATCH;
    }
    int expected =
        packet.ipHeaderLength() + (packet.hasAh() ? AhHeader.LENGTH : 0) + advert.expectedLength();
    boolean trailer = hmac != null && packet.length() == expected + HmacTrailer.LENGTH;
    if (trailer) {
      expected += HmacTrailer.LENGTH;
    }
    if (packet.length() != expected) {
      return VrrpDropReason.LENGTH_MISMATCH;
    }
    if (!config.isUnicast()
        && packet.ttl() != VrrpPacketDecoder.HOP_LIMIT_UNKNOWN
        && packet.ttl() != TTL_REQUIRED) {
      return VrrpDropReason.BAD_TTL;
    }
    if (advert.version() != config.version()) {
      return VrrpDropReason.VERSION_MISMATCH;
    }
    if (hmac != null) {
      VrrpDropReason reason = checkHmac(packet, trailer, wallNanos);
      if (reason != null) {
        return reason;
      }
    }
    if (advert.version() == 2) {
      VrrpDropReason reason = checkV2Authentication(packet);
      if (reason != null) {
        return reason;
      }
      if (advert.advertIntervalSeconds() * 100 != config.intervalCentiseconds()) {
        return VrrpDropReason.INTERVAL_MISMATCH;
      }
    }
    if (advert.type() != VrrpAdvertDecoder.TYPE_ADVERTISEMENT) {
      return VrrpDropReason.INVALID_TYPE;
    }
    int vipCount = config.virtualAddresses().size();
    if (checkAddresses && advert.addressCount() != vipCount) {
      return VrrpDropReason.ADDRESS_COUNT_MISMATCH;
    }
    if (advert.addressCount() == 0) {
      return VrrpDropReason.NO_ADDRESSES;
    }
    if (ipv4 && packet.ipTotalLength() != packet.length()) {
      return VrrpDropReason.IP_LENGTH_MISMATCH;
    }
    if (!checksumValid(packet, trailer ? HmacTrailer.LENGTH : 0)) {
      return VrrpDropReason.BAD_CHECKSUM;
    }
    if (packet.isMulticastDestination() == config.isUnicast()) {
      return VrrpDropReason.DESTINATION_MISMATCH;
    }
    if (checkAddresses) {
      int width = config.family().addressLength();
      for (int i = 0; i < vipCount; i++) {
        if (!advert.containsAddress(addresses, i * width)) {
          return VrrpDropReason.VIP_MISMATCH;
        }
      }
      if (config.isUnicast() && config.checkUnicastSource() && peerIndex(packet, width) < 0) {
        return VrrpDropReason.UNKNOWN_PEER;
      }
    }
    return null;
  }

  /**
   * {@return the checksum variant the last accepted VRRPv3-over-IPv4 advert matched (null
   * otherwise): a runtime can follow a peer that uses another variant, as keepalived's automatic
   * compatibility mode does}
   */
  public ChecksumMode matchedChecksumMode() {
    return matchedChecksumMode;
  }

  private VrrpDropReason checkV2Authentication(VrrpPacketDecoder packet) {
    int authType = packet.advert().authTypeCode();
    if (authType != AuthType.NONE.code()
        && authType != AuthType.SIMPLE_TEXT.code()
        && authType != AuthType.IPSEC_AH.code()) {
      return VrrpDropReason.INVALID_AUTH_TYPE;
    }
    if (authType != config.authType().code()) {
      return VrrpDropReason.AUTH_TYPE_MISMATCH;
    }
    if (authType == AuthType.SIMPLE_TEXT.code()) {
      return passwordMatches(packet) ? null : VrrpDropReason.AUTH_FAILURE;
    }
    if (authType == AuthType.IPSEC_AH.code()) {
      if (packet.ahNextHeader() != IpProtocol.VRRP) {
        return VrrpDropReason.AH_NOT_VRRP;
      }
      if (!authenticator.verify(
          packet.buffer(), packet.offset(), packet.length(), config.isUnicast())) {
        return VrrpDropReason.BAD_ICV;
      }
      if (packet.ahSpi() != packet.ipv4Source()) {
        return VrrpDropReason.BAD_SPI;
      }
      if (!counter.acceptReceived(packet.ahSequence())) {
        return VrrpDropReason.REPLAYED_SEQUENCE;
      }
    }
    return null;
  }

  /**
   * keepalived reads the password as the 8 bytes that end at the IPv4 total length (which it has
   * not checked yet); for a well-formed packet those are the authentication data.
   */
  private boolean passwordMatches(VrrpPacketDecoder packet) {
    int end = packet.ipTotalLength();
    if (end < VrrpAdvertDecoder.AUTH_DATA_LENGTH || end > packet.length()) {
      return false;
    }
    ByteBuffer buffer = packet.buffer();
    int at = packet.offset() + end - VrrpAdvertDecoder.AUTH_DATA_LENGTH;
    int difference = 0;
    for (int i = 0; i < VrrpAdvertDecoder.AUTH_DATA_LENGTH; i++) {
      difference |= buffer.get(at + i) ^ password[i];
    }
    return difference == 0;
  }

  /**
   * keepalived 2.4.3's {@code vrrp_auth_ext_verify}: the replay mark moves once the HMAC verified,
   * even when a later check drops the advert.
   */
  private VrrpDropReason checkHmac(VrrpPacketDecoder packet, boolean trailer, long wallNanos) {
    if (!trailer) {
      return hmacMode == HmacMode.ENFORCE ? VrrpDropReason.HMAC_MISSING : null;
    }
    int width = config.family().addressLength();
    int peer = -1;
    if (config.isUnicast()) {
      peer = peerIndex(packet, width);
      if (peer < 0) {
        return VrrpDropReason.UNKNOWN_PEER;
      }
    } else {
      packet.copySource(source, 0);
    }
    VrrpAdvertDecoder advert = packet.advert();
    ByteBuffer buffer = packet.buffer();
    int at = advert.offset() + advert.expectedLength();
    if (!HmacTrailer.wellFormed(buffer, at)) {
      return VrrpDropReason.HMAC_MALFORMED;
    }
    long sequence = HmacTrailer.sequence(buffer, at);
    if (!hmacGuard.fresh(sequence, wallNanos)) {
      return VrrpDropReason.HMAC_STALE;
    }
    VrrpDropReason reason =
        hmac.verify(buffer, advert.offset(), advert.expectedLength(), source, config.family());
    if (reason != null) {
      return reason;
    }
    if (!hmacGuard.acceptVerified(peer, source, width, sequence, wallNanos)) {
      return VrrpDropReason.HMAC_REPLAYED;
    }
    hmacVerified = true;
    return null;
  }

  private boolean checksumValid(VrrpPacketDecoder packet, int trailerLength) {
    if (packet.family() == IpFamily.IPV6 || packet.advert().version() == 2) {
      return packet.checksumValid(ChecksumMode.PSEUDO_HEADER, trailerLength);
    }
    ChecksumMode preferred = config.checksumMode();
    if (accepted[preferred.ordinal()] && packet.checksumValid(preferred)) {
      matchedChecksumMode = preferred;
      return true;
    }
    for (ChecksumMode mode : MODES) {
      if (mode != preferred && accepted[mode.ordinal()] && packet.checksumValid(mode)) {
        matchedChecksumMode = mode;
        return true;
      }
    }
    return false;
  }

  /** Copies the source into {@link #source}; {@return its index among the peers, or -1} */
  private int peerIndex(VrrpPacketDecoder packet, int width) {
    packet.copySource(source, 0);
    for (int p = 0; p + width <= peers.length; p += width) {
      int j = 0;
      while (j < width && peers[p + j] == source[j]) {
        j++;
      }
      if (j == width) {
        return p / width;
      }
    }
    return -1;
  }
}
