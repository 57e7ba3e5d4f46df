package org.failover4j.netlink;

/** ENODEV: the interface (or device) does not exist. */
public final class NoSuchDeviceException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  NoSuchDeviceException(String call, int errno, String extendedAck) {
    super(call, errno, extendedAck);
  }
}
