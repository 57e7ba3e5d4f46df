package org.failover4j.carp.codec;

import org.failover4j.api.DropReason;

/**
 * Why a CARP advert was not accepted. Decoders raise the structural ones in a {@link
 * org.failover4j.api.MalformedPacketException}; {@link CarpAdvertValidator} returns the others, in
 * the order it checks them (OpenBSD's order: TTL, length, checksum, version, VHID, HMAC, counter).
 */
public enum CarpDropReason implements DropReason {
  /** Fewer bytes than the IPv4 header or the 36-byte advert need. */
  TRUNCATED,
  /** Not an IPv4 header: wrong version nibble or a header length below 20 bytes. */
  BAD_IP_HEADER,
  /** The IP protocol is not 112. */
  NOT_CARP,
  /** A TTL or hop limit other than 255. */
  BAD_TTL,
  /** More bytes than the 36 of an advert (or an IPv4 total length that disagrees). */
  LENGTH_MISMATCH,
  /** The checksum over the 36 bytes does not verify. */
  BAD_CHECKSUM,
  /** A version nibble other than 2. */
  BAD_VERSION,
  /** A type nibble other than 1 (advertisement). */
  BAD_TYPE,
  /** An authentication length other than 7 (32-bit words of counter and HMAC). */
  BAD_AUTH_LENGTH,
  /** No instance runs this VHID. */
  UNKNOWN_VHID,
  /** A SHA1-HMAC that does not verify with the configured key and virtual addresses. */
  BAD_HMAC,
  /** An authenticated advert carrying this host's own source address (looped or replayed). */
  OWN_ADVERT,
  /** A counter not above the sender's highest and outside the reorder window, or seen before. */
  REPLAYED_COUNTER,
  /** A replay-protected counter whose wall-clock part is older than the configured maximum age. */
  STALE_COUNTER
}
