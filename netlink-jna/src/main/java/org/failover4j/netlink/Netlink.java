package org.failover4j.netlink;

/**
 * Netlink numbers shared by every family ({@code include/uapi/linux/netlink.h}): protocols, control
 * message types, header flags, attribute flags and the alignment rule. Family-specific numbers live
 * with the family.
 *
 * <pre>
 * A message (all fields in host byte order), NLMSG_ALIGNed to 4 bytes:
 *
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                     nlmsg_len (u32, incl. header)             |
 * +-------------------------------+-------------------------------+
 * |       nlmsg_type (u16)        |       nlmsg_flags (u16)       |
 * +-------------------------------+-------------------------------+
 * |                     nlmsg_seq (u32)                           |
 * +---------------------------------------------------------------+
 * |                     nlmsg_pid (u32, sender port id)           |
 * +---------------------------------------------------------------+
 * | family header (NLMSG_ALIGNed) | attributes ...                |
 *
 * An attribute (TLV), NLA_ALIGNed to 4 bytes:
 *
 * +-------------------------------+-------------------------------+
 * |  nla_len (u16, incl. header)  | nla_type (u16, bit 15 nested, |
 * |                               |  bit 14 network byte order)   |
 * +-------------------------------+-------------------------------+
 * | value (nla_len - 4 bytes), zero-padded to a multiple of 4     |
 * </pre>
 */
public final class Netlink {

  private Netlink() {}

  /** {@code NETLINK_ROUTE}: links, addresses, routes (rtnetlink). */
  public static final int NETLINK_ROUTE = 0;

  /** {@code NETLINK_XFRM}: IPsec security associations and policies. */
  public static final int NETLINK_XFRM = 6;

  /** {@code NETLINK_GENERIC}: generic netlink families. */
  public static final int NETLINK_GENERIC = 16;

  /** Messages and attributes start on multiples of this many bytes. */
  public static final int ALIGNTO = 4;

  /** The size of {@code struct nlmsghdr}. */
  public static final int HEADER_LENGTH = 16;

  /** The size of {@code struct nlattr}. */
  public static final int ATTRIBUTE_HEADER_LENGTH = 4;

  /** {@code NLMSG_NOOP}: nothing; skip it. */
  public static final int NLMSG_NOOP = 1;

  /** {@code NLMSG_ERROR}: an error, or an acknowledgement when its error code is 0. */
  public static final int NLMSG_ERROR = 2;

  /** {@code NLMSG_DONE}: the end of a multipart (dump) reply. */
  public static final int NLMSG_DONE = 3;

  /** {@code NLMSG_OVERRUN}: data lost (unused by Linux, which reports ENOBUFS instead). */
  public static final int NLMSG_OVERRUN = 4;

  /** Types below this one are control messages; families number theirs from here. */
  public static final int NLMSG_MIN_TYPE = 0x10;

  /** {@code NLM_F_REQUEST}: a request to the kernel. */
  public static final int NLM_F_REQUEST = 0x1;

  /** {@code NLM_F_MULTI}: part of a multipart reply, ended by {@link #NLMSG_DONE}. */
  public static final int NLM_F_MULTI = 0x2;

  /** {@code NLM_F_ACK}: reply with an acknowledgement (an error message with code 0). */
  public static final int NLM_F_ACK = 0x4;

  /** {@code NLM_F_ECHO}: echo this request to the sender. */
  public static final int NLM_F_ECHO = 0x8;

  /** {@code NLM_F_DUMP_INTR}: the dump was interrupted by a change and may be inconsistent. */
  public static final int NLM_F_DUMP_INTR = 0x10;

  /** {@code NLM_F_DUMP_FILTERED}: the kernel filtered the dump as the request asked. */
  public static final int NLM_F_DUMP_FILTERED = 0x20;

  /** GET modifier {@code NLM_F_ROOT}: return the whole table. */
  public static final int NLM_F_ROOT = 0x100;

  /** GET modifier {@code NLM_F_MATCH}: return all matching entries. */
  public static final int NLM_F_MATCH = 0x200;

  /** GET modifier {@code NLM_F_DUMP}: {@code ROOT | MATCH}. */
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

  /** NEW modifier {@code NLM_F_REPLACE}: replace an existing entry. */
  public static final int NLM_F_REPLACE = 0x100;

  /** NEW modifier {@code NLM_F_EXCL}: fail with EEXIST when the entry exists. */
  public static final int NLM_F_EXCL = 0x200;

  /** NEW modifier {@code NLM_F_CREATE}: create the entry when it does not exist. */
  public static final int NLM_F_CREATE = 0x400;

  /** NEW modifier {@code NLM_F_APPEND}: add to the end of the list. */
  public static final int NLM_F_APPEND = 0x800;

  /** ACK flag {@code NLM_F_CAPPED}: the error message carries only the request's header. */
  public static final int NLM_F_CAPPED = 0x100;

  /** ACK flag {@code NLM_F_ACK_TLVS}: extended-ack attributes follow. */
  public static final int NLM_F_ACK_TLVS = 0x200;

  /** Attribute type bit: the value is a list of attributes. */
  public static final int NLA_F_NESTED = 0x8000;

  /** Attribute type bit: the value is in network byte order. */
  public static final int NLA_F_NET_BYTEORDER = 0x4000;

  /** Mask that strips the two flag bits from an attribute type. */
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  /** Extended-ack attribute: the error message (a string). */
  public static final int NLMSGERR_ATTR_MSG = 1;

  /** Extended-ack attribute: the offset of the offending attribute in the request (u32). */
  public static final int NLMSGERR_ATTR_OFFS = 2;

  /**
   * Rounds {@code length} up to the netlink alignment ({@code NLMSG_ALIGN}, {@code NLA_ALIGN}).
   *
   * @param length a length in bytes
   * @return the aligned length
   */
  public static int align(int length) {
    return (length + ALIGNTO - 1) & ~(ALIGNTO - 1);
  }

  /**
   * {@return the bind mask bit for multicast group {@code group} (1..32), as {@code sockaddr_nl}
   * wants}
   *
   * @param group the group number, 1..32
   */
  public static int groupMask(int group) {
    if (group < 1 || group > 32) {
      throw new IllegalArgumentException("bind masks cover groups 1..32, was " + group);
    }
    return 1 << (group - 1);
  }
}
