package org.failover4j.netlink;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.MalformedPacketException;

/**
 * An {@code AF_NETLINK} socket for any netlink protocol ({@link Netlink#NETLINK_ROUTE}, {@link
 * Netlink#NETLINK_XFRM}, ...). It is the generic layer: families build their messages with {@link
 * NetlinkMessageWriter} and read replies through {@link NetlinkMessage}.
 *
 * <p>Two ways to use it:
 *
 * <ul>
 *   <li>Requests: {@link #request} and {@link #dump} send one message with the next sequence
 *       number, hand every reply with that number to a handler, and return at the acknowledgement
 *       or {@code NLMSG_DONE}; a kernel error becomes an {@link ErrnoException} with the errno and
 *       the extended-ack message. Replies to earlier, abandoned requests are skipped.
 *   <li>Events: bind to multicast groups ({@link #open(int, int)} with a bind mask, or {@link
 *       #joinGroup}), register with a {@link PollEventLoop} and {@link #receive} datagrams when
 *       readable. A receive queue overflow raises {@link EventsLostException} instead of losing
 *       events silently.
 * </ul>
 *
 * <p>The socket is non-blocking and close-on-exec, and asks the kernel for extended
 * acknowledgements. It belongs to the network namespace of the thread that opened it. Its methods
 * are safe to call from several threads but serialize; use separate sockets for requests and for
 * events.
 */
public final class NetlinkSocket extends NativeSocket {

  /** Big enough for any datagram the kernel builds for netlink (dumps use at most 32 KiB). */
  private static final int REPLY_BUFFER_SIZE = 64 * 1024;

  /** Room for 8192 groups, far more than any netlink protocol has. */
  private static final int MAX_MEMBERSHIP_BYTES = 1024;

