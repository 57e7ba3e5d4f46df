/**
 * What the VRRP runtime needs from the machine it runs on: advert sockets, virtual addresses,
 * gratuitous announcements, virtual MACs, link state and a place to run health checks.
 *
 * <p>{@link org.failover4j.vrrp.platform.NetlinkPlatform} provides them from the Linux kernel
 * through netlink-jna; {@link org.failover4j.vrrp.platform.SimulatedPlatform} from the simulated
 * network, so the same runtime runs in tests, simulations and the demo.
 */
package org.failover4j.vrrp.platform;
