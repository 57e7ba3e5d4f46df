package org.failover4j.cli;

import org.failover4j.capture.IpPacket;

/**
 * Prints one kind of packet for {@code failover4j decode}. The command asks each printer in turn
 * whether it claims an IP packet; the first that does prints it as one JSON object.
 */
interface PacketPrinter {

  /** True when this printer is the one for {@code packet}. Must not throw. */
  boolean claims(IpPacket packet);

  /**
   * The JSON object for {@code packet}, found in capture frame {@code frame}: the decoded fields,
   * or {@code frame}, {@code proto}, {@code error} and {@code detail} when it does not decode.
   */
  JsonObject print(long frame, IpPacket packet);
}
