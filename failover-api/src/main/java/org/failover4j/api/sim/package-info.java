/**
 * A simulated LAN for failover tests and demos: hosts exchange datagrams through a segment that can
 * lose, delay, duplicate and partition them, and hosts can crash and come back.
 *
 * <p>Delivery runs on an {@link org.failover4j.api.EventLoop}: under {@link
 * org.failover4j.api.VirtualTimeEventLoop} thousands of seeded scenarios run in seconds, on a
 * real-time loop the same code drives the {@code failover4j demo}.
 */
package org.failover4j.api.sim;
