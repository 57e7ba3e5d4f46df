/**
 * The protocol-neutral platform under VRRP and CARP: the {@link
 * org.failover4j.api.platform.Platform} contract, the shared protocol-112 advert channel with its
 * demultiplexer ({@link org.failover4j.api.platform.AdvertChannels}, {@link
 * org.failover4j.api.platform.AdvertClassifier}), the {@link
 * org.failover4j.api.platform.ReceivedDatagram} holder every platform fills once per datagram, and
 * interface state. The simulated implementation lives in {@code org.failover4j.api.sim}, the kernel
 * one in the {@code netlink-jna} module.
 */
package org.failover4j.api.platform;
