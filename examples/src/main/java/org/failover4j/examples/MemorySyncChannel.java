package org.failover4j.examples;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Role;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.ipvs.ConnectionListener;
import org.failover4j.ipvs.ConnectionTable;
import org.failover4j.ipvs.IpvsSyncChannel;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncConnection;
import org.failover4j.ipvs.SyncReceiver;
import org.failover4j.ipvs.SyncSender;

/**
 * The simulated stand-in for {@link IpvsSyncChannel}: the same {@link SyncSender} batching and the
 * same {@link SyncReceiver} and {@link ConnectionTable}, with memory in place of the multicast
 * socket, so the examples run without root. Like the real channel it is a role listener: it sends
 * in MASTER, receives in BACKUP, and does neither otherwise. Use it on its loop's thread.
 */
public final class MemorySyncChannel implements RoleListener {

  private final EventLoop loop;
  private final ConnectionTable table;
  private final SyncReceiver receiver;
  private final SyncSender sender;
  private MemorySyncChannel peer;
  private volatile Role role = Role.INITIALIZE;

  /**
   * A channel on {@code loop}.
   *
   * @param loop the event loop of the simulated network
   * @param config the sync settings (sync id, version)
   */
  public MemorySyncChannel(EventLoop loop, SyncConfig config) {
    this.loop = loop;
    this.table = new ConnectionTable(loop);
    this.receiver = new SyncReceiver(config, table);
    this.sender = new SyncSender(loop, config, message -> peer.deliver(copy(message)));
  }

  /**
   * Joins two channels as one multicast group of two would.
   *
   * @param a one channel
   * @param b the other
   */
  public static void connect(MemorySyncChannel a, MemorySyncChannel b) {
    a.peer = b;
    b.peer = a;
  }

  @Override
  public void roleChanged(RoleChangeEvent event) {
    role = event.to();
  }

  /**
   * On the master, queues one new or changed connection for the backup, as {@link
   * IpvsSyncChannel#sync} does; ignored in any other role.
   *
   * @param connection the connection
   */
  public void sync(SyncConnection connection) {
    if (role == Role.MASTER) {
      sender.submit(connection);
    }
  }

  /**
   * Follows the backup table, as {@link IpvsSyncChannel#addListener} does.
   *
   * @param listener called for each added, updated or expired connection
   * @param executor where to call it
   */
  public void addListener(ConnectionListener listener, Executor executor) {
    table.addListener(listener, executor);
  }

  /**
   * The connections received from the master.
   *
   * @return the backup table
   */
  public ConnectionTable table() {
    return table;
  }

  private void deliver(ByteBuffer message) {
    loop.execute(
        () -> {
          if (role == Role.BACKUP) {
            receiver.receive(message, 0, message.limit());
          }
        });
  }

  private static ByteBuffer copy(ByteBuffer message) {
    ByteBuffer copy = ByteBuffer.allocate(message.remaining());
    copy.put(message.duplicate()).flip();
    return copy;
  }
}
