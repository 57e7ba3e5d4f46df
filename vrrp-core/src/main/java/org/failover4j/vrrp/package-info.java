/**
 * VRRP v2 and v3 over IPv4 and IPv6: the codec with keepalived-compatible IPsec-AH, the RFC 5798
 * state machine, sync groups and the router runtime.
 *
 * <p>Byte-compatible with keepalived 2.2.7 on the wire.
 */
package org.failover4j.vrrp;
