/**
 * The VRRP wire format, byte-compatible with keepalived 2.2.7: VRRPv2 and v3 adverts over IPv4 and
 * IPv6, keepalived's IPsec-AH authentication, the checksum variants peers send, and the
 * receive-side checks keepalived makes, in its order.
 *
 * <p>Receive: {@link org.failover4j.vrrp.codec.VrrpPacketDecoder} wraps what a raw socket returned
 * (an IPv4 datagram, or an IPv6 payload with its addresses and hop limit) without copying or
 * allocating, {@link org.failover4j.vrrp.codec.VrrpAdvertValidator} applies an instance's checks
 * and returns a {@link org.failover4j.vrrp.codec.VrrpDropReason} for every drop. Send: {@link
 * org.failover4j.vrrp.codec.VrrpPacketEncoder} writes the datagram keepalived would send into a
 * caller buffer. {@link org.failover4j.vrrp.codec.AhAuthenticator} and {@link
 * org.failover4j.vrrp.codec.AhSequenceCounter} are the two halves of IPsec-AH.
 *
 * <p>Malformed input raises {@link org.failover4j.api.MalformedPacketException} carrying a {@link
 * org.failover4j.vrrp.codec.VrrpDropReason}; nothing here throws another exception for bad input.
 */
package org.failover4j.vrrp.codec;
