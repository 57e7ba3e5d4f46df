/**
 * The Linux IPVS connection-sync wire format, v0 and v1, IPv4 and IPv6 with options: codec,
 * batching, a multicast sync channel and a backup-side connection table.
 *
 * <p>Lets a Java application watch, replicate or drive a load balancer's connection state.
 */
package org.failover4j.ipvs;
