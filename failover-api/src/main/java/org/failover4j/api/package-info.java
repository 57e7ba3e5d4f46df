/**
 * The shared vocabulary of failover4j: roles, role-change events and their listeners, the
 * event-loop contract with a virtual-time implementation, checksums and the malformed-packet
 * exception family.
 *
 * <p>Every other module depends on this one; it depends on nothing but slf4j-api.
 */
package org.failover4j.api;
