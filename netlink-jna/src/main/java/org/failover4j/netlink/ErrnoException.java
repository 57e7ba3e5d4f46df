package org.failover4j.netlink;

import java.io.IOException;
import java.util.Optional;

/**
 * A system call or a netlink request failed with an {@code errno}. The message reads like {@code
 * RTM_NEWADDR 192.0.2.100/24 on ifindex 99: ENODEV (No such device): ipv4: Device not found}: the
 * call, the errno name, the C library's {@code strerror} text and, for netlink, the kernel's
 * extended-ack message when it sent one.
 *
 * <p>The errors callers handle differently have their own subclasses ({@link
 * NoSuchDeviceException}, {@link AlreadyExistsException}, {@link AddressNotAvailableException},
 * {@link PermissionDeniedException}, {@link NoSuchEntryException}, {@link
 * InvalidArgumentException}, {@link EventsLostException}); {@link #errno()} tells the rest apart.
 */
public class ErrnoException extends IOException {

  private static final long serialVersionUID = 1L;

  /** What to do about EPERM / EACCES, which here always means a missing capability. */
  static final String PERMISSION_HINT =
      "failover4j needs CAP_NET_ADMIN and CAP_NET_RAW: run as root, or grant them (setcap"
          + " cap_net_admin,cap_net_raw+ep on the java binary, or AmbientCapabilities= in a"
          + " systemd unit)";

  /** The system call or netlink operation that failed. */
  private final String call;

  /** The kernel's error number. */
  private final int errnoNumber;

  /** The error's text, as strerror gives it. */
  private final String strerror;

  /** The kernel's extended-ack message, or null. */
  private final String extendedAck;

  ErrnoException(String call, int errnoNumber, String extendedAck) {
    this(call, errnoNumber, describe(errnoNumber), extendedAck);
  }

  private ErrnoException(String call, int errnoNumber, String strerror, String extendedAck) {
    super(
        call
            + ": "
            + Errno.nameOf(errnoNumber)
            + " ("
            + strerror
            + ")"
            + (extendedAck == null ? "" : ": " + extendedAck)
            + (isPermission(errnoNumber) ? "; " + PERMISSION_HINT : ""));
    this.call = call;
    this.errnoNumber = errnoNumber;
    this.strerror = strerror;
    this.extendedAck = extendedAck;
  }

  private static boolean isPermission(int errno) {
    return errno == Errno.EPERM.number() || errno == Errno.EACCES.number();
  }

  /**
   * The most specific exception for {@code errno} raised by {@code call}, with the kernel's
   * extended-ack message when it sent one (else null).
   */
  static ErrnoException of(String call, int errno, String extendedAck) {
    Errno known = Errno.of(errno);
    if (known == null) {
      return new ErrnoException(call, errno, extendedAck);
    }
    return switch (known) {
      case ENODEV -> new NoSuchDeviceException(call, errno, extendedAck);
      case EEXIST -> new AlreadyExistsException(call, errno, extendedAck);
      case EADDRNOTAVAIL -> new AddressNotAvailableException(call, errno, extendedAck);
      case EPERM, EACCES -> new PermissionDeniedException(call, errno, extendedAck);
      case ESRCH -> new NoSuchEntryException(call, errno, extendedAck);
      case EINVAL -> new InvalidArgumentException(call, errno, extendedAck);
      default -> new ErrnoException(call, errno, extendedAck);
    };
  }

  /** The most specific exception for {@code errno} raised by the system call {@code call}. */
  static ErrnoException of(String call, int errno) {
    return of(call, errno, null);
  }

  /** {@return what failed: a system call with its subject, or a netlink request} */
  public String call() {
    return call;
  }

  /** {@return the error, or null for a number Linux does not define} */
  public Errno errno() {
    return Errno.of(errnoNumber);
  }

  /** {@return the raw error number} */
  public int errnoNumber() {
    return errnoNumber;
  }

  /** {@return the error's symbolic name, such as {@code ENODEV}} */
  public String errnoName() {
    return Errno.nameOf(errnoNumber);
  }

  /** {@return the C library's description of the error, such as {@code No such device}} */
  public String strerror() {
    return strerror;
  }

  /** {@return the netlink extended-ack message, when the kernel explained the error} */
  public Optional<String> extendedAck() {
    return Optional.ofNullable(extendedAck);
  }

  private static String describe(int errno) {
    try {
      String text = LibC.strerror(errno);
      return text == null ? "errno " + errno : text;
    } catch (LinkageError e) {
      return "errno " + errno;
    }
  }
}
