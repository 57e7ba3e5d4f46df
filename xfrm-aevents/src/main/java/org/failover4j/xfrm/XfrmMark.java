package org.failover4j.xfrm;

/**
 * {@code struct xfrm_mark}: the mark an SA matches (packets whose {@code mark & mask == value}).
 *
 * @param value the mark value
 * @param mask the mask
 */
public record XfrmMark(int value, int mask) {

  /** As iproute2 writes it: {@code 0x1/0xffffffff}. */
  @Override
  public String toString() {
    return "0x" + Integer.toHexString(value) + "/0x" + Integer.toHexString(mask);
  }
}
