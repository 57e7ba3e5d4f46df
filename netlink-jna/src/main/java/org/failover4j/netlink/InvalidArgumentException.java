package org.failover4j.netlink;

/**
 * EINVAL: the kernel rejected the request as malformed or inconsistent (a short body, a bad
 * attribute, a missing flag or attribute the operation requires); {@link #extendedAck()} often says
 * which.
 */
public final class InvalidArgumentException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  InvalidArgumentException(String call, int errno, String extendedAck) {
    super(call, errno, extendedAck);
  }
}
