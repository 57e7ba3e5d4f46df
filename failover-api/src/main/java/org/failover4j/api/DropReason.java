package org.failover4j.api;

/**
 * Why a packet or message was dropped. Each protocol defines its reasons as an enum implementing
 * this interface, so runtimes can count drops per reason (RFC 6527 style) in {@link DropCounters}.
 */
public interface DropReason {

  /** {@return the enum constant's name, such as {@code TRUNCATED} or {@code BAD_CHECKSUM}} */
  String name();
}
