package org.failover4j.xfrm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Carries sealed SA-sync datagrams between the master and the backup. {@link UdpSyncTransport} is
 * the default; anything that moves datagrams (possibly losing, duplicating or reordering them) will
 * do, since {@link SaStateSync} authenticates and replay-checks every one.
 */
public interface SyncTransport extends AutoCloseable {

  /**
   * Sends the buffer's remaining bytes as one datagram to the peer.
   *
   * @param datagram the datagram, between position and limit
   * @throws IOException when sending or starting fails
   */
  void send(ByteBuffer datagram) throws IOException;

  /**
   * Starts delivering received datagrams to {@code receiver}, on any thread; the byte array is the
   * receiver's to keep.
   *
   * @param receiver called with each datagram's bytes
   * @throws IOException when sending or starting fails
   */
  void start(Consumer<byte[]> receiver) throws IOException;

  /** Stops receiving and releases the transport. */
  @Override
  void close();
}
