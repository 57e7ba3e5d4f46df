/**
 * Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder}s for failover4j: one small
 * binder per kind of source. {@link org.failover4j.micrometer.RoleMetrics} covers anything with a
 * role (VRRP instances and sync groups today, CARP hosts later); {@link
 * org.failover4j.micrometer.VrrpInstanceMetrics} adds a VRRP instance's RFC 6527 counters, {@link
 * org.failover4j.micrometer.VrrpRouterMetrics} binds a whole router, and {@link
 * org.failover4j.micrometer.IpvsSyncMetrics} an IPVS sync channel.
 *
 * <p>Names are dot-separated under {@code failover4j.}, times are in seconds, and each meter is
 * tagged with what it is about ({@code instance}, {@code vrid}, {@code interface}, {@code group},
 * {@code sync.id}).
 */
package org.failover4j.micrometer;
