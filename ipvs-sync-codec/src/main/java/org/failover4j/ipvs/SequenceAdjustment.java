package org.failover4j.ipvs;

/**
 * One direction's TCP sequence-number adjustment of a NAT connection whose payload an application
 * helper resized ({@code struct ip_vs_seq}). The three values are unsigned 32-bit numbers.
 *
 * @param initSeq the sequence number from which {@code delta} applies
 * @param delta the adjustment after {@code initSeq}
 * @param previousDelta the adjustment before the last resized packet
 */
public record SequenceAdjustment(int initSeq, int delta, int previousDelta) {

  /** No adjustment: what every connection starts with. */
  public static final SequenceAdjustment NONE = new SequenceAdjustment(0, 0, 0);
}
