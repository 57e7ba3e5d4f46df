/**
 * The shared vocabulary of failover4j: roles, role-change events and their listeners, the
 * event-loop contract with its virtual-time and thread implementations, IP protocol numbers, the
 * IPv4 header layout, byte access in an explicit order, checksums and the malformed-packet
 * exception family.
 *
 * <p>Every other module depends on this one; it depends on nothing but slf4j-api.
 */
package org.failover4j.api;
