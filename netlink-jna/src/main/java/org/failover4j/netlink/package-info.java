/**
 * The only native code in failover4j: netlink and rtnetlink, raw IP and packet sockets, and the
 * poll-based event loop, all through JNA.
 *
 * <p>Family-specific netlink bodies live with their modules; this package gives them framing,
 * attributes and a socket.
 */
package org.failover4j.netlink;
