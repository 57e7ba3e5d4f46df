package org.failover4j.netlink;

/** EPERM or EACCES: the process lacks the capability (usually CAP_NET_ADMIN or CAP_NET_RAW). */
public final class PermissionDeniedException extends ErrnoException {

  private static final long serialVersionUID = 1L;

  PermissionDeniedException(String call, int errno, String extendedAck) {
    super(call, errno, extendedAck);
  }
}
