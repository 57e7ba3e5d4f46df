package org.failover4j.ipvs;

/**
 * Offsets and sizes of the IPVS sync wire format, as {@code struct ip_vs_sync_mesg*} and {@code
 * struct ip_vs_sync_v4/v6/conn_v0} lay it out in the Linux kernel. All multi-byte fields are
 * big-endian except the v0 sequence block, which is in the sender's host order.
 *
 * <pre>
 * Version 0 header (4 bytes)             Version 1 header (8 bytes)
 *  0       1       2               4      0       1       2               4
 * +-------+-------+---------------+      +-------+-------+---------------+
 * |nr_conn|syncid |     size      |      |   0   |syncid |     size      |
 * +-------+-------+---------------+      +-------+-------+---------------+
 *                                        |nr_conn|  1    |  spare (0)    |
 *                                        +-------+-------+---------------+
 *
 * Version 0 entry (24 bytes, then 24 more when flags has IN_SEQ or OUT_SEQ)
 *  0       1       2               4               6               8
 * +-------+-------+---------------+---------------+---------------+
 * |reservd|protocl|    cport      |    vport      |    dport      |
 * +-------+-------+---------------+---------------+---------------+
 *  8 caddr (4)   12 vaddr (4)   16 daddr (4)   20 flags (2)   22 state (2)
 *  24 in_seq {init_seq, delta, previous_delta}, 36 out_seq {...}: 3 x u32, host order
 *
 * Version 1 entry (36 bytes for IPv4, 72 for IPv6, then options, then padding to 4 bytes)
 *  0       1       2                               4
 * +-------+-------+-------+-----------------------+
 * | type  |protocl| ver(4)|      size (12)        |   type bit 0: IPv6
 * +-------+-------+-------+-----------------------+
 * |                    flags (32)                 |   4
 * +-----------------------+-----------------------+
 * |       state           |        cport          |   8
 * +-----------------------+-----------------------+
 * |       vport           |        dport          |  12
 * +-----------------------+-----------------------+
 * |                    fwmark                     |  16
 * +-----------------------------------------------+
 * |                 timeout (seconds)             |  20
 * +-----------------------------------------------+
 * |   caddr, vaddr, daddr (3 x 4 or 3 x 16)       |  24
 * +-----------------------------------------------+
 * | opt type | opt len | opt data ...             |   options until size
 * </pre>
 */
final class SyncWire {

  private SyncWire() {}

  /** The protocol version byte of a v1 header. */
  static final int PROTOCOL_VERSION_1 = 1;

  // Version 0 header.
  static final int V0_HEADER_LENGTH = 4;
  static final int V0_COUNT = 0;
  static final int SYNCID = 1;
  static final int SIZE = 2;

  // Version 1 header (SYNCID and SIZE as in v0).
  static final int V1_HEADER_LENGTH = 8;
  static final int V1_RESERVED = 0;
  static final int V1_COUNT = 4;
  static final int V1_VERSION = 5;
  static final int V1_SPARE = 6;

  // Version 0 entry.
  static final int V0_ENTRY_LENGTH = 24;
  static final int V0_PROTOCOL = 1;
  static final int V0_CPORT = 2;
  static final int V0_VPORT = 4;
  static final int V0_DPORT = 6;
  static final int V0_CADDR = 8;
  static final int V0_VADDR = 12;
  static final int V0_DADDR = 16;
  static final int V0_FLAGS = 20;
  static final int V0_STATE = 22;
  static final int V0_SEQUENCE = 24;

  /** in_seq and out_seq, 3 x u32 each, in both versions. */
  static final int SEQUENCE_BLOCK_LENGTH = 24;

  // Version 1 entry.
  static final int V1_TYPE = 0;
  static final int V1_PROTOCOL = 1;
  static final int V1_VER_SIZE = 2;
  static final int V1_FLAGS = 4;
  static final int V1_STATE = 8;
  static final int V1_CPORT = 10;
  static final int V1_VPORT = 12;
  static final int V1_DPORT = 14;
  static final int V1_FWMARK = 16;
  static final int V1_TIMEOUT = 20;
  static final int V1_ADDRESSES = 24;
  static final int V1_FIXED_LENGTH_IPV4 = 36;
  static final int V1_FIXED_LENGTH_IPV6 = 72;

  static final int TYPE_IPV6 = 0x01;
  static final int VERSION_SHIFT = 12;
  static final int SIZE_MASK = 0x0FFF;

  // Options of a v1 entry.
  static final int OPTION_HEADER_LENGTH = 2;
  static final int OPT_SEQ_DATA = 1;
  static final int OPT_PE_DATA = 2;
  static final int OPT_PE_NAME = 3;

  /** Set in an option's type when a receiver that does not know it may ignore it. */
  static final int OPT_MAY_IGNORE = 0x40;

  /** IP_VS_PEDATA_MAXLEN. */
  static final int PE_DATA_MAX_LENGTH = 255;

  /** IP_VS_PENAME_MAXLEN. */
  static final int PE_NAME_MAX_LENGTH = 16;

  /** nr_conns is one byte. */
  static final int MAX_ENTRIES = 255;

  /** The largest v1 entry: IPv6, sequence data, 255 bytes of PE data, a 16-byte PE name. */
  static final int MAX_V1_ENTRY_LENGTH =
      V1_FIXED_LENGTH_IPV6
          + OPTION_HEADER_LENGTH
          + SEQUENCE_BLOCK_LENGTH
          + OPTION_HEADER_LENGTH
          + PE_DATA_MAX_LENGTH
          + OPTION_HEADER_LENGTH
          + PE_NAME_MAX_LENGTH;

  /** Bytes of IP and UDP header in front of a message, IPv4 and IPv6. */
  static final int IPV4_UDP_HEADERS = 28;

  static final int IPV6_UDP_HEADERS = 48;

  /** The kernel's master sizes messages for a 1500-byte MTU whatever the device's MTU. */
  static final int MASTER_MTU = 1500;
}