  private static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);

  private final int protocol;
  private final int portId;
  private final ByteBuffer address = LibC.allocate(LibC.SOCKADDR_NL_SIZE + 4);
  private final long addressAddress = LibC.address(address);
  private final ByteBuffer replies = LibC.allocate(REPLY_BUFFER_SIZE);
  private final long repliesAddress = LibC.address(replies);
  private final DirectAddress callerBuffer = new DirectAddress();
  private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
  private final NetlinkAttributes ackAttributes = new NetlinkAttributes();
  private final ReadWait readWait = new ReadWait();
  private int sequence;
  private long replyTimeoutNanos = DEFAULT_REPLY_TIMEOUT.toNanos();
  private int lastSourcePortId;
  private int lastSourceGroups;

  private NetlinkSocket(int fd, int protocol, int groupMask) throws ErrnoException {
    super(fd, "netlink protocol " + protocol);
    this.protocol = protocol;
    try {
      try {
        setIntOption(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
      } catch (ErrnoException e) {
        // Kernels before 4.12 have no extended acknowledgements: errors still carry errno.
      }
      fillAddress(0, groupMask);
      bindTo(address, LibC.SOCKADDR_NL_SIZE, "groups 0x" + Integer.toHexString(groupMask));
      ByteAccess.putHost32(address, LibC.SOCKADDR_NL_SIZE, LibC.SOCKADDR_NL_SIZE);
      if (LibC.getsockname(fd, addressAddress, addressAddress + LibC.SOCKADDR_NL_SIZE) != 0) {
        throw ErrnoException.of("getsockname(" + name() + ")", Native.getLastError());
      }
      this.portId = ByteAccess.getHostInt(address, LibC.SOCKADDR_NL_PID);
    } catch (ErrnoException | RuntimeException e) {
      releaseDescriptor();
      throw e;
    }
    this.sequence = 0;
  }

  /**
   * Opens a socket for {@code protocol} that joins no multicast group.
   *
   * @param protocol the netlink protocol, such as {@code NETLINK_ROUTE}
   * @return the socket
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public static NetlinkSocket open(int protocol) throws IOException {
    return open(protocol, 0);
  }

  /**
   * Opens a socket for {@code protocol} bound to the multicast groups in {@code groupMask} (bit
   * {@code n-1} for group {@code n}, see {@link Netlink#groupMask}); groups above 32 need {@link
   * #joinGroup}.
   *
   * @param protocol the netlink protocol, such as {@code NETLINK_ROUTE}
   * @param groupMask the groups to bind to, one bit per group
   * @return the socket
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public static NetlinkSocket open(int protocol, int groupMask) throws IOException {
    int fd = open(LibC.AF_NETLINK, LibC.SOCK_RAW, protocol, "AF_NETLINK protocol " + protocol);
    return new NetlinkSocket(fd, protocol, groupMask);
  }

  /** {@return the netlink protocol this socket speaks} */
  public int protocol() {
    return protocol;
  }

  /** {@return the port id the kernel assigned ({@code nl_pid}); replies to this socket carry it} */
  public int portId() {
    return portId;
  }

  /**
   * Joins multicast group {@code group} ({@code NETLINK_ADD_MEMBERSHIP}; any group number).
   *
   * @param group the group number
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public void joinGroup(int group) throws IOException {
    requireOpen();
    setIntOption(
        LibC.SOL_NETLINK, LibC.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
  }

  /**
   * Leaves multicast group {@code group} ({@code NETLINK_DROP_MEMBERSHIP}).
   *
   * @param group the group number
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public void leaveGroup(int group) throws IOException {
    requireOpen();
    setIntOption(
        LibC.SOL_NETLINK, LibC.NETLINK_DROP_MEMBERSHIP, group, "NETLINK_DROP_MEMBERSHIP " + group);
  }

  /**
   * {@return the multicast groups this socket belongs to, whether bound with a mask or joined
   * ({@code NETLINK_LIST_MEMBERSHIPS}, Linux 4.2+), in ascending order}
   *
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public SortedSet<Integer> memberships() throws IOException {
    requireOpen();
    // The kernel writes one bit per group of the protocol (32-bit words, bit n-1 for group n)
    // and reports the length it needed; rtnetlink has fewer than 64 groups, so this loops once.
    int size = 16;
    while (true) {
      ByteBuffer bitmap = LibC.allocate(size);
      int needed = getOption(LibC.SOL_NETLINK, LibC.NETLINK_LIST_MEMBERSHIPS, bitmap, "groups");
      if (needed > size) {
        if (needed > MAX_MEMBERSHIP_BYTES) {
          throw new IOException("NETLINK_LIST_MEMBERSHIPS needs " + needed + " bytes");
        }
        size = needed;
        continue;
      }
      SortedSet<Integer> groups = new TreeSet<>();
      for (int word = 0; word + 4 <= needed; word += 4) {
        int bits = ByteAccess.getHostInt(bitmap, word);
        for (int bit = 0; bit < 32; bit++) {
          if ((bits & (1 << bit)) != 0) {
            groups.add(word * 8 + bit + 1);
          }
        }
      }
      return Collections.unmodifiableSortedSet(groups);
    }
  }

  /**
   * Asks for a receive buffer of {@code bytes}: event sockets need room for bursts, or the kernel
   * drops events ({@link EventsLostException}). Beyond {@code net.core.rmem_max} this needs
   * CAP_NET_ADMIN.
   *
   * @param bytes the buffer size to ask for
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public void setReceiveBufferSize(int bytes) throws IOException {
    requireOpen();
    setReceiveBuffer(bytes);
  }

  /**
   * Reads every datagram waiting on this (multicast, non-blocking) socket into {@code buffer} and
   * hands its messages to {@code handler}, until none is left: the read loop every event subscriber
   * (links, addresses, XFRM aevents) shares. {@code cursor} is reused; nothing is allocated.
   *
   * @param buffer the receive buffer
   * @param cursor the cursor to reuse for each datagram
   * @param handler told of each message
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public void drainEvents(
      ByteBuffer buffer, NetlinkMessageCursor cursor, NetlinkEventHandler handler)
      throws IOException {
    while (true) {
      int received;
      try {
        received = receive(buffer.clear());
      } catch (EventsLostException e) {
        handler.eventsLost();
        continue;
      }
      if (received == 0) {
        return;
      }
      try {
        cursor.wrap(buffer, 0, received);
        while (cursor.next()) {
          handler.message(cursor.message());
        }
      } catch (MalformedPacketException e) {
        handler.malformed(e);
      }
    }
  }

  /**
   * {@return the receive buffer the kernel granted, in bytes (twice what was asked, for
   * bookkeeping)}
   *
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public int receiveBufferSize() throws IOException {
    requireOpen();
    return receiveBuffer();
  }

  /**
   * How long {@link #request} and {@link #dump} wait for the kernel (default 5 s).
   *
   * @param timeout the timeout
   */
  public synchronized void setReplyTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("reply timeout must be positive, was " + timeout);
    }
    this.replyTimeoutNanos = timeout.toNanos();
  }

  /** {@return the next sequence number (never 0, which events use)} */
  public synchronized int nextSequence() {
    sequence++;
    if (sequence == 0) {
      sequence = 1;
    }
    return sequence;
  }

  /**
   * Sends one request and waits for its acknowledgement, handing any data replies (such as the
   * answer to a GET for one object) to {@code handler}. Sets {@code NLM_F_REQUEST | NLM_F_ACK}, the
   * sequence number and port id 0 in the message, which is the {@code request} buffer's remaining
   * bytes.
   *
   * @param request the request message, between position and limit
   * @param handler told of each message
   * @param operation names the request in error messages, such as {@code RTM_NEWADDR 192.0.2.1/24}
   * @throws ErrnoException the kernel's error, with its extended-ack message when present
   * @throws SocketTimeoutException when no acknowledgement came within the reply timeout
   */
  public synchronized void request(
      String operation, ByteBuffer request, NetlinkReplyHandler handler) throws IOException {
    transact(operation, request, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, false, handler);
  }

  /** Told of each request of a {@link #requestAll} batch that the kernel refused. */
  @FunctionalInterface
  public interface RefusalHandler {
    /**
     * The kernel refused request {@code index} of the batch.
     *
     * @param index the request's place in the batch, from 0
     * @param error the kernel's error, named by the batch's operation for that request
     */
    void refused(int index, ErrnoException error);
  }

  /**
   * Sends every request in {@code requests} (whole messages, back to back between position and
   * limit) in one datagram, each with the next sequence number and {@code NLM_F_REQUEST |
   * NLM_F_ACK}, then collects one acknowledgement per request. The kernel carries out each request
   * on its own, so one refused never stops the others: each refusal reaches {@code refused}, in the
   * order the acknowledgements come. Keep a batch small enough that its acknowledgements fit the
   * receive buffer (a few dozen requests).
   *
   * @param requests the messages, between position and limit
   * @param operation names request {@code i} in error messages, such as {@code RTM_NEWADDR ...}
   * @param refused told of each refused request
   * @return how many requests were refused
   * @throws SocketTimeoutException when not every acknowledgement came within the reply timeout
   * @throws IOException when the datagram itself was refused (then no request was carried out)
   */
  public synchronized int requestAll(
      ByteBuffer requests, IntFunction<String> operation, RefusalHandler refused)
      throws IOException {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(refused, "refused");
    int fd = requireOpen();
    int[] sequences = stampRequests(requests);
    boolean[] answered = new boolean[sequences.length];
    int pending = sequences.length;
    int refusals = 0;
    sendTo(requests, 0);

    long deadline = System.nanoTime() + replyTimeoutNanos;
    while (pending > 0) {
      int received = receiveInto(fd, repliesAddress, REPLY_BUFFER_SIZE);
      if (received < 0) {
        if (!readWait.await(fd, deadline, name())) {
          throw new SocketTimeoutException(
              pending
                  + " of "
                  + sequences.length
                  + " requests unanswered within "
                  + Duration.ofNanos(replyTimeoutNanos)
                  + ", the first: "
                  + operation.apply(0));
        }
        continue;
      }
      if (received > REPLY_BUFFER_SIZE) {
        throw new IOException("reply of " + received + " bytes exceeds " + REPLY_BUFFER_SIZE);
      }
      cursor.wrap(replies, 0, received);
      while (cursor.next()) {
        NetlinkMessage reply = cursor.message();
        int index = indexOf(sequences, reply.sequence());
        if (index < 0
            || answered[index]
            || reply.type() != Netlink.NLMSG_ERROR
            || (reply.portId() != portId && reply.portId() != 0)) {
          continue; // an event, the rest of an abandoned request, or a data reply
        }
        answered[index] = true;
        pending--;
        int code = reply.errorCode();
        if (code < 0) {
          refusals++;
          refused.refused(
              index, ErrnoException.of(operation.apply(index), -code, ackMessage(reply)));
        }
      }
    }
    return refusals;
  }

  /** Numbers every message of a batch and asks for its acknowledgement; returns the numbers. */
  private int[] stampRequests(ByteBuffer requests) {
    int count = 0;
    int end = requests.limit();
    for (int at = requests.position(); at < end; count++) {
      int length = end - at >= Netlink.HEADER_LENGTH ? ByteAccess.getHostInt(requests, at) : 0;
      if (length < Netlink.HEADER_LENGTH || length > end - at) {
        throw new IllegalArgumentException(
            "request " + count + " of the batch is cut short at byte " + at);
      }
      at += Netlink.align(length);
    }
    if (count == 0) {
      throw new IllegalArgumentException("an empty batch");
    }
    int[] sequences = new int[count];
    int at = requests.position();
    for (int i = 0; i < count; i++) {
      sequences[i] = nextSequence();
      int flags = ByteAccess.getHostU16(requests, at + NetlinkMessage.FLAGS_OFFSET);
      ByteAccess.putHost16(
          requests,
          at + NetlinkMessage.FLAGS_OFFSET,
          flags | Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
      ByteAccess.putHost32(requests, at + NetlinkMessage.SEQUENCE_OFFSET, sequences[i]);
      ByteAccess.putHost32(requests, at + NetlinkMessage.PORT_ID_OFFSET, 0);
      at += Netlink.align(ByteAccess.getHostInt(requests, at));
    }
    return sequences;
  }

  private static int indexOf(int[] sequences, int sequence) {
    for (int i = 0; i < sequences.length; i++) {
      if (sequences[i] == sequence) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Sends one dump request ({@code NLM_F_REQUEST | NLM_F_DUMP} are set) and hands every part of the
   * multipart reply to {@code handler} until {@code NLMSG_DONE}.
   *
   * @param request the request message, between position and limit
   * @param handler told of each message
   * @param operation names the request in error messages, such as {@code RTM_NEWADDR 192.0.2.1/24}
   * @throws DumpInterruptedException when the kernel flagged the dump as inconsistent (after all
   *     parts were handed over); dumping again usually succeeds
   * @throws ErrnoException the kernel's error, with its extended-ack message when present
   */
  public synchronized void dump(String operation, ByteBuffer request, NetlinkReplyHandler handler)
      throws IOException {
    transact(operation, request, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, true, handler);
  }

  /**
   * Sends the {@code messages} buffer's remaining bytes to the kernel as they are (one datagram,
   * one or more messages) and moves its position to its limit.
   *
   * @param messages the messages, between position and limit
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public synchronized void send(ByteBuffer messages) throws IOException {
    sendTo(messages, 0);
  }

  /**
   * Sends the {@code messages} buffer's remaining bytes to multicast group {@code group} (1..32) as
   * well as to the kernel, as {@code sendto} with {@code nl_groups} does. Needs CAP_NET_ADMIN for
   * most protocols.
   *
   * @param messages the messages, between position and limit
   * @param group the group number
   * @throws IOException when the kernel refuses, or does not answer in time
   */
  public synchronized void multicast(ByteBuffer messages, int group) throws IOException {
    sendTo(messages, Netlink.groupMask(group));
  }

  /**
   * Receives one datagram into {@code dst} at its position and advances the position past it.
   * Allocates nothing when {@code dst} is direct.
   *
   * @param dst the buffer to receive into
   * @return the datagram's length, or 0 when none is waiting
   * @throws EventsLostException when the kernel dropped messages for this socket (queue overflow)
   * @throws IOException when the datagram did not fit in {@code dst}
   */
  public synchronized int receive(ByteBuffer dst) throws IOException {
    int fd = requireOpen();
    if (dst.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int room = dst.remaining();
    boolean direct = dst.isDirect();
    long into = direct ? callerBuffer.of(dst) + dst.position() : repliesAddress;
    int capacity = direct ? room : Math.min(room, REPLY_BUFFER_SIZE);
    int received = receiveInto(fd, into, capacity);
    if (received < 0) {
      return 0;
    }
    if (received > capacity) {
      throw new IOException(
          "netlink datagram of "
              + received
              + " bytes truncated to the "
              + capacity
              + " bytes left in the buffer");
    }
    if (!direct) {
      dst.put(dst.position(), replies, 0, received);
    }
    dst.position(dst.position() + received);
    return received;
  }

  /** {@return the sender port id of the last datagram {@link #receive} returned (0: the kernel)} */
  public synchronized int lastSourcePortId() {
    return lastSourcePortId;
  }

  /**
   * {@return the multicast groups (bind mask) the last received datagram was sent to (0: unicast)}
   */
  public synchronized int lastSourceGroups() {
    return lastSourceGroups;
  }

  private void transact(
      String operation, ByteBuffer request, int addFlags, boolean dump, NetlinkReplyHandler handler)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    int fd = requireOpen();
    int start = request.position();
    int length = request.remaining();
    if (length < Netlink.HEADER_LENGTH || ByteAccess.getHostInt(request, start) != length) {
      throw new IllegalArgumentException(
          operation + ": the buffer must hold exactly one message, has " + length + " bytes");
    }
    int seq = nextSequence();
    int flags = ByteAccess.getHostU16(request, start + NetlinkMessage.FLAGS_OFFSET);
    ByteAccess.putHost16(request, start + NetlinkMessage.FLAGS_OFFSET, flags | addFlags);
    ByteAccess.putHost32(request, start + NetlinkMessage.SEQUENCE_OFFSET, seq);
    ByteAccess.putHost32(request, start + NetlinkMessage.PORT_ID_OFFSET, 0);
    sendTo(request, 0);

    long deadline = System.nanoTime() + replyTimeoutNanos;
    boolean interrupted = false;
    while (true) {
      int received = receiveInto(fd, repliesAddress, REPLY_BUFFER_SIZE);
      if (received < 0) {
        if (!readWait.await(fd, deadline, name())) {
          throw new SocketTimeoutException(
              operation
                  + ": no reply from the kernel within "
                  + Duration.ofNanos(replyTimeoutNanos));
        }
        continue;
      }
      if (received > REPLY_BUFFER_SIZE) {
        throw new IOException(
            operation + ": reply of " + received + " bytes exceeds " + REPLY_BUFFER_SIZE);
      }
      cursor.wrap(replies, 0, received);
      while (cursor.next()) {
        NetlinkMessage reply = cursor.message();
        // Some families (XFRM's GETAE) echo the request's nlmsg_pid, which is 0, in the reply.
        if (reply.sequence() != seq || (reply.portId() != portId && reply.portId() != 0)) {
          continue; // an event or the rest of an abandoned request
        }
        int type = reply.type();
        if (type == Netlink.NLMSG_ERROR || type == Netlink.NLMSG_DONE) {
          interrupted |= reply.hasFlags(Netlink.NLM_F_DUMP_INTR);
          int code = reply.errorCode();
          if (code < 0) {
            throw ErrnoException.of(operation, -code, ackMessage(reply));
          }
          if (type == Netlink.NLMSG_ERROR || dump) {
            if (interrupted) {
              throw new DumpInterruptedException(operation);
            }
            return;
          }
        } else if (type >= Netlink.NLMSG_MIN_TYPE) {
          interrupted |= reply.hasFlags(Netlink.NLM_F_DUMP_INTR);
          handler.onReply(reply);
        }
      }
    }
  }

  private String ackMessage(NetlinkMessage reply) {
    try {
      return reply.extendedAckMessage(ackAttributes);
    } catch (MalformedPacketException e) {
      return null; // the errno alone still says what failed
    }
  }

  /** One recvfrom with EINTR retried: the datagram's full length, or -1 when none is waiting. */
  private int receiveInto(int fd, long into, int capacity) throws ErrnoException {
    while (true) {
      ByteAccess.putHost32(address, LibC.SOCKADDR_NL_SIZE, LibC.SOCKADDR_NL_SIZE);
      long n =
          LibC.recvfrom(
              fd,
              into,
              capacity,
              LibC.MSG_TRUNC,
              addressAddress,
              addressAddress + LibC.SOCKADDR_NL_SIZE);
      if (n >= 0) {
        lastSourcePortId = ByteAccess.getHostInt(address, LibC.SOCKADDR_NL_PID);
        lastSourceGroups = ByteAccess.getHostInt(address, LibC.SOCKADDR_NL_GROUPS);
        return (int) n;
      }
      int errno = Native.getLastError();
      if (errno == Errno.EAGAIN.number()) {
        return -1;
      }
      if (errno == Errno.ENOBUFS.number()) {
        throw new EventsLostException("recvfrom(" + name() + ")");
      }
      if (errno != Errno.EINTR.number()) {
        throw ErrnoException.of("recvfrom(" + name() + ")", errno);
      }
    }
  }

  private void sendTo(ByteBuffer messages, int groups) throws IOException {
    int fd = requireOpen();
    int length = messages.remaining();
    long from;
    if (messages.isDirect()) {
      from = callerBuffer.of(messages) + messages.position();
    } else {
      if (length > REPLY_BUFFER_SIZE) {
        throw new IOException(
            "netlink message of " + length + " bytes exceeds " + REPLY_BUFFER_SIZE);
      }
      replies.put(0, messages, messages.position(), length);
      from = repliesAddress;
    }
    fillAddress(0, groups);
    while (true) {
      long n = LibC.sendto(fd, from, length, 0, addressAddress, LibC.SOCKADDR_NL_SIZE);
      if (n >= 0) {
        messages.position(messages.limit());
        return;
      }
      int errno = Native.getLastError();
      if (errno != Errno.EINTR.number()) {
        throw ErrnoException.of("sendto(" + name() + ")", errno);
      }
    }
  }

  private void fillAddress(int pid, int groups) {
    for (int i = 0; i < LibC.SOCKADDR_NL_SIZE; i++) {
      address.put(i, (byte) 0);
    }
    ByteAccess.putHost16(address, 0, LibC.AF_NETLINK);
    ByteAccess.putHost32(address, LibC.SOCKADDR_NL_PID, pid);
    ByteAccess.putHost32(address, LibC.SOCKADDR_NL_GROUPS, groups);
  }
}
