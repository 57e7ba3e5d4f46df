package org.failover4j.netlink;

/**
 * ESRCH: the kernel has no such entry. XFRM answers it for an SA or policy that does not exist
 * (GETAE, NEWAE, GETSA, DELSA for an unknown {@code (daddr, spi, proto)}).
 */
public final class NoSuchEntryException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  NoSuchEntryException(String call, int errno, String extendedAck) {
    super(call, errno, extendedAck);
  }
}
