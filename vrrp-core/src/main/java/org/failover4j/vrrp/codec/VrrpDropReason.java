package org.failover4j.vrrp.codec;

import org.failover4j.api.DropReason;

/**
 * Why a VRRP packet was not accepted. Decoders raise the structural ones in a {@link
 * org.failover4j.api.MalformedPacketException}; {@link VrrpAdvertValidator} returns the others,
 * listed here in the order keepalived checks them (2.2.7; the {@code auth_hmac} ones as 2.4.3).
 */
public enum VrrpDropReason implements DropReason {
  /** Fewer bytes than the headers need (IPv4, AH, VRRP, or the addresses the count announces). */
  TRUNCATED,
  /** Not an IPv4 header: wrong version nibble or a header length below 20 bytes. */
  BAD_IP_HEADER,
  /** The IP protocol is neither VRRP (112) nor AH (51). */
  NOT_VRRP,
  /** A VRRP version other than 2 or 3, which nothing can interpret. */
  UNSUPPORTED_VERSION,
  /** A packet of the other address family than the instance's. */
  ADDRESS_FAMILY_MISMATCH,
  /** No instance runs this VRID: keepalived ignores such packets. */
  UNKNOWN_VRID,
  /** An AH header where none is configured, or none where AH is. */
  AH_MISMATCH,
  /** The length is not exactly what the headers and the address count make. */
  LENGTH_MISMATCH,
  /** A TTL or hop limit other than 255 on a multicast instance. */
  BAD_TTL,
  /** Another VRRP version than the instance's. */
  VERSION_MISMATCH,
  /** {@code auth_hmac} enforced, and the advert carries no trailer. */
  HMAC_MISSING,
  /** An {@code auth_hmac} trailer of an unknown scheme or with a reserved field other than 0. */
  HMAC_MALFORMED,
  /**
   * An {@code auth_hmac} timestamp outside the freshness window (clock skew, or an old capture).
   */
  HMAC_STALE,
  /** An {@code auth_hmac} key id that is not configured. */
  HMAC_UNKNOWN_KEY,
  /** An {@code auth_hmac} HMAC that does not verify: another key, a forgery or a changed advert. */
  HMAC_BAD,
  /** An {@code auth_hmac} sequence not newer than the sender's last accepted one (a replay). */
  HMAC_REPLAYED,
  /** VRRPv2 auth type other than 0, 1 and 2. */
  INVALID_AUTH_TYPE,
  /** VRRPv2 auth type other than the configured one. */
  AUTH_TYPE_MISMATCH,
  /** Simple-text authentication data that is not the configured password. */
  AUTH_FAILURE,
  /** An AH header whose next header is not VRRP: keepalived ignores such packets. */
  AH_NOT_VRRP,
  /** An AH integrity check value that does not verify with the configured key. */
  BAD_ICV,
  /** An AH SPI other than the packet's source address. */
  BAD_SPI,
  /** An AH sequence number not greater than the last one accepted (a replay). */
  REPLAYED_SEQUENCE,
  /** VRRPv2 advert interval other than the configured one: keepalived ignores such packets. */
  INTERVAL_MISMATCH,
  /** A VRRP type other than 1 (advertisement). */
  INVALID_TYPE,
  /** An address count other than the number of configured virtual addresses. */
  ADDRESS_COUNT_MISMATCH,
  /** An address count of zero, discarded per RFC 9568 erratum 8299. */
  NO_ADDRESSES,
  /** An IPv4 total length other than the received length. */
  IP_LENGTH_MISMATCH,
  /** A VRRP checksum that verifies in none of the accepted modes. */
  BAD_CHECKSUM,
  /** Multicast received by a unicast instance, or unicast by a multicast one. */
  DESTINATION_MISMATCH,
  /** A configured virtual address missing from the advert. */
  VIP_MISMATCH,
  /** A unicast advert from a source that is not a configured peer. */
  UNKNOWN_PEER,
  /** Sending: the socket's send buffer was full, so an advert was not sent. */
  SEND_BUFFER_FULL,
  /** Sending: the kernel refused an advert (interface gone, no route, link down). */
  SEND_REFUSED
}
