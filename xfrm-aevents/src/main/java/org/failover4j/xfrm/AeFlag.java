package org.failover4j.xfrm;

import java.util.EnumSet;
import java.util.Set;

/**
 * The flags of {@code xfrm_aevent_id.flags} ({@code enum xfrm_ae_ftype_t}). In a GETAE they ask for
 * the thresholds; in a NEWAE they say which values it carries and why it was sent.
 */
public enum AeFlag {
  /** {@code XFRM_AE_RTHR}: the replay threshold is wanted or included. */
  RTHR(1),
  /** {@code XFRM_AE_RVAL}: the replay value is included. */
  RVAL(2),
  /** {@code XFRM_AE_LVAL}: the lifetime value is included. */
  LVAL(4),
  /** {@code XFRM_AE_ETHR}: the expiry-timer threshold is wanted or included. */
  ETHR(8),
  /** {@code XFRM_AE_CR}: the event fired because the replay counter moved. */
  CR(16),
  /** {@code XFRM_AE_CE}: the event fired because the timer expired. */
  CE(32),
  /** {@code XFRM_AE_CU}: the event fired because user space updated the SA. */
  CU(64);

  private final int bit;

  AeFlag(int bit) {
    this.bit = bit;
  }

  /** {@return the flag's bit in {@code xfrm_aevent_id.flags}} */
  public int bit() {
    return bit;
  }

  /**
   * {@return the known flags set in {@code flags}, in bit order (unknown bits are left out)}
   *
   * @param flags the flags
   */
  public static Set<AeFlag> of(int flags) {
    EnumSet<AeFlag> set = EnumSet.noneOf(AeFlag.class);
    for (AeFlag f : values()) {
      if ((flags & f.bit) != 0) {
        set.add(f);
      }
    }
    return set;
  }

  /**
   * {@return the bit mask of {@code flags}}
   *
   * @param flags the flags
   */
  public static int mask(Set<AeFlag> flags) {
    int mask = 0;
    for (AeFlag f : flags) {
      mask |= f.bit;
    }
    return mask;
  }
}
