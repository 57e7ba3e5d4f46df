package org.failover4j.netlink;

import java.nio.ByteBuffer;

/**
 * Remembers the native address of the last direct buffer it was asked about, so that a caller who
 * reuses one buffer (the zero-allocation pattern) costs one identity check per call.
 */
final class DirectAddress {

  private ByteBuffer last;
  private long address;
  private long lookups;

  /** The address of {@code direct}'s first byte (its position is not added). */
  long of(ByteBuffer direct) {
    if (direct != last) {
      address = LibC.address(direct);
      last = direct;
      lookups++;
    }
    return address;
  }

  /** True when {@code direct} is the buffer whose address is remembered. */
  boolean knows(ByteBuffer direct) {
    return direct == last;
  }

  /** How many times an address was asked of JNA (a JNI call and a Pointer each). */
  long lookups() {
    return lookups;
  }
}
