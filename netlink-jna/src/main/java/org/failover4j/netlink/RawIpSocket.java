package org.failover4j.netlink;

import com.sun.jna.Native;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.failover4j.api.AddressText;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.platform.ReceivedDatagram;

/**
 * A raw IP socket for one protocol ({@code 112} for VRRP and CARP, {@code 51} for IPsec-AH), IPv4
 * or IPv6: the kernel hands it every packet of that protocol addressed to the host (or to a group
 * it joined), and sends what it is given with an IP header it builds, or with the caller's own
 * ({@link RawSocketOption#HEADER_INCLUDED}, IPv4).
 *
 * <p>{@link #send} and {@link #receive} allocate nothing: with direct buffers they pass the
 * caller's memory to the kernel; with heap buffers they copy through a buffer of the socket's.
 * Sending and receiving keep separate state, so one thread may send while another receives; each
 * alone is for one thread at a time. The socket is non-blocking (register it with a {@link
 * PollEventLoop}) and belongs to the network namespace of the thread that opened it. Needs
 * CAP_NET_RAW.
 */
public final class RawIpSocket extends NativeSocket {

  /** BPF_RET | BPF_K: return the constant k, the bytes to keep (0: drop the packet). */
  private static final int BPF_RET_K = 0x06;

  private static final int BOUNCE_SIZE = 65_536;

  /** Packets up to this size from an unknown direct buffer are copied rather than looked up. */
  private static final int COPY_AT_MOST = 2048;

  private long receiveQueueDrops;
  private static final int CONTROL_SIZE = 256;
  private static final int IFNAMSIZ = 16;

  private final boolean ipv6;
  private final int protocol;

  // Send side.
  private final DirectAddress sendBuffer = new DirectAddress();
  private ByteBuffer sendBounce;
  private long sendBounceAddress;

  // Receive side: msghdr, iovec, source address and control data in one native block.
  private static final int RX_MSGHDR = 0;
  private static final int RX_IOVEC = RX_MSGHDR + LibC.MSGHDR_SIZE;
  private static final int RX_NAME = RX_IOVEC + LibC.IOVEC_SIZE;
  private static final int RX_CONTROL = RX_NAME + LibC.SOCKADDR_STORAGE_SIZE;
  private static final int RX_SIZE = RX_CONTROL + CONTROL_SIZE;
  private final ByteBuffer rx = LibC.allocate(RX_SIZE);
  private final long rxAddress = LibC.address(rx);
  private final DirectAddress receiveBuffer = new DirectAddress();
  private ByteBuffer receiveBounce;
  private long receiveBounceAddress;

  // Batch receive side (recvmmsg): an array of mmsghdr, then per slot its iovec, source address,
  // control data and datagram; allocated at the first batch.
  /** The most datagrams one {@link #receiveBatch} call takes. */
  public static final int MAX_BATCH = 64;

  /** The bytes of a datagram a batch slot keeps; longer ones are cut off (and say so). */
  public static final int BATCH_DATAGRAM_SIZE = 2048;

  private static final int SLOT_IOVEC = 0;
  private static final int SLOT_NAME = SLOT_IOVEC + LibC.IOVEC_SIZE;
  private static final int SLOT_CONTROL = SLOT_NAME + LibC.SOCKADDR_STORAGE_SIZE;
  private static final int SLOT_DATA = SLOT_CONTROL + CONTROL_SIZE;
  private static final int SLOT_SIZE = SLOT_DATA + BATCH_DATAGRAM_SIZE;
  private static final int SLOTS_AT = MAX_BATCH * LibC.MMSGHDR_SIZE;
  private ByteBuffer batch;
  private long batchAddress;
  private int batchCount;

  /** Slots in each batch buffer (receive and send), {@link #setBatchSlots}. */
  private int batchSlots = MAX_BATCH;

