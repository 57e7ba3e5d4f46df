package org.failover4j.xfrm;

/**
 * The XFRM netlink numbers this module uses ({@code include/uapi/linux/xfrm.h}).
 *
 * <pre>
 * NEWAE / GETAE body: struct xfrm_aevent_id (48 bytes), then attributes.
 *
 *  0               4               8              12              16
 * +---------------+---------------+---------------+---------------+
 * |          sa_id.daddr (16 bytes, network order, IPv4 in 0..3)  |  0
 * +---------------+-------+---+---+---------------+---------------+
 * | spi (be32)    |family |pr |pad|  saddr (16 bytes, network ... | 16
 * +---------------+-------+---+---+---------------+---------------+
 * |  ... order, IPv4 in 24..27)   | flags (u32)   | reqid (u32)   | 32
 * +---------------+---------------+---------------+---------------+
 *  family: u16 host order; pr: protocol u8; flags and reqid: host order.
 * </pre>
 */
public final class Xfrm {

  private Xfrm() {}

  /** {@code XFRM_MSG_NEWAE}: an SA's replay and lifetime state (event, reply or update). */
  public static final int XFRM_MSG_NEWAE = 30;

  /** {@code XFRM_MSG_GETAE}: asks for an SA's replay and lifetime state. */
  public static final int XFRM_MSG_GETAE = 31;

  /** {@code XFRM_MSG_DELSA}: an SA was deleted ({@code xfrm_usersa_id}, then {@code XFRMA_SA}). */
  public static final int XFRM_MSG_DELSA = 17;

  /** {@code XFRM_MSG_EXPIRE}: an SA reached a soft or hard limit ({@code xfrm_user_expire}). */
  public static final int XFRM_MSG_EXPIRE = 24;

  /** {@code XFRMNLGRP_EXPIRE}: the multicast group of soft and hard expiries (bind mask 0x2). */
  public static final int XFRMNLGRP_EXPIRE = 2;

  /** {@code XFRMNLGRP_SA}: the multicast group of SA changes (NEWSA, UPDSA, DELSA; mask 0x4). */
  public static final int XFRMNLGRP_SA = 3;

  /** {@code XFRMNLGRP_AEVENTS}: the multicast group of async events (bind mask 0x10). */
  public static final int XFRMNLGRP_AEVENTS = 5;

  /** {@code XFRMA_SA}: {@code struct xfrm_usersa_info}, in a DELSA after the id. */
  public static final int XFRMA_SA = 6;

  /** {@code XFRMA_PAD}: alignment padding for 64-bit values; skipped. */
  public static final int XFRMA_PAD = 27;

  /** {@code XFRMA_LTIME_VAL}: {@code struct xfrm_lifetime_cur}. */
  public static final int XFRMA_LTIME_VAL = 9;

  /** {@code XFRMA_REPLAY_VAL}: {@code struct xfrm_replay_state}. */
  public static final int XFRMA_REPLAY_VAL = 10;

  /** {@code XFRMA_REPLAY_THRESH}: u32, packets. */
  public static final int XFRMA_REPLAY_THRESH = 11;

  /** {@code XFRMA_ETIMER_THRESH}: u32, in 100 ms units. */
  public static final int XFRMA_ETIMER_THRESH = 12;

  /** {@code XFRMA_MARK}: {@code struct xfrm_mark} (value, mask). */
  public static final int XFRMA_MARK = 21;

  /** {@code XFRMA_REPLAY_ESN_VAL}: {@code struct xfrm_replay_state_esn} and its bitmap. */
  public static final int XFRMA_REPLAY_ESN_VAL = 23;

  /** {@code XFRMA_IF_ID}: u32, the xfrm interface id. */
  public static final int XFRMA_IF_ID = 31;

  /** Size of {@code struct xfrm_usersa_id}. */
  public static final int USERSA_ID_LENGTH = 24;

  /** Size of {@code struct xfrm_usersa_info}. */
  public static final int USERSA_INFO_LENGTH = 224;

  /** Size of {@code struct xfrm_user_expire}: the SA's info, {@code hard}, padding to 8 bytes. */
  public static final int USER_EXPIRE_LENGTH = 232;

  /** Size of {@code struct xfrm_aevent_id}. */
  public static final int AEVENT_ID_LENGTH = 48;

  /** Size of {@code struct xfrm_lifetime_cur}. */
  public static final int LIFETIME_CUR_LENGTH = 32;

  /** Size of {@code struct xfrm_replay_state}. */
  public static final int REPLAY_STATE_LENGTH = 12;

  /** Size of {@code struct xfrm_replay_state_esn} without its bitmap. */
  public static final int REPLAY_ESN_HEADER_LENGTH = 24;

  /** Size of {@code struct xfrm_mark}. */
  public static final int MARK_LENGTH = 8;

  /** The kernel's {@code XFRMA_REPLAY_ESN_MAX}: a replay window of at most 4096 packets. */
  public static final int REPLAY_ESN_MAX_BITS = 4096;

  /** The largest ESN bitmap, in 32-bit words, the kernel accepts (4096 / 32). */
  public static final int REPLAY_ESN_MAX_WORDS = REPLAY_ESN_MAX_BITS / 32;

  /** {@code AF_INET}. */
  public static final int AF_INET = 2;

  /** {@code AF_INET6}. */
  public static final int AF_INET6 = 10;

  /** {@code IPPROTO_ESP}. */
  public static final int IPPROTO_ESP = 50;

  /** {@code IPPROTO_AH}. */
  public static final int IPPROTO_AH = 51;

  /** {@code IPPROTO_COMP}. */
  public static final int IPPROTO_COMP = 108;

  // Offsets in struct xfrm_aevent_id.
  static final int DADDR_OFFSET = 0;
  static final int SPI_OFFSET = 16;
  static final int FAMILY_OFFSET = 20;
  static final int PROTO_OFFSET = 22;
  static final int SADDR_OFFSET = 24;
  static final int FLAGS_OFFSET = 40;
  static final int REQID_OFFSET = 44;

  // Offsets in struct xfrm_usersa_info (after its 56-byte selector) and xfrm_user_expire.
  static final int INFO_DADDR_OFFSET = 56;
  static final int INFO_SPI_OFFSET = 72;
  static final int INFO_PROTO_OFFSET = 76;
  static final int INFO_FAMILY_OFFSET = 212;
  static final int EXPIRE_HARD_OFFSET = USERSA_INFO_LENGTH;

  /**
   * {@return the lower-case name iproute2 uses for an IPsec protocol number, or its decimal number}
   *
   * @param protocol the protocol number
   */
  public static String protocolName(int protocol) {
    return switch (protocol) {
      case IPPROTO_ESP -> "esp";
      case IPPROTO_AH -> "ah";
      case IPPROTO_COMP -> "comp";
      default -> Integer.toString(protocol);
    };
  }
}
