package org.failover4j.xfrm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link SyncTransport}: UDP datagrams between two fixed addresses (unicast; the sync
 * link is usually a dedicated one), received on a daemon thread of its own. Datagrams from other
 * sources are ignored before authentication ever sees them.
 */
public final class UdpSyncTransport implements SyncTransport {

  /** Room for the largest datagram UDP carries. */
  private static final int MAX_DATAGRAM = 65_507;

  private static final Logger log = LoggerFactory.getLogger(UdpSyncTransport.class);

  private final DatagramChannel channel;
  private final InetSocketAddress peer;
  private Thread reader;

  private UdpSyncTransport(DatagramChannel channel, InetSocketAddress peer) {
    this.channel = channel;
    this.peer = peer;
  }

  /**
   * Binds {@code local} and sends to {@code peer}. Opens the socket in the calling thread's network
   * namespace.
   *
   * @param local the local address and port to bind
   * @param peer the peer's address and port
   * @return the transport
   * @throws IOException when the socket cannot be opened, bound or used
   */
  public static UdpSyncTransport open(InetSocketAddress local, InetSocketAddress peer)
      throws IOException {
    Objects.requireNonNull(peer, "peer");
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.bind(local);
      return new UdpSyncTransport(channel, peer);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * {@return the bound local address}
   *
   * @throws IOException when the socket cannot be opened, bound or used
   */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  public void send(ByteBuffer datagram) throws IOException {
    channel.send(datagram, peer);
  }

  @Override
  public synchronized void start(Consumer<byte[]> receiver) {
    if (reader != null) {
      throw new IllegalStateException("already started");
    }
    reader =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
              while (channel.isOpen()) {
                try {
                  InetSocketAddress from = (InetSocketAddress) channel.receive(buffer.clear());
                  if (from != null && from.getAddress().equals(peer.getAddress())) {
                    byte[] copy = new byte[buffer.position()];
                    buffer.get(0, copy);
                    receiver.accept(copy);
                  }
                } catch (ClosedChannelException e) {
                  return;
                } catch (IOException | RuntimeException e) {
                  log.warn("SA sync receive failed: {}", e.toString());
                }
              }
            },
            "f4j-sa-sync-udp");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the SA sync socket", e);
    }
  }
}