  // Batch send side (sendmmsg): the same layout as the receive slots, without control data; each
  // queued datagram is copied into its slot, its destination's sockaddr is pointed at.
  private static final int OUT_SLOT_IOVEC = 0;
  private static final int OUT_SLOT_DATA = OUT_SLOT_IOVEC + LibC.IOVEC_SIZE;
  private static final int OUT_SLOT_SIZE = OUT_SLOT_DATA + BATCH_DATAGRAM_SIZE;
  private ByteBuffer outBatch;
  private long outBatchAddress;
  private final IpDestination[] outDestinations = new IpDestination[MAX_BATCH];
  private final int[] outErrno = new int[MAX_BATCH];
  private int outQueued;
  private int outFlushed;

  private RawIpSocket(int fd, boolean ipv6, int protocol) {
    super(fd, "raw " + (ipv6 ? "IPv6" : "IPv4") + " protocol " + protocol);
    this.ipv6 = ipv6;
    this.protocol = protocol;
    ByteAccess.putHost64(rx, RX_MSGHDR + LibC.MSGHDR_NAME, rxAddress + RX_NAME);
    ByteAccess.putHost64(rx, RX_MSGHDR + LibC.MSGHDR_IOV, rxAddress + RX_IOVEC);
    ByteAccess.putHost64(rx, RX_MSGHDR + LibC.MSGHDR_IOVLEN, 1);
    ByteAccess.putHost64(rx, RX_MSGHDR + LibC.MSGHDR_CONTROL, rxAddress + RX_CONTROL);
  }

  /**
   * Opens a raw socket for IP protocol {@code protocol} (1..255) in {@code family} ({@link
   * StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}).
   */
  public static RawIpSocket open(ProtocolFamily family, int protocol) throws IOException {
    if (protocol < 1 || protocol > 255) {
      throw new IllegalArgumentException("protocol must be in 1..255, was " + protocol);
    }
    boolean v6;
    if (family == StandardProtocolFamily.INET) {
      v6 = false;
    } else if (family == StandardProtocolFamily.INET6) {
      v6 = true;
    } else {
      throw new IllegalArgumentException("family must be INET or INET6, was " + family);
    }
    int fd =
        open(
            v6 ? LibC.AF_INET6 : LibC.AF_INET,
            LibC.SOCK_RAW,
            protocol,
            "raw " + (v6 ? "IPv6" : "IPv4") + " protocol " + protocol);
    return new RawIpSocket(fd, v6, protocol);
  }

  /** True for an IPv6 socket. */
  public boolean isIpv6() {
    return ipv6;
  }

  /** The IP protocol number. */
  public int protocol() {
    return protocol;
  }

  /** Sends and receives only through interface {@code ifname} ({@code SO_BINDTODEVICE}). */
  public void bindToDevice(String ifname) throws IOException {
    requireOpen();
    byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
    if (name.length == 0 || name.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name must have 1..15 characters: " + ifname);
    }
    ByteBuffer value = LibC.allocate(IFNAMSIZ);
    value.put(0, name);
    setOption(LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, value, IFNAMSIZ, "SO_BINDTODEVICE " + ifname);
  }

  /**
   * Sends from {@code local}, which must be an address of this host in the socket's family; an IPv6
   * link-local address takes its interface from its scope id.
   */
  public void bind(InetAddress local) throws IOException {
    bind(local, local instanceof Inet6Address v6 ? v6.getScopeId() : 0);
  }

  /**
   * Sends from {@code local} on interface {@code scopeIfindex} (needed for an IPv6 link-local
   * address, such as the VRRPv3 source; ignored for IPv4).
   */
  public void bind(InetAddress local, int scopeIfindex) throws IOException {
    requireOpen();
    requireFamily(local);
    ByteBuffer sa = SocketAddresses.ip(local, ipv6 ? scopeIfindex : 0);
    bindTo(sa, sa.capacity(), AddressText.of(local));
  }

  /** Joins multicast group {@code group} on interface {@code ifindex}. */
  public void joinGroup(InetAddress group, int ifindex) throws IOException {
    membership(group, ifindex, true);
  }

  /** Leaves multicast group {@code group} on interface {@code ifindex}. */
  public void leaveGroup(InetAddress group, int ifindex) throws IOException {
    membership(group, ifindex, false);
  }

