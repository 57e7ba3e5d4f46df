package org.failover4j.netlink;

/** EADDRNOTAVAIL: the address is not configured (as asked) where the request expected it. */
public final class AddressNotAvailableException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  AddressNotAvailableException(String call, int errno, String extendedAck) {
    super(call, errno, extendedAck);
  }
}
