/**
 * XFRM asynchronous SA events (NEWAE/GETAE): the codec, a netlink client that queries, sets and
 * subscribes, and SA state sync for IPsec takeover.
 *
 * <p>A backup that takes over an SA skips ahead of the master's last sequence number so the peer's
 * replay window never rejects it.
 */
package org.failover4j.xfrm;