  /**
   * Sets {@code option} to {@code value}, in the form the socket's family has.
   *
   * @throws IllegalArgumentException for a value out of the option's range
   * @throws UnsupportedOperationException for an option the family does not have
   */
  public <T> void setOption(RawSocketOption<T> option, T value) throws IOException {
    requireOpen();
    option.check(value);
    int level = option.level(ipv6);
    int name = option.optionName(ipv6);
    String what = option.name() + " " + value;
    if (option == RawSocketOption.MULTICAST_INTERFACE && !ipv6) {
      // IPv4 takes the interface in a struct ip_mreqn, not as an int.
      ByteBuffer mreqn = LibC.allocate(LibC.IP_MREQN_SIZE);
      ByteAccess.putHost32(mreqn, LibC.IP_MREQN_IFINDEX, option.toInt(value));
      setOption(level, name, mreqn, LibC.IP_MREQN_SIZE, what);
    } else {
      setIntOption(level, name, option.toInt(value), what);
    }
  }

  /**
   * Makes this a send-only socket: a classic BPF filter of one instruction ({@code ret #0}) drops
   * every packet before it is queued, so a socket bound to an address for sending never receives
   * (and never counts drops for) the packets its family and protocol bring in.
   */
  public void dropEverythingReceived() throws IOException {
    requireOpen();
    // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } = { BPF_RET | BPF_K, 0, 0, 0 }
    ByteBuffer filter = LibC.allocate(8);
    ByteAccess.putHost16(filter, 0, BPF_RET_K);
    // struct sock_fprog { unsigned short len; struct sock_filter *filter; }, padded to 16
    ByteBuffer program = LibC.allocate(16);
    ByteAccess.putHost16(program, 0, 1);
    ByteAccess.putHost64(program, 8, LibC.address(filter));
    try {
      setOption(LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, program, 16, "SO_ATTACH_FILTER drop all");
    } finally {
      Reference.reachabilityFence(filter);
    }
  }

