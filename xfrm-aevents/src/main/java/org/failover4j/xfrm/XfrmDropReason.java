package org.failover4j.xfrm;

import org.failover4j.api.DropReason;

/** Why an XFRM aevent message, or an SA sync message, was rejected. */
public enum XfrmDropReason implements DropReason {
  /** The message is not of a type the decoder reads (NEWAE / GETAE, or DELSA / EXPIRE). */
  WRONG_MESSAGE_TYPE,
  /** The body is shorter than {@code struct xfrm_aevent_id} (48 bytes). */
  TRUNCATED_AEVENT_ID,
  /** The SA's address family is neither AF_INET nor AF_INET6. */
  UNKNOWN_FAMILY,
  /** A netlink header or attribute frame is cut short or has an impossible length. */
  BAD_FRAMING,
  /** An attribute's value is shorter than the struct or number its type carries. */
  SHORT_ATTRIBUTE,
  /** An ESN attribute's {@code bmp_len} does not match the attribute's length (CVE-2017-7184). */
  ESN_BITMAP_LENGTH_MISMATCH,
  /** An ESN bitmap longer than the kernel's limit of 128 words (4096 packets). */
  ESN_BITMAP_TOO_LONG,
  /** An ESN replay window larger than its bitmap holds bits (CVE-2017-7184). */
  ESN_WINDOW_EXCEEDS_BITMAP,
  /** A sync message is shorter than its header or its declared records. */
  SYNC_TRUNCATED,
  /** A sync message has an unknown magic or version. */
  SYNC_BAD_VERSION,
  /** A sync message's HMAC does not verify: forged, corrupted, or keyed differently. */
  SYNC_BAD_MAC,
  /** A sync message's counter was seen before or is too old for the window: a replay. */
  SYNC_REPLAYED,
  /** A DELSA body is shorter than {@code struct xfrm_usersa_id} (24 bytes). */
  TRUNCATED_USERSA_ID,
  /** An EXPIRE body is shorter than {@code struct xfrm_user_expire} (232 bytes). */
  TRUNCATED_EXPIRE
}
