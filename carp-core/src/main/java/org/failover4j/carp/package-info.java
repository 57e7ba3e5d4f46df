/**
 * CARP: the codec with SHA1-HMAC and 64-bit counters, the election state machine and the CARP host
 * runtime.
 *
 * <p>Wire-compatible with ucarp and OpenBSD carp(4), with replay protection on top.
 */
package org.failover4j.carp;
