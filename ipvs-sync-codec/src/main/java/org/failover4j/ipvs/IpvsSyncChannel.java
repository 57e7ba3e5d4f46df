package org.failover4j.ipvs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.failover4j.api.AddressText;
import org.failover4j.api.DropCounters;
import org.failover4j.api.EventLoop;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.ListenerSet;
import org.failover4j.api.LoopCall;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.api.RoleSource;
import org.failover4j.api.SourceLifecycle;
import org.failover4j.api.ThreadEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPVS connection sync over multicast UDP: a master sends its connections, a backup keeps a {@link
 * ConnectionTable} of the master's, and the role decides which this node is.
 *
 * <pre>{@code
 * IpvsSyncChannel sync = IpvsSyncChannel.builder()
 *     .config(SyncConfig.builder().networkInterface(NetworkInterface.getByName("eth0"))
 *         .syncId(9).build())
 *     .build();
 * sync.start();                                   // opens the sockets
 * vrrp.addListener(sync);                         // MASTER sends, BACKUP receives
 * sync.addListener(event -> ...);                 // on the backup: the table's changes
 * sync.sync(connection);                          // on the master, per new or changed connection
 * sync.statistics();                              // messages and entries, drops by reason
 * sync.close();                                   // waits, bounded, for the table's listeners
 * }</pre>
 *
 * <p>As a {@link RoleListener} it sends in {@code MASTER}, receives in {@code BACKUP} and does
 * neither otherwise; {@link #startMaster()}, {@link #startBackup()} and {@link #stopSync()} do the
 * same by hand; use one or the other, since a role source first tells a new listener its current
 * role. A role heard before {@link #start()} takes effect when it starts. Leaving {@code MASTER}
 * drops the messages not sent yet, as the kernel does; the table outlives {@code BACKUP}, so its
 * connections are there when this node takes over.
 *
 * <p>Building opens nothing and starts no thread; {@link #start()} opens both sockets, in the
 * network namespace of the calling thread. Protocol state lives on an {@link EventLoop}: the
 * caller's, or a thread of the channel's own. A receive thread blocks on the socket and hands each
 * datagram to the loop through a fixed pool of buffers, so receiving allocates nothing in steady
 * state. Public methods are thread-safe.
 */
public final class IpvsSyncChannel implements RoleSource, RoleListener {

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
  private final EventLoop callersLoop;
  private final Duration listenerShutdownTimeout;
  private final SourceLifecycle life = new SourceLifecycle("the IPVS sync channel");
  private final ListenerSet<ConnectionListener, ConnectionEvent> tableListeners =
      ConnectionTable.newListeners();
  private final AtomicLong notSynced = new AtomicLong();
  private final Object starting = new Object();

  /** What {@link #start()} opened; null before. */
  private volatile Running running;

  /** The mode the roles ask for; entered on start when they came before it. */
  private volatile Mode wanted = Mode.IDLE;

  private volatile Mode mode = Mode.IDLE;

  private IpvsSyncChannel(Builder b) {
    this.config = b.config;
    this.callersLoop = b.loop;
    this.listenerShutdownTimeout = b.listenerShutdownTimeout;
  }

  /** {@return a builder; the {@link SyncConfig} is required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens both sockets in the calling thread's network namespace, and the channel's own loop when
   * none was given, then enters the mode the last role asked for.
   *
   * @throws IOException when a socket cannot be opened, bound or connected; nothing stays open
   */
  @Override
  public void start() throws IOException {
    synchronized (starting) {
      life.requireNew();
      Running r;
      try {
        r = new Running();
      } catch (IOException | RuntimeException e) {
        life.markFailed(e);
        throw e;
      }
      running = r;
      life.markStarted();
      r.receiveThread.start();
    }
    onLoop(() -> enter(wanted));
  }

  @Override
  public State state() {
    return life.state();
  }

  /** MASTER sends, BACKUP receives, any other role does neither; ignored once closed. */
  @Override
  public void roleChanged(RoleChangeEvent event) {
    if (life.isClosed()) {
      return; // a role source may still be telling a listener that was not removed
    }
    switch (event.to()) {
      case MASTER -> startMaster();
      case BACKUP -> startBackup();
      default -> stopSync();
    }
  }

  /** Starts sending what {@link #sync} is given; stops receiving. */
  public void startMaster() {
    want(Mode.MASTER);
  }

  /** Starts receiving into the table; drops unsent messages and stops sending. */
  public void startBackup() {
    want(Mode.BACKUP);
  }

  /** Neither sends nor receives; drops unsent messages. */
  public void stopSync() {
    want(Mode.IDLE);
  }

  private void want(Mode next) {
    life.requireNotClosed();
    wanted = next;
    if (running != null) {
      onLoop(() -> enter(next));
    }
  }

  /** {@return what the channel does now} */
  public Mode mode() {
    return mode;
  }

  /**
   * Queues one new or changed connection for the backups; counted as not synced unless the channel
   * is {@link Mode#MASTER} when the loop gets to it.
   *
   * @param connection the connection
   */
  public void sync(SyncConnection connection) {
    Objects.requireNonNull(connection, "connection");
    life.requireNotClosed();
    Running r = running;
    if (r == null) {
      notSynced.incrementAndGet();
      return;
    }
    onLoop(() -> r.submit(connection));
  }

  /** Sends the queued and partly filled messages now instead of on the kernel's schedule. */
  public void flush() {
    life.requireNotClosed();
    Running r = running;
    if (r != null) {
      onLoop(r.sender::flush);
    }
  }

  /**
   * Registers a listener for the table's changes, called on the library's listener threads.
   *
   * @param listener the listener
   */
  public void addListener(ConnectionListener listener) {
    addListener(listener, ListenerSet.listenerThreads());
  }

  /**
   * Registers a listener for the table's changes, called on {@code executor}; {@code Runnable::run}
   * calls it on the loop thread (then it must not block).
   *
   * @param listener the listener
   * @param executor where to call it
   */
  public void addListener(ConnectionListener listener, Executor executor) {
    tableListeners.add(listener, executor);
  }

  /**
   * Unregisters a table listener.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean removeListener(ConnectionListener listener) {
    return tableListeners.remove(listener);
  }

  /** {@return the table's entries, read on the loop (none before start)} */
  public CompletableFuture<List<SyncConnection>> snapshot() {
    life.requireNotClosed();
    Running r = running;
    if (r == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    CompletableFuture<List<SyncConnection>> result = new CompletableFuture<>();
    onLoop(() -> result.complete(r.table.snapshot()));
    return result;
  }

  @Override
  public IpvsSyncStatistics statistics() {
    Running r = running;
    SyncSender s = r == null ? null : r.sender;
    SyncReceiver in = r == null ? null : r.receiver;
    return new IpvsSyncStatistics(
        s == null ? 0 : s.messagesSent(),
        s == null ? 0 : s.entriesSent(),
        s == null ? 0 : s.sendFailures(),
        notSynced.get() + (s == null ? 0 : s.entriesIgnored()),
        in == null ? 0 : in.messagesReceived(),
        in == null ? 0 : in.entriesApplied(),
        (in == null ? new DropCounters<>(IpvsDropReason.class) : in.drops()).snapshot());
  }

  /** {@return the configuration} */
  public SyncConfig config() {
    return config;
  }

  /**
   * Stops syncing, closes the sockets and the channel's own loop, and waits at most the builder's
   * {@link Builder#listenerShutdownTimeout} for the table's listeners. The table is cleared without
   * events.
   */
  @Override
  public void close() {
    close(listenerShutdownTimeout);
  }

  /**
   * As {@link #close()}, waiting at most {@code listenerTimeout} for the table's listeners. The
   * sockets are released even when the caller's loop was closed first.
   *
   * @param listenerTimeout how long to wait for listeners at most
   */
  @Override
  public void close(Duration listenerTimeout) {
    Running r;
    synchronized (starting) {
      if (!life.close()) {
        return;
      }
      r = running;
    }
    if (r != null) {
      r.close();
    }
    try {
      if (!tableListeners.awaitIdle(listenerTimeout)) {
        log.warn(
            "connection listeners still busy after {} ms; closing without them",
            listenerTimeout.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private EventLoop loop() {
    Running r = running;
    return r.loop;
  }

  private void onLoop(Runnable task) {
    EventLoop loop = loop();
    if (loop.inEventLoop()) {
      task.run();
    } else {
      try {
        loop.execute(task);
      } catch (RejectedExecutionException e) {
        life.requireNotClosed();
        throw new IllegalStateException("the IPVS sync channel's event loop is closed", e);
      }
    }
  }

  private void enter(Mode next) {
    Running r = running;
    if (next != Mode.MASTER) {
      r.sender.discard();
    }
    if (next == Mode.BACKUP && !life.isClosed()) {
      r.join();
    } else {
      r.leave();
    }
    mode = life.isClosed() ? Mode.IDLE : next;
  }

  /** What a started channel holds: sockets, loop, protocol state and the receive thread. */
  private final class Running {
    final EventLoop loop;
    final ThreadEventLoop ownLoop;
    final DatagramChannel sendSocket;
    final DatagramChannel receiveSocket;
    final SyncSender sender;
    final ConnectionTable table;
    final SyncReceiver receiver;
    final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(RECEIVE_BUFFERS);
    final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(RECEIVE_BUFFERS);
    final AtomicBoolean drainScheduled = new AtomicBoolean();
    final Runnable drainTask = this::drain;
    final Thread receiveThread;
    MembershipKey membership;

    Running() throws IOException {
      DatagramChannel send = SyncSockets.openSender(config);
      DatagramChannel receive;
      try {
        receive = SyncSockets.openReceiver(config);
      } catch (IOException | RuntimeException e) {
        closeQuietly(send);
        throw e;
      }
      this.sendSocket = send;
      this.receiveSocket = receive;
      this.ownLoop = callersLoop == null ? ThreadEventLoop.start("failover4j-ipvs-sync") : null;
      this.loop = callersLoop != null ? callersLoop : ownLoop;
      this.sender = new SyncSender(loop, config, sendSocket::write);
      this.table = new ConnectionTable(loop, tableListeners);
      this.receiver = new SyncReceiver(config, table);
      for (int i = 0; i < RECEIVE_BUFFERS; i++) {
        free.add(ByteBuffer.allocateDirect(RECEIVE_BUFFER_SIZE));
      }
      this.receiveThread = new Thread(this::receiveLoop, "failover4j-ipvs-receive");
      receiveThread.setDaemon(true);
    }

    void submit(SyncConnection connection) {
      if (mode != Mode.MASTER) {
        notSynced.incrementAndGet();
        return;
      }
      sender.submit(connection);
    }

    void join() {
      if (membership != null) {
        return;
      }
      try {
        membership = SyncSockets.join(receiveSocket, config);
      } catch (IOException e) {
        log.warn(
            "cannot join {} on {}: {}",
            AddressText.of(config.group()),
            config.networkInterface(),
            e.toString());
      }
    }

    void leave() {
      if (membership != null) {
        membership.drop();
        membership = null;
      }
    }

    /** Idles on the loop when it still runs, then releases sockets and threads in any case. */
    void close() {
      try {
        LoopCall.callUninterruptibly(
            loop,
            () -> {
              enter(Mode.IDLE);
              table.clear();
              return null;
            });
      } catch (IOException | RuntimeException e) {
        // The caller closed its loop first: nothing runs there any more, the sockets go anyway.
        log.debug("IPVS sync channel closing without its loop: {}", e.toString());
      } finally {
        closeQuietly(sendSocket);
        closeQuietly(receiveSocket);
        receiveThread.interrupt();
        if (receiveThread.isAlive() && Thread.currentThread() != receiveThread) {
          try {
            receiveThread.join(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (ownLoop != null) {
          ownLoop.close();
        }
      }
    }

    private void receiveLoop() {
      while (!life.isClosed()) {
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
  }

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", channel, e.toString());
    }
  }

  /** Builds an {@link IpvsSyncChannel}; building opens nothing and starts no thread. */
  public static final class Builder {
    private SyncConfig config;
    private EventLoop loop;
    private Duration listenerShutdownTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The sync settings (required; its network interface is required too).
     *
     * @param value the settings
     * @return this builder
     */
    public Builder config(SyncConfig value) {
      this.config = value;
      return this;
    }

    /**
     * The event loop protocol state and timers run on; by default the channel starts a thread of
     * its own when it starts, and stops it when it closes.
     *
     * @param value the caller's event loop
     * @return this builder
     */
    public Builder loop(EventLoop value) {
      this.loop = value;
      return this;
    }

    /**
     * How long {@link IpvsSyncChannel#close()} waits for the table's listeners; 0..10 min, default
     * 5 s.
     *
     * @param value how long to wait at most
     * @return this builder
     */
    public Builder listenerShutdownTimeout(Duration value) {
      this.listenerShutdownTimeout = value;
      return this;
    }

    /**
     * {@return the channel, not started}
     *
     * @throws InvalidConfigurationException naming the missing or wrong field
     */
    public IpvsSyncChannel build() {
      InvalidConfigurationException.requirePresent("config", config);
      InvalidConfigurationException.requirePresent(
          "config.networkInterface", config.networkInterface());
      InvalidConfigurationException.requireListenerShutdownTimeout(listenerShutdownTimeout);
      return new IpvsSyncChannel(this);
    }
  }
}
