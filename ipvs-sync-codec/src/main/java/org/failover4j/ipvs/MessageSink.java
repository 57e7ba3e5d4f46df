package org.failover4j.ipvs;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a {@link SyncSender} puts finished messages: a socket, or a list in a test. */
@FunctionalInterface
public interface MessageSink {

  /**
   * Sends the message between the buffer's position and limit. The buffer is reused once this
   * returns, so a sink that keeps the bytes must copy them.
   *
   * @param message the message, between position and limit
   * @throws IOException when sending fails; the sender counts it
   */
  void send(ByteBuffer message) throws IOException;
}
