/**
 * The Linux IPVS connection-sync wire format, v0 and v1, IPv4 and IPv6 with options: codec,
 * batching, a multicast sync channel and a backup-side connection table.
 *
 * <p>Lets a Java application watch, replicate or drive a load balancer's connection state:
 *
 * <ul>
 *   <li>{@link org.failover4j.ipvs.SyncMessageReader} and {@link org.failover4j.ipvs.SyncEntry}
 *       decode a message without allocating, with the kernel's drop and skip rules ({@link
 *       org.failover4j.ipvs.IpvsDropReason}); {@link org.failover4j.ipvs.SyncMessageWriter} encodes
 *       {@link org.failover4j.ipvs.SyncConnection} values.
 *   <li>{@link org.failover4j.ipvs.SyncSender} batches a master's connections on the kernel's
 *       schedule; {@link org.failover4j.ipvs.SyncReceiver} feeds a backup's {@link
 *       org.failover4j.ipvs.ConnectionTable}, which keeps and expires entries as the kernel does.
 *   <li>{@link org.failover4j.ipvs.IpvsSyncChannel} puts both on a multicast socket and switches
 *       between them on the role of a VRRP instance or any other role source.
 * </ul>
 */
package org.failover4j.ipvs;
