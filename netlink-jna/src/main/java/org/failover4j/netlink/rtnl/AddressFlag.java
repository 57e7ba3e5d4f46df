package org.failover4j.netlink.rtnl;

import java.util.EnumSet;
import java.util.Set;

/** Address flags ({@code IFA_F_*}), as requested when adding and as reported when listing. */
public enum AddressFlag {
  /** A secondary IPv4 address (or an IPv6 temporary address). Reported only. */
  SECONDARY(0x01),
  /** Skip duplicate address detection (IPv6): usable at once, as a virtual address must be. */
  NODAD(0x02),
  /** Optimistic DAD (IPv6, RFC 4429). */
  OPTIMISTIC(0x04),
  /** Duplicate address detection failed. Reported only. */
  DADFAILED(0x08),
  /** Mobile IPv6 home address. */
  HOMEADDRESS(0x10),
  /** Deprecated (preferred lifetime over). Reported only. */
  DEPRECATED(0x20),
  /** Duplicate address detection still running. Reported only. */
  TENTATIVE(0x40),
  /** No lifetime: configured, not learned. Reported only. */
  PERMANENT(0x80),
  /** Manage temporary addresses from this prefix (IPv6). */
  MANAGETEMPADDR(0x100),
  /** Add no prefix route for the address's subnet. */
  NOPREFIXROUTE(0x200),
  /** Join the multicast group the address names. */
  MCAUTOJOIN(0x400),
  /** Stable-privacy generated address. Reported only. */
  STABLE_PRIVACY(0x800);

  /** The flags a request may set. */
  static final Set<AddressFlag> REQUESTABLE =
      EnumSet.of(NODAD, OPTIMISTIC, HOMEADDRESS, MANAGETEMPADDR, NOPREFIXROUTE, MCAUTOJOIN);

  private final int bit;

  AddressFlag(int bit) {
    this.bit = bit;
  }

  /** {@return the flag's bit} */
  public int bit() {
    return bit;
  }

  /**
   * {@return the flags set in {@code bits}}
   *
   * @param bits the IFA_F_* bits
   */
  public static Set<AddressFlag> fromBits(int bits) {
    Set<AddressFlag> flags = EnumSet.noneOf(AddressFlag.class);
    for (AddressFlag f : values()) {
      if ((bits & f.bit) != 0) {
        flags.add(f);
      }
    }
    return flags;
  }

  /**
   * {@return the bits of {@code flags}}
   *
   * @param flags the flags
   */
  public static int toBits(Set<AddressFlag> flags) {
    int bits = 0;
    for (AddressFlag f : flags) {
      bits |= f.bit;
    }
    return bits;
  }
}
