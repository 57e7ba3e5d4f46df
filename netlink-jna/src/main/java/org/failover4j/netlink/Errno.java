package org.failover4j.netlink;

/**
 * The Linux error numbers, by name. The numbers are the asm-generic ones that x86-64 and aarch64
 * share ({@code NativeLayoutTest} checks them against the C headers); aliases such as {@code
 * EWOULDBLOCK} and {@code EDEADLOCK} resolve to their primary names.
 */
public enum Errno {
  /** 1: Operation not permitted. */
  EPERM(1),
  /** 2: No such file or directory. */
  ENOENT(2),
  /** 3: No such process. */
  ESRCH(3),
  /** 4: Interrupted system call. */
  EINTR(4),
  /** 5: Input/output error. */
  EIO(5),
  /** 6: No such device or address. */
  ENXIO(6),
  /** 7: Argument list too long. */
  E2BIG(7),
  /** 8: Exec format error. */
  ENOEXEC(8),
  /** 9: Bad file descriptor. */
  EBADF(9),
  /** 10: No child processes. */
  ECHILD(10),
  /** 11: Resource temporarily unavailable. */
  EAGAIN(11),
  /** 12: Cannot allocate memory. */
  ENOMEM(12),
  /** 13: Permission denied. */
  EACCES(13),
  /** 14: Bad address. */
  EFAULT(14),
  /** 15: Block device required. */
  ENOTBLK(15),
  /** 16: Device or resource busy. */
  EBUSY(16),
  /** 17: File exists. */
  EEXIST(17),
  /** 18: Invalid cross-device link. */
  EXDEV(18),
  /** 19: No such device. */
  ENODEV(19),
  /** 20: Not a directory. */
  ENOTDIR(20),
  /** 21: Is a directory. */
  EISDIR(21),
  /** 22: Invalid argument. */
  EINVAL(22),
  /** 23: Too many open files in system. */
  ENFILE(23),
  /** 24: Too many open files. */
  EMFILE(24),
  /** 25: Inappropriate ioctl for device. */
  ENOTTY(25),
  /** 26: Text file busy. */
  ETXTBSY(26),
  /** 27: File too large. */
  EFBIG(27),
  /** 28: No space left on device. */
  ENOSPC(28),
  /** 29: Illegal seek. */
  ESPIPE(29),
  /** 30: Read-only file system. */
  EROFS(30),
  /** 31: Too many links. */
  EMLINK(31),
  /** 32: Broken pipe. */
  EPIPE(32),
  /** 33: Numerical argument out of domain. */
  EDOM(33),
  /** 34: Numerical result out of range. */
  ERANGE(34),
  /** 35: Resource deadlock avoided. */
  EDEADLK(35),
  /** 36: File name too long. */
  ENAMETOOLONG(36),
  /** 37: No locks available. */
  ENOLCK(37),
  /** 38: Function not implemented. */
  ENOSYS(38),
  /** 39: Directory not empty. */
  ENOTEMPTY(39),
  /** 40: Too many levels of symbolic links. */
  ELOOP(40),
  /** 42: No message of desired type. */
  ENOMSG(42),
  /** 43: Identifier removed. */
  EIDRM(43),
  /** 44: Channel number out of range. */
  ECHRNG(44),
  /** 45: Level 2 not synchronized. */
  EL2NSYNC(45),
  /** 46: Level 3 halted. */
  EL3HLT(46),
  /** 47: Level 3 reset. */
  EL3RST(47),
  /** 48: Link number out of range. */
  ELNRNG(48),
  /** 49: Protocol driver not attached. */
  EUNATCH(49),
  /** 50: No CSI structure available. */
  ENOCSI(50),
  /** 51: Level 2 halted. */
  EL2HLT(51),
  /** 52: Invalid exchange. */
  EBADE(52),
  /** 53: Invalid request descriptor. */
  EBADR(53),
  /** 54: Exchange full. */
  EXFULL(54),
  /** 55: No anode. */
  ENOANO(55),
  /** 56: Invalid request code. */
  EBADRQC(56),
  /** 57: Invalid slot. */
  EBADSLT(57),
  /** 59: Bad font file format. */
  EBFONT(59),
  /** 60: Device not a stream. */
  ENOSTR(60),
  /** 61: No data available. */
  ENODATA(61),
  /** 62: Timer expired. */
  ETIME(62),
  /** 63: Out of streams resources. */
  ENOSR(63),
  /** 64: Machine is not on the network. */
  ENONET(64),
  /** 65: Package not installed. */
  ENOPKG(65),
  /** 66: Object is remote. */
  EREMOTE(66),
  /** 67: Link has been severed. */
  ENOLINK(67),
  /** 68: Advertise error. */
  EADV(68),
  /** 69: Srmount error. */
  ESRMNT(69),
  /** 70: Communication error on send. */
  ECOMM(70),
  /** 71: Protocol error. */
  EPROTO(71),
  /** 72: Multihop attempted. */
  EMULTIHOP(72),
  /** 73: RFS specific error. */
  EDOTDOT(73),
  /** 74: Bad message. */
  EBADMSG(74),
  /** 75: Value too large for defined data type. */
  EOVERFLOW(75),
  /** 76: Name not unique on network. */
  ENOTUNIQ(76),
  /** 77: File descriptor in bad state. */
  EBADFD(77),
  /** 78: Remote address changed. */
  EREMCHG(78),
  /** 79: Can not access a needed shared library. */
  ELIBACC(79),
  /** 80: Accessing a corrupted shared library. */
  ELIBBAD(80),
  /** 81: .lib section in a.out corrupted. */
  ELIBSCN(81),
  /** 82: Attempting to link in too many shared libraries. */
  ELIBMAX(82),
  /** 83: Cannot exec a shared library directly. */
  ELIBEXEC(83),
  /** 84: Invalid or incomplete multibyte or wide character. */
  EILSEQ(84),
  /** 85: Interrupted system call should be restarted. */
  ERESTART(85),
  /** 86: Streams pipe error. */
  ESTRPIPE(86),
  /** 87: Too many users. */
  EUSERS(87),
  /** 88: Socket operation on non-socket. */
  ENOTSOCK(88),
  /** 89: Destination address required. */
  EDESTADDRREQ(89),
  /** 90: Message too long. */
  EMSGSIZE(90),
  /** 91: Protocol wrong type for socket. */
  EPROTOTYPE(91),
  /** 92: Protocol not available. */
  ENOPROTOOPT(92),
  /** 93: Protocol not supported. */
  EPROTONOSUPPORT(93),
  /** 94: Socket type not supported. */
  ESOCKTNOSUPPORT(94),
  /** 95: Operation not supported. */
  EOPNOTSUPP(95),
  /** 96: Protocol family not supported. */
  EPFNOSUPPORT(96),
  /** 97: Address family not supported by protocol. */
  EAFNOSUPPORT(97),
  /** 98: Address already in use. */
  EADDRINUSE(98),
  /** 99: Cannot assign requested address. */
  EADDRNOTAVAIL(99),
  /** 100: Network is down. */
  ENETDOWN(100),
  /** 101: Network is unreachable. */
  ENETUNREACH(101),
  /** 102: Network dropped connection on reset. */
  ENETRESET(102),
  /** 103: Software caused connection abort. */
  ECONNABORTED(103),
  /** 104: Connection reset by peer. */
  ECONNRESET(104),
  /** 105: No buffer space available. */
  ENOBUFS(105),
  /** 106: Transport endpoint is already connected. */
  EISCONN(106),
  /** 107: Transport endpoint is not connected. */
  ENOTCONN(107),
  /** 108: Cannot send after transport endpoint shutdown. */
  ESHUTDOWN(108),
  /** 109: Too many references: cannot splice. */
  ETOOMANYREFS(109),
  /** 110: Connection timed out. */
  ETIMEDOUT(110),
  /** 111: Connection refused. */
  ECONNREFUSED(111),
  /** 112: Host is down. */
  EHOSTDOWN(112),
  /** 113: No route to host. */
  EHOSTUNREACH(113),
  /** 114: Operation already in progress. */
  EALREADY(114),
  /** 115: Operation now in progress. */
  EINPROGRESS(115),
  /** 116: Stale file handle. */
  ESTALE(116),
  /** 117: Structure needs cleaning. */
  EUCLEAN(117),
  /** 118: Not a XENIX named type file. */
  ENOTNAM(118),
  /** 119: No XENIX semaphores available. */
  ENAVAIL(119),
  /** 120: Is a named type file. */
  EISNAM(120),
  /** 121: Remote I/O error. */
  EREMOTEIO(121),
  /** 122: Disk quota exceeded. */
  EDQUOT(122),
  /** 123: No medium found. */
  ENOMEDIUM(123),
  /** 124: Wrong medium type. */
  EMEDIUMTYPE(124),
  /** 125: Operation canceled. */
  ECANCELED(125),
  /** 126: Required key not available. */
  ENOKEY(126),
  /** 127: Key has expired. */
  EKEYEXPIRED(127),
  /** 128: Key has been revoked. */
  EKEYREVOKED(128),
  /** 129: Key was rejected by service. */
  EKEYREJECTED(129),
  /** 130: Owner died. */
  EOWNERDEAD(130),
  /** 131: State not recoverable. */
  ENOTRECOVERABLE(131),
  /** 132: Operation not possible due to RF-kill. */
  ERFKILL(132),
  /** 133: Memory page has hardware error. */
  EHWPOISON(133);

  private static final Errno[] BY_NUMBER = new Errno[134];

  static {
    for (Errno e : values()) {
      BY_NUMBER[e.number] = e;
    }
  }

  private final int number;

  Errno(int number) {
    this.number = number;
  }

  /** {@return the error number, as {@code errno} holds it} */
  public int number() {
    return number;
  }

  /**
   * {@return the constant for {@code number}, or null when Linux defines no such error}
   *
   * @param number the error number
   */
  public static Errno of(int number) {
    return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
  }

  /**
   * {@return the symbolic name of {@code number}, such as {@code ENODEV}, or {@code errno 200}}
   *
   * @param number the error number
   */
  public static String nameOf(int number) {
    Errno e = of(number);
    return e == null ? "errno " + number : e.name();
  }
}
