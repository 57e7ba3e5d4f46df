package org.failover4j.xfrm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.failover4j.netlink.InvalidArgumentException;
import org.failover4j.netlink.Netlink;
import org.failover4j.netlink.NetlinkSocket;
import org.failover4j.netlink.NoSuchEntryException;
import org.failover4j.netlink.PermissionDeniedException;
import org.failover4j.netlink.PollEventLoop;

/**
 * Reads and sets IPsec SAs' replay and lifetime state through the kernel's XFRM netlink interface,
 * and subscribes to its async events. Implements {@link SaKernel}, the small interface SA sync
 * uses.
 *
 * <p>Kernel errors come back as specific exceptions: {@link NoSuchSaException} (ESRCH, with the
 * kernel's {@link NoSuchEntryException} as its cause) when no SA matches, {@link
 * InvalidArgumentException} (EINVAL) when the kernel rejects the request (for a NEWAE: no value
 * attribute, or an ESN bitmap that does not match the SA's), {@link PermissionDeniedException}
 * (EPERM) without CAP_NET_ADMIN; other errnos as {@link org.failover4j.netlink.ErrnoException}.
 *
 * <p>The client works in the network namespace of the thread that opened it. Its methods are
 * thread-safe (they serialize on the request socket).
 */
public final class XfrmAeventClient implements SaKernel, AutoCloseable {

  private final NetlinkSocket socket;
  private final AeventCodec codec = new AeventCodec();
  private final ByteBuffer request =
      ByteBuffer.allocateDirect(AeventCodec.MAX_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());

  private XfrmAeventClient(NetlinkSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens a client for the calling thread's network namespace.
   *
   * @return the client
   * @throws IOException when the kernel refuses or does not answer
   */
  public static XfrmAeventClient open() throws IOException {
    return new XfrmAeventClient(NetlinkSocket.open(Netlink.NETLINK_XFRM));
  }

  /**
   * How long a request waits for the kernel (default 5 s).
   *
   * @param timeout the reply timeout
   */
  public void setReplyTimeout(Duration timeout) {
    socket.setReplyTimeout(timeout);
  }

  /**
   * GETAE: the state of SA {@code sa}, with the replay and expiry-timer thresholds when {@code
   * wants} holds {@link AeFlag#RTHR} / {@link AeFlag#ETHR}.
   *
   * @param sa the SA
   * @param wants the thresholds to report
   * @return the SA's state
   * @throws NoSuchSaException when no such SA exists
   */
  public Aevent getAe(SaId sa, Set<AeFlag> wants) throws IOException {
    return getAe(sa, null, wants);
  }

  /**
   * GETAE for an SA that has a mark ({@code mark} null: none).
   *
   * @throws NoSuchSaException when no such SA exists
   */
  @Override
  public synchronized Aevent getAe(SaId sa, XfrmMark mark, Set<AeFlag> wants) throws IOException {
    Objects.requireNonNull(sa, "sa");
    Aevent query = Aevent.builder(sa).flags(wants).mark(mark).build();
    codec.encode(query, Xfrm.XFRM_MSG_GETAE, 0, 0, 0, request.clear());
    Aevent[] answer = new Aevent[1];
    try {
      socket.request(
          "XFRM_MSG_GETAE " + sa,
          request.flip(),
          reply -> {
            if (reply.type() == Xfrm.XFRM_MSG_NEWAE) {
              answer[0] = codec.decode(reply);
            }
          });
    } catch (NoSuchEntryException e) {
      throw new NoSuchSaException(sa, e);
    }
    if (answer[0] == null) {
      throw new IOException("XFRM_MSG_GETAE " + sa + ": acknowledged without an answer");
    }
    return answer[0];
  }

  /**
   * NEWAE with {@code NLM_F_REPLACE}: sets the replay state, ESN state, lifetime counters and
   * thresholds that {@code values} carries on the SA {@code values.sa()} (and {@code
   * values.mark()}), and waits for the kernel's acknowledgement. The kernel then multicasts a
   * {@link AeFlag#CU} event.
   *
   * @throws NoSuchSaException when no such SA exists
   * @throws InvalidArgumentException when {@code values} carries no value, or an ESN state whose
   *     bitmap length differs from the SA's
   */
  @Override
  public synchronized void setAe(Aevent values) throws IOException {
    Objects.requireNonNull(values, "values");
    codec.encode(values, Xfrm.XFRM_MSG_NEWAE, Netlink.NLM_F_REPLACE, 0, 0, request.clear());
    try {
      socket.request("XFRM_MSG_NEWAE " + values.sa(), request.flip(), reply -> {});
    } catch (NoSuchEntryException e) {
      throw new NoSuchSaException(values.sa(), e);
    }
  }

  /**
   * Joins the aevents group, and the SA and expiry groups for deletions, on a socket of its own, in
   * the calling thread's network namespace, and hands events to {@code listener} on {@code loop}'s
   * thread. Needs CAP_NET_ADMIN.
   *
   * @param loop the event loop that receives the events
   * @param listener the listener, called on the loop
   * @return the subscription; closing it leaves the group
   * @throws IOException when the kernel refuses or does not answer
   */
  public AeventSubscription subscribe(PollEventLoop loop, AeventListener listener)
      throws IOException {
    return AeventSubscription.open(loop, listener, AeventSubscription.DEFAULT_RECEIVE_BUFFER);
  }

  /**
   * Like {@link #subscribe(PollEventLoop, AeventListener)} with a chosen receive buffer.
   *
   * @param loop the event loop that receives the events
   * @param listener the listener, called on the loop
   * @param receiveBufferBytes the socket's receive buffer in bytes
   * @return the subscription; closing it leaves the group
   * @throws IOException when the kernel refuses or does not answer
   */
  public AeventSubscription subscribe(
      PollEventLoop loop, AeventListener listener, int receiveBufferBytes) throws IOException {
    return AeventSubscription.open(loop, listener, receiveBufferBytes);
  }

  /**
   * {@return the namespace's system-wide thresholds ({@code net.core.xfrm_aevent_*})}
   *
   * @throws IOException when the kernel refuses or does not answer
   */
  public AeventSysctls sysctls() throws IOException {
    return AeventSysctls.read();
  }

  /** Closes the request socket (subscriptions have their own and stay open). */
  @Override
  public void close() {
    socket.close();
  }
}
