package org.failover4j.netlink;

import java.nio.ByteBuffer;

/**
 * Remembers the native address of the last direct buffer it was asked about, so that a caller who
 * reuses one buffer (the zero-allocation pattern) costs one identity check per call.
 */
final class DirectAddress {

  private ByteBuffer last;
  private long address;

  /** The address of {@code direct}'s first byte (its position is not added). */
  long of(ByteBuffer direct) {
    if (direct != last) {
      address = LibC.address(direct);
      last = direct;
    }
    return address;
  }
}
