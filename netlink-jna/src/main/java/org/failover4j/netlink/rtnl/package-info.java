/**
 * rtnetlink without {@code ip}: {@link org.failover4j.netlink.rtnl.RtNetlink} lists and looks up
 * links ({@link org.failover4j.netlink.rtnl.LinkInfo}), lists, adds and deletes addresses ({@link
 * org.failover4j.netlink.rtnl.AddressSpec}, {@link org.failover4j.netlink.rtnl.AddressInfo}),
 * creates and deletes macvlans ({@link org.failover4j.netlink.rtnl.MacvlanSpec}); {@link
 * org.failover4j.netlink.rtnl.LinkMonitor} reports link changes ({@link
 * org.failover4j.netlink.rtnl.LinkEvent}) on a {@link org.failover4j.netlink.PollEventLoop}.
 *
 * <p>Requests are byte for byte what iproute2 sends for the same command.
 */
package org.failover4j.netlink.rtnl;
