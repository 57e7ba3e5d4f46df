package org.failover4j.examples;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.failover4j.xfrm.SyncTransport;
import org.failover4j.xfrm.UdpSyncTransport;

/**
 * The simulated stand-in for {@link UdpSyncTransport}: two ends joined in memory. Datagrams are
 * delivered at once, on the sender's thread, while the {@code up} switch is on.
 */
public final class MemorySyncTransport implements SyncTransport {

  private MemorySyncTransport peer;
  private Consumer<byte[]> receiver;
  private boolean up = true;

  private MemorySyncTransport() {}

  /**
   * Two joined ends.
   *
   * @return the ends, one per node
   */
  public static MemorySyncTransport[] pair() {
    MemorySyncTransport a = new MemorySyncTransport();
    MemorySyncTransport b = new MemorySyncTransport();
    a.peer = b;
    b.peer = a;
    return new MemorySyncTransport[] {a, b};
  }

  /**
   * Cuts or restores this end's sending, as a host that crashed or a cable pulled.
   *
   * @param on false to lose everything this end sends
   */
  public void setUp(boolean on) {
    up = on;
  }

  @Override
  public void send(ByteBuffer datagram) {
    byte[] bytes = new byte[datagram.remaining()];
    datagram.get(bytes);
    if (up && peer.receiver != null) {
      peer.receiver.accept(bytes);
    }
  }

  @Override
  public void start(Consumer<byte[]> r) {
    receiver = r;
  }

  @Override
  public void close() {
    receiver = null;
  }
}
