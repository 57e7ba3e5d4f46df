package org.failover4j.vrrp.codec;

/**
 * How a VRRPv3 advert over IPv4 is checksummed. Implementations disagree: keepalived 2.2.7 and RFC
 * 5798 include the IPv4 pseudo-header with the actual destination; RFC 9568 §5.2.8 covers the VRRP
 * message only (keepalived's later {@code v3_checksum_as_v2}); FRR and keepalived's {@code
 * old_unicast_checksum} use the pseudo-header with 224.0.0.18 as the destination even when sending
 * unicast. In multicast the first and last agree.
 *
 * <p>VRRPv2 always covers the message only, and IPv6 always uses its pseudo-header: neither depends
 * on this mode.
 */
public enum ChecksumMode {
  /** IPv4 pseudo-header with the packet's actual destination (keepalived 2.2.7, RFC 5798). */
  PSEUDO_HEADER,
  /** The VRRP message only, without a pseudo-header (RFC 9568). */
  NO_PSEUDO_HEADER,
  /** IPv4 pseudo-header with 224.0.0.18 as destination, whatever the actual one (FRR). */
  PSEUDO_HEADER_GROUP
}
