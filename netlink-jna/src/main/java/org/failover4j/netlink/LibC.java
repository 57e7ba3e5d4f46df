package org.failover4j.netlink;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every native declaration of the module: the libc functions, the constants and the struct layouts
 * they use. Nothing else in failover4j calls native code.
 *
 * <p>All functions are bound with JNA direct mapping ({@link Native#register}), so a call costs a
 * JNI transition and no reflection. Pointers are passed as {@code long} addresses of native memory
 * (direct buffers whose address the caller keeps), which keeps the hot calls (send, receive, poll)
 * free of allocation. After a failed call, {@link Native#getLastError()} holds {@code errno}.
 *
 * <h2>Platform assumptions</h2>
 *
 * Linux on x86-64 or aarch64 (LP64: pointers, {@code long} and {@code size_t} are 8 bytes, {@code
 * int} 4). Both use the asm-generic errno numbers and socket constants, and lay out the structs
 * below identically (except {@code struct epoll_event}, see {@link #EPOLL_EVENT_SIZE}); the offsets
 * are checked against the C compiler by {@code NativeLayoutTest}. Other architectures (mips, sparc,
 * alpha, parisc use different constants) are refused at load time. Struct fields are in host byte
 * order, except network addresses and ports (big-endian).
 */
final class LibC {

  static {
    if (!Platform.isLinux()
        || !(Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64"))
        || Native.POINTER_SIZE != 8
        || Native.LONG_SIZE != 8
        || Native.SIZE_T_SIZE != 8) {
      throw new UnsupportedOperationException(
          "failover4j netlink-jna supports Linux on x86-64 and aarch64 only, not "
              + System.getProperty("os.name")
              + " on "
              + Platform.ARCH);
    }
    // Before JNA's NativeLibrary first runs: spares it forking ldconfig (LinuxLibraryPath).
    LinuxLibraryPath.presetUnlessSet(
        Platform.ARCH.equals("x86-64") ? "x86_64-linux-gnu" : "aarch64-linux-gnu");
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  // ---- functions -------------------------------------------------------------------------------

  static native int socket(int domain, int type, int protocol);

  static native int close(int fd);

  static native int bind(int fd, long sockaddr, int length);

  static native int getsockname(int fd, long sockaddr, long lengthPointer);

  static native int setsockopt(int fd, int level, int name, long value, int length);

  static native int getsockopt(int fd, int level, int name, long value, long lengthPointer);

  static native long sendto(int fd, long buffer, long length, int flags, long to, int toLength);

  static native long recvfrom(
      int fd, long buffer, long length, int flags, long from, long fromLengthPointer);

  static native long recvmsg(int fd, long msghdr, int flags);

  static native int recvmmsg(int fd, long mmsghdrs, int count, int flags, long timeout);

  static native int sendmmsg(int fd, long mmsghdrs, int count, int flags);

  static native int ppoll(long fds, long count, long timeout, long sigmask);

  static native int eventfd(int initialValue, int flags);

  static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  static native int epoll_create1(int flags);

  static native int epoll_ctl(int epfd, int op, int fd, long event);

  static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

  static native long read(int fd, long buffer, long count);

  static native long write(int fd, long buffer, long count);

  static native String strerror(int errno);

  // ---- address families, socket types, flags -------------------------------------------------

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int AF_NETLINK = 16;
  static final int AF_PACKET = 17;

  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_NONBLOCK = 0x800;
  static final int SOCK_CLOEXEC = 0x80000;

  static final int EFD_NONBLOCK = 0x800;
  static final int EFD_CLOEXEC = 0x80000;

  static final int MSG_PEEK = 0x2;
  static final int MSG_PROBE = 0x10;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  static final int MSG_CTRUNC = 0x8;

  static final short POLLIN = 0x1;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;

  static final int PR_SET_TIMERSLACK = 29;
  static final int PR_GET_TIMERSLACK = 30;

  static final int EPOLL_CLOEXEC = 0x80000;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLLIN = 0x1;

  // ---- socket options
  // ----------------------------------------------------------------------------

  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_BINDTODEVICE = 25;
  static final int SO_SNDBUFFORCE = 32;
  static final int SO_RCVBUFFORCE = 33;
  static final int SO_ATTACH_FILTER = 26;
  static final int SO_RXQ_OVFL = 40;

  static final int IPPROTO_IP = 0;
  static final int IP_TOS = 1;
  static final int IP_TTL = 2;
  static final int IP_HDRINCL = 3;
  static final int IP_PKTINFO = 8;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IP_ADD_MEMBERSHIP = 35;
  static final int IP_DROP_MEMBERSHIP = 36;

  static final int IPPROTO_IPV6 = 41;
  static final int IPV6_CHECKSUM = 7;
  static final int IPV6_UNICAST_HOPS = 16;
  static final int IPV6_MULTICAST_IF = 17;
  static final int IPV6_MULTICAST_HOPS = 18;
  static final int IPV6_MULTICAST_LOOP = 19;
  static final int IPV6_MULTICAST_ALL = 29;
  static final int IPV6_ADD_MEMBERSHIP = 20;
  static final int IPV6_DROP_MEMBERSHIP = 21;
  static final int IPV6_RECVPKTINFO = 49;
  static final int IPV6_PKTINFO = 50;
  static final int IPV6_RECVHOPLIMIT = 51;
  static final int IPV6_HOPLIMIT = 52;
  static final int IPV6_TCLASS = 67;

  static final int SOL_NETLINK = 270;
  static final int NETLINK_ADD_MEMBERSHIP = 1;
  static final int NETLINK_DROP_MEMBERSHIP = 2;
  static final int NETLINK_LIST_MEMBERSHIPS = 9;
  static final int NETLINK_EXT_ACK = 11;

  // ---- struct layouts (LP64 Linux)
  // ---------------------------------------------------------------

  /** {@code struct sockaddr_in}: family u16 (host), port be16, address 4 bytes, 8 bytes zero. */
  static final int SOCKADDR_IN_SIZE = 16;

  static final int SOCKADDR_IN_ADDR = 4;

  /**
   * {@code struct sockaddr_in6}: family u16 (host), port be16, flowinfo be32, address 16 bytes,
   * scope id u32 (host).
   */
  static final int SOCKADDR_IN6_SIZE = 28;

  static final int SOCKADDR_IN6_ADDR = 8;
  static final int SOCKADDR_IN6_SCOPE_ID = 24;

  /** {@code struct sockaddr_nl}: family u16, pad u16, port id u32, groups u32. */
  static final int SOCKADDR_NL_SIZE = 12;

  static final int SOCKADDR_NL_PID = 4;
  static final int SOCKADDR_NL_GROUPS = 8;

  /**
   * {@code struct sockaddr_ll}: family u16, protocol be16, ifindex s32, hatype u16, pkttype u8,
   * halen u8, address 8 bytes.
   */
  static final int SOCKADDR_LL_SIZE = 20;

  static final int SOCKADDR_LL_PROTOCOL = 2;
  static final int SOCKADDR_LL_IFINDEX = 4;
  static final int SOCKADDR_LL_HATYPE = 8;
  static final int SOCKADDR_LL_HALEN = 11;
  static final int SOCKADDR_LL_ADDR = 12;

  /** Room for any socket address the kernel returns ({@code struct sockaddr_storage}). */
  static final int SOCKADDR_STORAGE_SIZE = 128;

  /**
   * {@code struct msghdr}: name pointer, name length u32 (+4 pad), iov pointer, iov count size_t,
   * control pointer, control length size_t, flags s32 (+4 pad).
   */
  static final int MSGHDR_SIZE = 56;

  static final int MSGHDR_NAME = 0;
  static final int MSGHDR_NAMELEN = 8;
  static final int MSGHDR_IOV = 16;
  static final int MSGHDR_IOVLEN = 24;
  static final int MSGHDR_CONTROL = 32;
  static final int MSGHDR_CONTROLLEN = 40;
  static final int MSGHDR_FLAGS = 48;

  /** struct mmsghdr: a msghdr, then the length received. */
  static final int MMSGHDR_SIZE = 64;

  static final int MMSGHDR_LEN = 56;

  /** {@code struct iovec}: base pointer, length size_t. */
  static final int IOVEC_SIZE = 16;

  static final int IOVEC_BASE = 0;
  static final int IOVEC_LEN = 8;

  /**
   * {@code struct cmsghdr}: length size_t, level s32, type s32, then data; every header and its
   * data are aligned to 8 bytes ({@code CMSG_ALIGN}).
   */
  static final int CMSGHDR_SIZE = 16;

  static final int CMSGHDR_LEVEL = 8;
  static final int CMSGHDR_TYPE = 12;
  static final int CMSG_ALIGN = 8;

  /** {@code struct in_pktinfo}: ifindex s32, spec_dst 4 bytes, header destination 4 bytes. */
  static final int IN_PKTINFO_SIZE = 12;

  static final int IN_PKTINFO_IFINDEX = 0;
  static final int IN_PKTINFO_ADDR = 8;

  /** {@code struct in6_pktinfo}: address 16 bytes, ifindex s32. */
  static final int IN6_PKTINFO_SIZE = 20;

  static final int IN6_PKTINFO_ADDR = 0;
  static final int IN6_PKTINFO_IFINDEX = 16;

  /** {@code struct ip_mreqn}: group 4 bytes, local address 4 bytes, ifindex s32. */
  static final int IP_MREQN_SIZE = 12;

  static final int IP_MREQN_IFINDEX = 8;

  /** {@code struct ipv6_mreq}: group 16 bytes, ifindex s32. */
  static final int IPV6_MREQ_SIZE = 20;

  static final int IPV6_MREQ_IFINDEX = 16;

  /** {@code struct pollfd}: fd s32, events s16, revents s16. */
  static final int POLLFD_SIZE = 8;

  static final int POLLFD_EVENTS = 4;
  static final int POLLFD_REVENTS = 6;

  /**
   * {@code struct epoll_event}: events u32, then a u64 of user data. The one struct whose layout
   * differs between the two architectures: x86-64's kernel ABI packs it (12 bytes, data at 4),
   * aarch64 aligns the data (16 bytes, data at 8).
   */
  static final int EPOLL_EVENT_SIZE = Platform.ARCH.equals("x86-64") ? 12 : 16;

  static final int EPOLL_EVENT_DATA = Platform.ARCH.equals("x86-64") ? 4 : 8;

  /** {@code struct timespec}: seconds s64, nanoseconds s64. */
  static final int TIMESPEC_SIZE = 16;

  // ---- native memory
  // -----------------------------------------------------------------------------

  /** A zeroed direct buffer in host byte order, for structs handed to the kernel. */
  static ByteBuffer allocate(int size) {
    return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
  }

  /** The native address of a direct buffer's first byte (its position is ignored). */
  static long address(ByteBuffer direct) {
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }
}
