package org.failover4j.xfrm;

/**
 * {@code struct xfrm_lifetime_cur}: what an SA has consumed so far, counted against its limits.
 *
 * @param bytes bytes processed
 * @param packets packets processed
 * @param addTime when the SA was added, in seconds since the epoch
 * @param useTime when the SA was first used, in seconds since the epoch (0: never)
 */
public record LifetimeCounters(long bytes, long packets, long addTime, long useTime) {}
