package org.failover4j.api.sim;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One datagram as a simulated host receives it.
 *
 * @param source the sender's address
 * @param destination the group or unicast address it was sent to
 * @param payload the bytes, positioned at the start; owned by the receiver
 */
public record SimulatedFrame(InetAddress source, InetAddress destination, ByteBuffer payload) {}
