package org.failover4j.vrrp.platform;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The VRRP socket(s) of one interface and address family, shared by every instance there. Sends are
 * zero-allocation: destinations are registered once and named by index.
 */
public interface AdvertChannel extends Closeable {

  /** Registers a destination (the group or a unicast peer) and returns its index. */
  int addDestination(InetAddress destination) throws IOException;

  /**
   * Sends {@code length} bytes from absolute {@code offset} of {@code packet}: over IPv4 a whole
   * datagram whose header the caller built; over IPv6 a VRRP message.
   */
  void send(ByteBuffer packet, int offset, int length, int destination) throws IOException;
}
