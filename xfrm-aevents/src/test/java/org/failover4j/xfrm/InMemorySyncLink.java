package org.failover4j.xfrm;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Two {@link SyncTransport} ends joined in memory, with the faults a test needs: a switch that
 * drops every datagram, and a record of every datagram sent (for replaying and forging).
 */
final class InMemorySyncLink {

  final End a = new End();
  final End b = new End();
  final List<byte[]> wire = new ArrayList<>();
  boolean down;

  InMemorySyncLink() {
    a.peer = b;
    b.peer = a;
  }

  /** One end. */
  final class End implements SyncTransport {
    End peer;
    Consumer<byte[]> receiver;

    @Override
    public void send(ByteBuffer datagram) {
      byte[] bytes = new byte[datagram.remaining()];
      datagram.get(bytes);
      wire.add(bytes);
      if (!down && peer.receiver != null) {
        peer.receiver.accept(bytes.clone());
      }
    }

    @Override
    public void start(Consumer<byte[]> r) {
      this.receiver = r;
    }

    /** Delivers {@code bytes} to this end as if the peer had sent them. */
    void inject(byte[] bytes) {
      receiver.accept(bytes.clone());
    }

    @Override
    public void close() {
      receiver = null;
    }
  }
}
