package org.failover4j.xfrm;

/**
 * {@code struct xfrm_replay_state}: the replay counters of an SA without extended sequence numbers.
 * The numbers are unsigned 32-bit values held in {@code int}s.
 *
 * @param outboundSequence {@code oseq}: the last sequence number sent
 * @param inboundSequence {@code seq}: the highest sequence number received
 * @param bitmap the receive window of up to 32 packets below {@code seq}
 */
public record ReplayState(int outboundSequence, int inboundSequence, int bitmap) {}
