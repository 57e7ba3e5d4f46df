package org.failover4j.ipvs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.ThreadEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPVS connection sync over multicast UDP: a master sends its connections, a backup keeps a {@link
 * ConnectionTable} of the master's, and the role decides which this node is.
 *
 * <pre>{@code
 * IpvsSyncChannel sync = IpvsSyncChannel.open(SyncConfig.builder()
 *     .networkInterface(NetworkInterface.getByName("eth0")).syncId(9).build());
 * vrrp.addListener(sync);                 // MASTER sends, BACKUP receives
 * sync.sync(connection);                  // on the master, for each new or changed connection
 * sync.addListener(event -> ..., executor); // on the backup
 * }</pre>
 *
 * <p>As a {@link RoleListener} it sends in {@code MASTER}, receives in {@code BACKUP} and does
 * neither otherwise; {@link #startMaster()}, {@link #startBackup()} and {@link #stopSync()} do the
 * same by hand; use one or the other, since a role source first tells a new listener its current
 * role. Leaving {@code MASTER} drops the messages not sent yet, as the kernel does; the table
 * outlives {@code BACKUP}, so its connections are there when this node takes over.
 *
 * <p>Both sockets are opened by {@link #open}, in the network namespace of the calling thread.
 * Protocol state lives on an {@link EventLoop}: the caller's, or a thread of the channel's own. A
 * receive thread blocks on the socket and hands each datagram to the loop through a fixed pool of
 * buffers, so receiving allocates nothing in steady state. Public methods are thread-safe.
 */
public final class IpvsSyncChannel implements RoleListener, AutoCloseable {

  /** What the channel does. */
  public enum Mode {
    /** Neither sends nor receives. */
    IDLE,
    /** Sends what {@link #sync} is given. */
    MASTER,
    /** Receives into the table. */
    BACKUP
  }

  private static final Logger log = LoggerFactory.getLogger(IpvsSyncChannel.class);

  /** Room for the largest UDP payload: nothing is ever truncated. */
  private static final int RECEIVE_BUFFER_SIZE = 65536;

  private static final int RECEIVE_BUFFERS = 16;

  private final SyncConfig config;
  private final EventLoop loop;
  private final ThreadEventLoop ownLoop;
  private final DatagramChannel sendSocket;
  private final DatagramChannel receiveSocket;
  private final SyncSender sender;
  private final ConnectionTable table;
  private final SyncReceiver receiver;
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(RECEIVE_BUFFERS);
  private final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(RECEIVE_BUFFERS);
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private final Thread receiveThread;
  private MembershipKey membership;
  private volatile Mode mode = Mode.IDLE;
  private volatile boolean closed;
  private volatile long notSynced;

  private IpvsSyncChannel(SyncConfig config, EventLoop loop, ThreadEventLoop ownLoop)
      throws IOException {
    this.config = config;
    this.loop = loop;
    this.ownLoop = ownLoop;
    this.sendSocket = SyncSockets.openSender(config);
    try {
      this.receiveSocket = SyncSockets.openReceiver(config);
    } catch (IOException | RuntimeException e) {
      sendSocket.close();
      throw e;
    }
    this.sender = new SyncSender(loop, config, sendSocket::write);
    this.table = new ConnectionTable(loop);
    this.receiver = new SyncReceiver(config, table);
    for (int i = 0; i < RECEIVE_BUFFERS; i++) {
      free.add(ByteBuffer.allocateDirect(RECEIVE_BUFFER_SIZE));
    }
    this.receiveThread = new Thread(this::receiveLoop, "failover4j-ipvs-receive");
    receiveThread.setDaemon(true);
    receiveThread.start();
  }

  /**
   * Opens a channel that runs on an event-loop thread of its own, idle until a role or a start
   * method says otherwise.
   *
   * @param config the sync settings; the network interface is required
   * @return the channel, idle until a role or a start method
   * @throws IOException when a socket cannot be opened, bound or connected
   */
  public static IpvsSyncChannel open(SyncConfig config) throws IOException {
    ThreadEventLoop own = ThreadEventLoop.start("failover4j-ipvs-sync");
    try {
      return new IpvsSyncChannel(config, own, own);
    } catch (IOException | RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /**
   * Opens a channel whose protocol state and timers run on {@code loop}.
   *
   * @param config the sync settings; the network interface is required
   * @param loop the event loop to run on
   * @return the channel, idle until a role or a start method
   * @throws IOException when a socket cannot be opened, bound or connected
   */
  public static IpvsSyncChannel open(SyncConfig config, EventLoop loop) throws IOException {
    return new IpvsSyncChannel(
        Objects.requireNonNull(config, "config"), Objects.requireNonNull(loop, "loop"), null);
  }

  /** MASTER sends, BACKUP receives, any other role does neither. */
  @Override
  public void roleChanged(RoleChangeEvent event) {
    switch (event.to()) {
      case MASTER -> startMaster();
      case BACKUP -> startBackup();
      default -> stopSync();
    }
  }

  /** Starts sending what {@link #sync} is given; stops receiving. */
  public void startMaster() {
    onLoop(() -> enter(Mode.MASTER));
  }

  /** Starts receiving into the table; drops unsent messages and stops sending. */
  public void startBackup() {
    onLoop(() -> enter(Mode.BACKUP));
  }

  /** Neither sends nor receives; drops unsent messages. */
  public void stopSync() {
    onLoop(() -> enter(Mode.IDLE));
  }

  /** {@return what the channel does now} */
  public Mode mode() {
    return mode;
  }

  /**
   * Queues one new or changed connection for the backups; ignored unless the channel is {@link
   * Mode#MASTER} when the loop gets to it.
   *
   * @param connection the connection
   */
  public void sync(SyncConnection connection) {
    Objects.requireNonNull(connection, "connection");
    onLoop(() -> submit(connection));
  }

  /** Sends the queued and partly filled messages now instead of on the kernel's schedule. */
  public void flush() {
    onLoop(sender::flush);
  }

  /**
   * Registers a listener for the table's changes, called on {@code executor}.
   *
   * @param listener the listener
   * @param executor where to call it
   */
  public void addListener(ConnectionListener listener, Executor executor) {
    table.addListener(listener, executor);
  }

  /**
   * Unregisters a table listener.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean removeListener(ConnectionListener listener) {
    return table.removeListener(listener);
  }

  /** {@return the table's entries, read on the loop} */
  public CompletableFuture<List<SyncConnection>> snapshot() {
    CompletableFuture<List<SyncConnection>> result = new CompletableFuture<>();
    onLoop(() -> result.complete(table.snapshot()));
    return result;
  }

  /**
   * Dropped messages and skipped entries by reason.
   *
   * @return the counters, live
   */
  public DropCounters<IpvsDropReason> drops() {
    return receiver.drops();
  }

  /**
   * Messages sent as master.
   *
   * @return the count
   */
  public long messagesSent() {
    return sender.messagesSent();
  }

  /**
   * Entries sent as master.
   *
   * @return the count
   */
  public long entriesSent() {
    return sender.entriesSent();
  }

  /**
   * Messages the master could not send.
   *
   * @return the count
   */
  public long sendErrors() {
    return sender.sendErrors();
  }

  /**
   * Connections given to {@link #sync} that were not sent: not master, one-packet, or v0 IPv6.
   *
   * @return the count
   */
  public long notSynced() {
    return notSynced + sender.entriesIgnored();
  }

  /**
   * Messages received as backup whose header was accepted.
   *
   * @return the count
   */
  public long messagesReceived() {
    return receiver.messagesReceived();
  }

  /**
   * Entries applied to the table.
   *
   * @return the count
   */
  public long entriesApplied() {
    return receiver.entriesApplied();
  }

  /** {@return the configuration} */
  public SyncConfig config() {
    return config;
  }

  /**
   * Stops syncing and closes the sockets; the channel's own loop, if any, stops too. The table is
   * cleared without events.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onLoop(
        () -> {
          enter(Mode.IDLE);
          table.clear();
        });
    closeQuietly(sendSocket);
    closeQuietly(receiveSocket);
    receiveThread.interrupt();
    if (ownLoop != null) {
      ownLoop.close();
    }
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  private void enter(Mode next) {
    if (next != Mode.MASTER) {
      sender.discard();
    }
    if (next == Mode.BACKUP && !closed) {
      join();
    } else {
      leave();
    }
    mode = closed ? Mode.IDLE : next;
  }

  private void submit(SyncConnection connection) {
    if (mode != Mode.MASTER) {
      notSynced++;
      return;
    }
    sender.submit(connection);
  }

  private void join() {
    if (membership != null) {
      return;
    }
    try {
      membership = SyncSockets.join(receiveSocket, config);
    } catch (IOException e) {
      log.warn("cannot join {} on {}: {}", config.group(), config.networkInterface(), e.toString());
    }
  }

  private void leave() {
    if (membership != null) {
      membership.drop();
      membership = null;
    }
  }

  private void receiveLoop() {
    while (!closed) {
      ByteBuffer buffer;
      try {
        buffer = free.take();
      } catch (InterruptedException e) {
        return;
      }
      buffer.clear();
      try {
        receiveSocket.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.debug("IPVS sync receive failed: {}", e.toString());
        free.add(buffer);
        continue;
      }
      buffer.flip();
      filled.add(buffer);
      if (drainScheduled.compareAndSet(false, true)) {
        try {
          loop.execute(drainTask);
        } catch (RejectedExecutionException e) {
          return; // the loop is closing: nothing will drain any more
        }
      }
    }
  }

  private void drain() {
    drainScheduled.set(false);
    ByteBuffer buffer;
    while ((buffer = filled.poll()) != null) {
      if (mode == Mode.BACKUP) {
        receiver.receive(buffer, 0, buffer.limit());
      }
      free.add(buffer);
    }
  }

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", channel, e.toString());
    }
  }
}
