package org.failover4j.netlink;

/** EEXIST: the address, link or entry being created is already there. */
public final class AlreadyExistsException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  AlreadyExistsException(String call, int errno, String extendedAck) {
    super(call, errno, extendedAck);
  }
}
