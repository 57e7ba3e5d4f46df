package org.failover4j.ipvs;

import java.util.StringJoiner;

/**
 * The flags of an IPVS connection ({@code IP_VS_CONN_F_*} in {@code include/uapi/linux/ip_vs.h}),
 * with every bit kept as received, known or not.
 *
 * @param raw the flags as a 32-bit value (v0 messages carry only the low 16 bits)
 */
public record ConnectionFlags(int raw) {

  /** The forwarding-method bits; see {@link ForwardingMethod}. */
  public static final int FWD_MASK = 0x0007;

  /** The entry was created by sync. */
  public static final int SYNC = 0x0020;

  /** The entry is in the kernel's hash table (never meaningful on the wire). */
  public static final int HASHED = 0x0040;

  /** No output packets seen yet. */
  public static final int NOOUTPUT = 0x0080;

  /** Not established. */
  public static final int INACTIVE = 0x0100;

  /** Output sequence numbers need adjusting (NAT with an application helper). */
  public static final int OUT_SEQ = 0x0200;

  /** Input sequence numbers need adjusting. */
  public static final int IN_SEQ = 0x0400;

  /** Both sequence bits: an entry with either carries the sequence data. */
  public static final int SEQ_MASK = IN_SEQ | OUT_SEQ;

  /** The client port is not known yet. */
  public static final int NO_CPORT = 0x0800;

  /** A persistence template, not a connection. */
  public static final int TEMPLATE = 0x1000;

  /** Forward one packet only; never synced. */
  public static final int ONE_PACKET = 0x2000;

  /** Uses netfilter conntrack; local only, bit 16 and above are never synced. */
  public static final int NFCT = 0x10000;

  /** The bits a backup keeps from a v1 entry ({@code IP_VS_CONN_F_BACKUP_MASK}, 0x1F87). */
  public static final int BACKUP_MASK =
      FWD_MASK | NOOUTPUT | INACTIVE | SEQ_MASK | NO_CPORT | TEMPLATE;

  /** The bits a backup updates on a connection it has ({@code IP_VS_CONN_F_BACKUP_UPD_MASK}). */
  public static final int BACKUP_UPDATE_MASK = INACTIVE | SEQ_MASK;

  private static final int[] NAMED_BITS = {
    SYNC, HASHED, NOOUTPUT, INACTIVE, OUT_SEQ, IN_SEQ, NO_CPORT, TEMPLATE, ONE_PACKET, NFCT
  };
  private static final String[] NAMES = {
    "SYNC",
    "HASHED",
    "NOOUTPUT",
    "INACTIVE",
    "OUT_SEQ",
    "IN_SEQ",
    "NO_CPORT",
    "TEMPLATE",
    "ONE_PACKET",
    "NFCT"
  };

  /**
   * Flags with the given bits.
   *
   * @param raw the flag bits
   * @return the flags
   */
  public static ConnectionFlags of(int raw) {
    return new ConnectionFlags(raw);
  }

  /** {@return the forwarding method in the low three bits} */
  public ForwardingMethod forwardingMethod() {
    return ForwardingMethod.of(raw);
  }

  /**
   * {@return true when every bit of {@code mask} is set}
   *
   * @param mask the bits to test
   */
  public boolean has(int mask) {
    return (raw & mask) == mask;
  }

  /** {@return true for a persistence template} */
  public boolean isTemplate() {
    return (raw & TEMPLATE) != 0;
  }

  /** {@return true when the entry carries sequence data (either sequence bit is set)} */
  public boolean hasSequenceData() {
    return (raw & SEQ_MASK) != 0;
  }

  /** Like {@code 0x1100 [MASQ TEMPLATE INACTIVE]}, unknown bits shown in the hex value only. */
  @Override
  public String toString() {
    StringJoiner names = new StringJoiner(" ", "[", "]");
    ForwardingMethod method = forwardingMethod();
    names.add(method == ForwardingMethod.UNKNOWN ? "FWD" + (raw & FWD_MASK) : method.name());
    for (int i = 0; i < NAMED_BITS.length; i++) {
      if ((raw & NAMED_BITS[i]) != 0) {
        names.add(NAMES[i]);
      }
    }
    return "0x" + Integer.toHexString(raw) + " " + names;
  }
}
