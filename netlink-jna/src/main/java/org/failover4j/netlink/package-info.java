/**
 * The only native code in failover4j: netlink sockets and framing, raw IP and packet sockets, and
 * the poll-based event loop, all through JNA. rtnetlink (links, addresses, macvlan, link events)
 * lives in {@link org.failover4j.netlink.rtnl}.
 *
 * <h2>The pieces</h2>
 *
 * <ul>
 *   <li>{@link org.failover4j.netlink.PollEventLoop}: the real {@link
 *       org.failover4j.api.EventLoop}. Register any {@link org.failover4j.netlink.Pollable} (every
 *       socket here) with a {@link org.failover4j.netlink.ReadHandler}; closing the loop closes
 *       them all.
 *   <li>{@link org.failover4j.netlink.RawIpSocket} with {@link
 *       org.failover4j.netlink.IpDestination} and {@link
 *       org.failover4j.api.platform.ReceivedDatagram}: VRRP and CARP adverts (protocol 112) and
 *       IPsec-AH (51), IPv4 and IPv6, sent and received without allocation.
 *   <li>{@link org.failover4j.netlink.PacketSocket} with {@link
 *       org.failover4j.netlink.GratuitousArp} and {@link
 *       org.failover4j.netlink.UnsolicitedNeighborAdvertisement}: announcing addresses from a
 *       virtual MAC ({@link org.failover4j.netlink.MacAddress}).
 *   <li>The generic netlink layer, for rtnetlink here and XFRM in {@code xfrm-aevents}: {@link
 *       org.failover4j.netlink.NetlinkSocket} (any protocol, requests and dumps matched by sequence
 *       number, multicast groups, overflow reported as {@link
 *       org.failover4j.netlink.EventsLostException}), {@link
 *       org.failover4j.netlink.NetlinkMessageWriter} to build messages, {@link
 *       org.failover4j.netlink.NetlinkMessage}, {@link org.failover4j.netlink.NetlinkMessageCursor}
 *       and {@link org.failover4j.netlink.NetlinkAttributes} to read them, {@link
 *       org.failover4j.netlink.Netlink} for the numbers.
 *   <li>Errors: every failed call raises an {@link org.failover4j.netlink.ErrnoException} (a
 *       specific subclass for the errors callers handle) naming the call, the errno and its text,
 *       and the kernel's extended-ack message; decoders raise only {@link
 *       org.failover4j.api.MalformedPacketException} with a {@link
 *       org.failover4j.netlink.NetlinkDropReason}.
 * </ul>
 *
 * <h2>Namespaces and threads</h2>
 *
 * A socket belongs to the network namespace of the thread that opened it, whichever thread uses it
 * later. Sockets are non-blocking and close-on-exec. Linux on x86-64 and aarch64 only.
 */
package org.failover4j.netlink;