  /**
   * Asks the kernel to report, with each datagram received, how many it has dropped so far because
   * this socket's receive queue was full ({@code SO_RXQ_OVFL}); read it with {@link
   * #receiveQueueDrops()}.
   */
  public void reportReceiveQueueDrops() throws IOException {
    requireOpen();
    setIntOption(LibC.SOL_SOCKET, LibC.SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
  }

  /**
   * {@return datagrams the kernel dropped because the receive queue was full, as of the last one
   * received (a running total, 0 until {@link #reportReceiveQueueDrops()} is on and a drop
   * happened)}
   */
  public long receiveQueueDrops() {
    return receiveQueueDrops;
  }

  /** Asks for a receive buffer of {@code bytes}. */
  public void setReceiveBufferSize(int bytes) throws IOException {
    requireOpen();
    setReceiveBuffer(bytes);
  }

  /**
   * Sends the {@code packet} buffer's remaining bytes to {@code to} and moves its position to its
   * limit. With {@link RawSocketOption#HEADER_INCLUDED} they start with the IPv4 header; otherwise
   * they are the payload.
   *
   * @return the bytes sent, or 0 when the socket's send buffer is full (nothing was sent): a raw
   *     socket reports that as EAGAIN or, once the queue behind it holds its whole buffer, ENOBUFS
   * @throws ErrnoException when the kernel refused (no route, interface down, ...)
   */
  public int send(ByteBuffer packet, IpDestination to) throws IOException {
    return send(packet, to, 0);
  }

  /**
   * Runs the whole of {@link #send}'s path with {@code MSG_PROBE}: the copy, the system call and
   * the kernel's route lookup, after which the kernel's raw sockets return without sending
   * anything. A backup's first real send, its takeover's first advert, then runs warm code: cold,
   * this path took 0.3-0.4 ms of it (the bounce buffer's allocation and first copy,
   * docs/BENCHMARKS.md). Moves the packet's position as {@link #send} does.
   *
   * @throws ErrnoException when the kernel refused (no route, interface down, ...)
   */
  public void probe(ByteBuffer packet, IpDestination to) throws IOException {
    send(packet, to, LibC.MSG_PROBE);
  }

  private int send(ByteBuffer packet, IpDestination to, int flags) throws IOException {
    int fd = requireOpen();
    if (to.isIpv6() != ipv6) {
      throw new IllegalArgumentException(name() + " cannot send to " + to);
    }
    int length = packet.remaining();
    long from;
    // A small packet from another direct buffer than last time is copied, not looked up: many
    // senders sharing one socket (one buffer each) would otherwise cost a JNI call and a Pointer
    // per send, which only C2's escape analysis removes, and the launcher runs C1.
    if (packet.isDirect() && (sendBuffer.knows(packet) || length > COPY_AT_MOST)) {
      from = sendBuffer.of(packet) + packet.position();
    } else {
      if (length > BOUNCE_SIZE) {
        throw new IllegalArgumentException("packet of " + length + " bytes exceeds 65535");
      }
      if (sendBounce == null || sendBounce.capacity() < length) {
        // Sized to what is sent (an advert: 2 KiB), not to the largest datagram: a thousand
        // virtual-MAC instances have a sender each.
        sendBounce = LibC.allocate(Math.max(COPY_AT_MOST, Integer.highestOneBit(length - 1) << 1));
        sendBounceAddress = LibC.address(sendBounce);
      }
      sendBounce.put(0, packet, packet.position(), length);
      from = sendBounceAddress;
    }
    try {
      while (true) {
        long n = LibC.sendto(fd, from, length, flags, to.sockaddrAddress, to.sockaddrLength);
        if (n >= 0) {
          packet.position(packet.limit());
          return (int) n;
        }
        int errno = Native.getLastError();
        if (errno == Errno.EAGAIN.number() || errno == Errno.ENOBUFS.number()) {
          return 0;
        }
        if (errno != Errno.EINTR.number()) {
          throw ErrnoException.of("sendto(" + name() + " to " + to + ")", errno);
        }
      }
    } finally {
      Reference.reachabilityFence(to);
    }
  }

  /**
   * Queues the {@code packet} buffer's remaining bytes (a copy) for {@code to}, to leave with the
   * others at the next {@link #flush}, and moves its position to its limit. Allocates nothing.
   *
   * @return false when {@link #MAX_BATCH} datagrams are queued already (nothing was queued: flush
   *     first)
   * @throws IllegalArgumentException for a datagram over {@link #BATCH_DATAGRAM_SIZE} bytes or a
   *     destination of the other family
   */
  public boolean queue(ByteBuffer packet, IpDestination to) {
    if (to.isIpv6() != ipv6) {
      throw new IllegalArgumentException(name() + " cannot send to " + to);
    }
    int length = packet.remaining();
    if (length > BATCH_DATAGRAM_SIZE) {
      throw new IllegalArgumentException(
          "a queued datagram holds at most " + BATCH_DATAGRAM_SIZE + " bytes, not " + length);
    }
    if (outQueued == batchSlots) {
      return false;
    }
    if (outBatch == null) {
      allocateOutBatch();
    }
    int i = outQueued++;
    int header = i * LibC.MMSGHDR_SIZE;
    int slot = SLOTS_AT + i * OUT_SLOT_SIZE;
    outBatch.put(slot + OUT_SLOT_DATA, packet, packet.position(), length);
    ByteAccess.putHost64(outBatch, slot + OUT_SLOT_IOVEC + LibC.IOVEC_LEN, length);
    ByteAccess.putHost64(outBatch, header + LibC.MSGHDR_NAME, to.sockaddrAddress);
    ByteAccess.putHost32(outBatch, header + LibC.MSGHDR_NAMELEN, to.sockaddrLength);
    outDestinations[i] = to; // keeps its sockaddr's memory alive until the slot is reused
    packet.position(packet.limit());
    return true;
  }

  /** {@return how many datagrams wait for the next {@link #flush}} */
  public int queued() {
    return outQueued;
  }

  /**
   * Sends every queued datagram with as few {@code sendmmsg(2)} calls as the kernel allows (one,
   * unless one is refused) and empties the queue. A datagram the kernel refuses never holds back
   * the ones after it; {@link #flushedErrno} tells each one's fate until the next {@link #queue}.
   * Allocates nothing.
   *
   * @return how many the kernel took
   * @throws IOException when the socket is closed
   */
  public int flush() throws IOException {
    int fd = requireOpen();
    int count = outQueued;
    int sent = 0;
    int at = 0;
    while (at < count) {
      int n = LibC.sendmmsg(fd, outBatchAddress + (long) at * LibC.MMSGHDR_SIZE, count - at, 0);
      if (n > 0) {
        for (int i = at; i < at + n; i++) {
          outErrno[i] = 0;
        }
        sent += n;
        at += n;
        continue;
      }
      int errno = Native.getLastError();
      if (n < 0 && errno == Errno.EINTR.number()) {
        continue;
      }
      // The datagram at {@code at} was refused (EAGAIN / ENOBUFS: the send buffer is full); the
      // kernel says so only for the first of a call, so the rest go in a call of their own.
      outErrno[at++] = n < 0 ? errno : Errno.EAGAIN.number();
    }
    outFlushed = count;
    outQueued = 0;
    return sent;
  }

  /**
   * {@return the errno the kernel refused datagram {@code index} of the last {@link #flush} with, 0
   * when it was sent}
   */
  public int flushedErrno(int index) {
    if (index < 0 || index >= outFlushed) {
      throw new IndexOutOfBoundsException("datagram " + index + " of a flush of " + outFlushed);
    }
    return outErrno[index];
  }

  /**
   * Queues datagram {@code index} of {@code other}'s last {@link #flush} here again, to the same
   * destination: a datagram its socket refused (say, its bound source address went away) may still
   * leave through this one. Call it before {@code other} queues again.
   *
   * @return false when this socket's queue is full
   */
  public boolean requeue(RawIpSocket other, int index) {
    if (index < 0 || index >= other.outFlushed) {
      throw new IndexOutOfBoundsException(
          "datagram " + index + " of a flush of " + other.outFlushed);
    }
    int slot = SLOTS_AT + index * OUT_SLOT_SIZE;
    int length =
        (int) ByteAccess.getHostLong(other.outBatch, slot + OUT_SLOT_IOVEC + LibC.IOVEC_LEN);
    ByteBuffer view = other.outBatch.duplicate();
    view.limit(slot + OUT_SLOT_DATA + length).position(slot + OUT_SLOT_DATA);
    return queue(view, other.outDestinations[index]);
  }

  /**
   * How many datagrams one batch holds at most, each way ({@link #receiveBatch}, {@link #queue}):
   * {@link #MAX_BATCH} unless set lower. Each slot costs 2-2.5 KiB of native memory per direction,
   * allocated at the first batch: a socket that serves one instance (a virtual MAC's) needs few,
   * and a thousand such sockets with 64 slots each exhausted the JVM's direct memory. A change
   * applies from the next batch on, and the queue must be empty.
   *
   * @param slots 1..{@link #MAX_BATCH}
   */
  public void setBatchSlots(int slots) {
    if (slots < 1 || slots > MAX_BATCH) {
      throw new IllegalArgumentException("slots must be in 1.." + MAX_BATCH + ", was " + slots);
    }
    if (outQueued > 0) {
      throw new IllegalStateException(outQueued + " datagrams are queued");
    }
    if (slots > batchSlots) {
      // Allocated again, larger, at the next batch; a smaller count keeps what is there. What the
      // old buffers held is gone with them.
      batch = null;
      batchCount = 0;
      outBatch = null;
      outFlushed = 0;
    }
    batchSlots = slots;
  }

  /** {@return how many datagrams one batch holds at most, each way} */
  public int batchSlots() {
    return batchSlots;
  }

  private void allocateOutBatch() {
    outBatch = LibC.allocate(SLOTS_AT + batchSlots * OUT_SLOT_SIZE);
    outBatchAddress = LibC.address(outBatch);
    for (int i = 0; i < batchSlots; i++) {
      int header = i * LibC.MMSGHDR_SIZE;
      long slot = outBatchAddress + SLOTS_AT + (long) i * OUT_SLOT_SIZE;
      ByteAccess.putHost64(outBatch, header + LibC.MSGHDR_IOV, slot + OUT_SLOT_IOVEC);
      ByteAccess.putHost64(outBatch, header + LibC.MSGHDR_IOVLEN, 1);
      ByteAccess.putHost64(
          outBatch,
          SLOTS_AT + i * OUT_SLOT_SIZE + OUT_SLOT_IOVEC + LibC.IOVEC_BASE,
          slot + OUT_SLOT_DATA);
    }
  }

  /** How many send buffers' addresses were asked of JNA so far (for tests). */
  long sendAddressLookups() {
    return sendBuffer.lookups();
  }

  /**
   * Receives one packet into {@code dst} at its position (advanced past what was stored) and
   * describes it in {@code meta}.
   *
   * @return false when no packet is waiting
   * @throws ErrnoException for a pending socket error (such as an ICMP error report)
   */
  public boolean receive(ByteBuffer dst, ReceivedDatagram meta) throws IOException {
    int fd = requireOpen();
    if (dst.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int start = dst.position();
    int room = dst.remaining();
    ByteBuffer data;
    int dataStart;
    long into;
    if (dst.isDirect()) {
      into = receiveBuffer.of(dst) + start;
      data = dst;
      dataStart = start;
    } else {
      if (receiveBounce == null) {
        receiveBounce = LibC.allocate(BOUNCE_SIZE);
        receiveBounceAddress = LibC.address(receiveBounce);
      }
      room = Math.min(room, BOUNCE_SIZE);
      into = receiveBounceAddress;
      data = receiveBounce;
      dataStart = 0;
    }
    long n;
    while (true) {
      ByteAccess.putHost64(rx, RX_IOVEC + LibC.IOVEC_BASE, into);
      ByteAccess.putHost64(rx, RX_IOVEC + LibC.IOVEC_LEN, room);
      ByteAccess.putHost32(rx, RX_MSGHDR + LibC.MSGHDR_NAMELEN, LibC.SOCKADDR_STORAGE_SIZE);
      ByteAccess.putHost64(rx, RX_MSGHDR + LibC.MSGHDR_CONTROLLEN, CONTROL_SIZE);
      ByteAccess.putHost32(rx, RX_MSGHDR + LibC.MSGHDR_FLAGS, 0);
      n = LibC.recvmsg(fd, rxAddress + RX_MSGHDR, LibC.MSG_TRUNC);
      if (n >= 0) {
        break;
      }
      int errno = Native.getLastError();
      if (errno == Errno.EAGAIN.number()) {
        return false;
      }
      if (errno != Errno.EINTR.number()) {
        throw ErrnoException.of("recvmsg(" + name() + ")", errno);
      }
    }
    int stored = (int) Math.min(n, room);
    // Asked with MSG_TRUNC, the kernel reports the datagram's real length even when cut off.
    int fullLength = (int) n;
    meta.reset(ipv6);
    readSource(rx, RX_NAME, meta);
    readControl(rx, RX_MSGHDR, RX_CONTROL, meta);
    if (data != dst) {
      dst.put(start, data, 0, stored);
    }
    dst.position(start + stored);
    if (ipv6) {
      meta.fillIpv6(dst, start, stored, fullLength, protocol);
    } else {
      meta.fillIpv4(dst, start, stored, fullLength);
    }
    return true;
  }

  /**
   * Receives up to {@code max} (1..{@link #MAX_BATCH}, and at most {@link #batchSlots()}) waiting
   * datagrams with one {@code recvmmsg(2)} call into the socket's own slots, keeping up to {@link
   * #BATCH_DATAGRAM_SIZE} bytes of each; read them with {@link #batched}. One system call instead
   * of one per datagram, and none to learn that the queue is empty when fewer than {@code max} came
   * back.
   *
   * @return how many were received, 0 when none was waiting
   * @throws ErrnoException for a pending socket error (such as an ICMP error report)
   */
  public int receiveBatch(int max) throws IOException {
    int fd = requireOpen();
    if (max < 1 || max > MAX_BATCH) {
      throw new IllegalArgumentException("max must be in 1.." + MAX_BATCH + ", was " + max);
    }
    max = Math.min(max, batchSlots);
    if (batch == null) {
      allocateBatch();
    }
    for (int i = 0; i < max; i++) {
      int header = i * LibC.MMSGHDR_SIZE;
      int slot = SLOTS_AT + i * SLOT_SIZE;
      ByteAccess.putHost64(batch, slot + SLOT_IOVEC + LibC.IOVEC_LEN, BATCH_DATAGRAM_SIZE);
      ByteAccess.putHost32(batch, header + LibC.MSGHDR_NAMELEN, LibC.SOCKADDR_STORAGE_SIZE);
      ByteAccess.putHost64(batch, header + LibC.MSGHDR_CONTROLLEN, CONTROL_SIZE);
      ByteAccess.putHost32(batch, header + LibC.MSGHDR_FLAGS, 0);
    }
    while (true) {
      int n = LibC.recvmmsg(fd, batchAddress, max, LibC.MSG_TRUNC, 0);
      if (n >= 0) {
        batchCount = n;
        return n;
      }
      int errno = Native.getLastError();
      if (errno == Errno.EAGAIN.number()) {
        batchCount = 0;
        return 0;
      }
      if (errno != Errno.EINTR.number()) {
        throw ErrnoException.of("recvmmsg(" + name() + ")", errno);
      }
    }
  }

  /**
   * Stores datagram {@code index} of the last {@link #receiveBatch} in {@code dst} at its position
   * (advanced past what was stored) and describes it in {@code meta}, as {@link #receive} does.
   */
  public void batched(int index, ByteBuffer dst, ReceivedDatagram meta) {
    if (index < 0 || index >= batchCount) {
      throw new IndexOutOfBoundsException(
          "datagram " + index + " of a batch of " + batchCount + " received");
    }
    int header = index * LibC.MMSGHDR_SIZE;
    int slot = SLOTS_AT + index * SLOT_SIZE;
    // Asked with MSG_TRUNC, the kernel reports each datagram's real length even when cut off.
    int fullLength = ByteAccess.getHostInt(batch, header + LibC.MMSGHDR_LEN);
    int stored = Math.min(Math.min(fullLength, BATCH_DATAGRAM_SIZE), dst.remaining());
    int start = dst.position();
    dst.put(start, batch, slot + SLOT_DATA, stored);
    dst.position(start + stored);
    meta.reset(ipv6);
    readSource(batch, slot + SLOT_NAME, meta);
    readControl(batch, header, slot + SLOT_CONTROL, meta);
    if (ipv6) {
      meta.fillIpv6(dst, start, stored, fullLength, protocol);
    } else {
      meta.fillIpv4(dst, start, stored, fullLength);
    }
  }

  private void allocateBatch() {
    batch = LibC.allocate(SLOTS_AT + batchSlots * SLOT_SIZE);
    batchAddress = LibC.address(batch);
    for (int i = 0; i < batchSlots; i++) {
      int header = i * LibC.MMSGHDR_SIZE;
      long slot = batchAddress + SLOTS_AT + (long) i * SLOT_SIZE;
      ByteAccess.putHost64(batch, header + LibC.MSGHDR_NAME, slot + SLOT_NAME);
      ByteAccess.putHost64(batch, header + LibC.MSGHDR_IOV, slot + SLOT_IOVEC);
      ByteAccess.putHost64(batch, header + LibC.MSGHDR_IOVLEN, 1);
      ByteAccess.putHost64(batch, header + LibC.MSGHDR_CONTROL, slot + SLOT_CONTROL);
      ByteAccess.putHost64(
          batch, SLOTS_AT + i * SLOT_SIZE + SLOT_IOVEC + LibC.IOVEC_BASE, slot + SLOT_DATA);
    }
  }

  private static void readSource(ByteBuffer block, int nameAt, ReceivedDatagram meta) {
    int family = ByteAccess.getHostU16(block, nameAt);
    if (family == LibC.AF_INET6) {
      block.get(nameAt + LibC.SOCKADDR_IN6_ADDR, meta.sourceArray(), 0, 16);
    } else if (family == LibC.AF_INET) {
      block.get(nameAt + LibC.SOCKADDR_IN_ADDR, meta.sourceArray(), 0, 4);
    }
  }

  /** Walks the control messages the kernel wrote ({@code CMSG_FIRSTHDR} / {@code CMSG_NXTHDR}). */
  private void readControl(ByteBuffer block, int msghdrAt, int controlAt, ReceivedDatagram meta) {
    long controlLength = ByteAccess.getHostLong(block, msghdrAt + LibC.MSGHDR_CONTROLLEN);
    int end = controlAt + (int) Math.min(controlLength, CONTROL_SIZE);
    int at = controlAt;
    while (end - at >= LibC.CMSGHDR_SIZE) {
      long cmsgLength = ByteAccess.getHostLong(block, at);
      if (cmsgLength < LibC.CMSGHDR_SIZE || cmsgLength > end - at) {
        return;
      }
      int level = ByteAccess.getHostInt(block, at + LibC.CMSGHDR_LEVEL);
      int type = ByteAccess.getHostInt(block, at + LibC.CMSGHDR_TYPE);
      int data = at + LibC.CMSGHDR_SIZE;
      int dataLength = (int) cmsgLength - LibC.CMSGHDR_SIZE;
      if (level == LibC.IPPROTO_IP
          && type == LibC.IP_PKTINFO
          && dataLength >= LibC.IN_PKTINFO_SIZE) {
        meta.setIfindex(ByteAccess.getHostInt(block, data + LibC.IN_PKTINFO_IFINDEX));
        block.get(data + LibC.IN_PKTINFO_ADDR, meta.destinationArray(), 0, 4);
        meta.setDestinationKnown();
      } else if (level == LibC.IPPROTO_IPV6
          && type == LibC.IPV6_PKTINFO
          && dataLength >= LibC.IN6_PKTINFO_SIZE) {
        block.get(data + LibC.IN6_PKTINFO_ADDR, meta.destinationArray(), 0, 16);
        meta.setIfindex(ByteAccess.getHostInt(block, data + LibC.IN6_PKTINFO_IFINDEX));
        meta.setDestinationKnown();
      } else if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_HOPLIMIT && dataLength >= 4) {
        meta.setHopLimit(ByteAccess.getHostInt(block, data));
      } else if (level == LibC.SOL_SOCKET && type == LibC.SO_RXQ_OVFL && dataLength >= 4) {
        // The kernel's running total for this socket, an unsigned 32-bit counter.
        receiveQueueDrops = ByteAccess.getHostInt(block, data) & 0xFFFFFFFFL;
      }
      at += align(cmsgLength);
    }
  }

  private static int align(long cmsgLength) {
    return (int) ((cmsgLength + LibC.CMSG_ALIGN - 1) & ~(LibC.CMSG_ALIGN - 1));
  }

  private void membership(InetAddress group, int ifindex, boolean join) throws IOException {
    requireOpen();
    requireFamily(group);
    if (!group.isMulticastAddress()) {
      throw new IllegalArgumentException(AddressText.of(group) + " is not a multicast group");
    }
    String what = (join ? "join " : "leave ") + AddressText.of(group) + " on ifindex " + ifindex;
    if (ipv6) {
      ByteBuffer mreq = LibC.allocate(LibC.IPV6_MREQ_SIZE);
      mreq.put(0, group.getAddress());
      ByteAccess.putHost32(mreq, LibC.IPV6_MREQ_IFINDEX, ifindex);
      setOption(
          LibC.IPPROTO_IPV6,
          join ? LibC.IPV6_ADD_MEMBERSHIP : LibC.IPV6_DROP_MEMBERSHIP,
          mreq,
          LibC.IPV6_MREQ_SIZE,
          what);
    } else {
      ByteBuffer mreqn = LibC.allocate(LibC.IP_MREQN_SIZE);
      mreqn.put(0, group.getAddress());
      ByteAccess.putHost32(mreqn, LibC.IP_MREQN_IFINDEX, ifindex);
      setOption(
          LibC.IPPROTO_IP,
          join ? LibC.IP_ADD_MEMBERSHIP : LibC.IP_DROP_MEMBERSHIP,
          mreqn,
          LibC.IP_MREQN_SIZE,
          what);
    }
  }

  private void requireFamily(InetAddress address) {
    boolean matches = ipv6 ? address instanceof Inet6Address : address instanceof Inet4Address;
    if (!matches) {
      throw new IllegalArgumentException(name() + " cannot use " + AddressText.of(address));
    }
  }
}
