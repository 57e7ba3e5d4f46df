package org.failover4j.xfrm;

import java.util.Arrays;

/**
 * {@code struct xfrm_replay_state_esn}: the replay counters of an SA with extended (64-bit)
 * sequence numbers, and its receive-window bitmap. Numbers are unsigned 32-bit values in {@code
 * int}s; the bitmap is copied in and out so the record stays immutable.
 *
 * @param outboundSequence {@code oseq}: low 32 bits of the last sequence number sent
 * @param inboundSequence {@code seq}: low 32 bits of the highest sequence number received
 * @param outboundSequenceHigh {@code oseq_hi}: high 32 bits of the last sequence number sent
 * @param inboundSequenceHigh {@code seq_hi}: high 32 bits of the highest sequence number received
 * @param replayWindow {@code replay_window}: the window in packets, at most 32 per bitmap word
 * @param bitmap the window's bitmap, {@code bmp_len} words
 */
public record ReplayStateEsn(
    int outboundSequence,
    int inboundSequence,
    int outboundSequenceHigh,
    int inboundSequenceHigh,
    int replayWindow,
    int[] bitmap) {

  /**
   * Checks the window fits the bitmap and the bitmap fits the kernel's limit; copies it.
   *
   * @param outboundSequence {@code oseq}: low 32 bits of the last sequence number sent
   * @param inboundSequence {@code seq}: low 32 bits of the highest sequence number received
   * @param outboundSequenceHigh {@code oseq_hi}: high 32 bits of the last sequence number sent
   * @param inboundSequenceHigh {@code seq_hi}: high 32 bits of the highest sequence number received
   * @param replayWindow {@code replay_window}: the window in packets, at most 32 per bitmap word
   * @param bitmap the window's bitmap, {@code bmp_len} words
   */
  public ReplayStateEsn {
    bitmap = bitmap.clone();
    if (bitmap.length > Xfrm.REPLAY_ESN_MAX_WORDS) {
      throw new IllegalArgumentException(
          "bitmap of " + bitmap.length + " words, at most " + Xfrm.REPLAY_ESN_MAX_WORDS);
    }
    if (Integer.toUnsignedLong(replayWindow) > 32L * bitmap.length) {
      throw new IllegalArgumentException(
          "replay window "
              + Integer.toUnsignedString(replayWindow)
              + " exceeds a bitmap of "
              + bitmap.length
              + " words");
    }
  }

  /** {@return a copy of the bitmap} */
  @Override
  public int[] bitmap() {
    return bitmap.clone();
  }

  /** {@return the bitmap's length in words ({@code bmp_len})} */
  public int bitmapWords() {
    return bitmap.length;
  }

  /**
   * Word {@code i} of the bitmap.
   *
   * @param i the word's index
   * @return the word
   */
  public int bitmapWord(int i) {
    return bitmap[i];
  }

  /** {@return the full 64-bit outbound sequence number ({@code oseq_hi:oseq}), unsigned} */
  public long outboundSequence64() {
    return ((long) outboundSequenceHigh << 32) | Integer.toUnsignedLong(outboundSequence);
  }

  /** {@return the full 64-bit inbound sequence number ({@code seq_hi:seq}), unsigned} */
  public long inboundSequence64() {
    return ((long) inboundSequenceHigh << 32) | Integer.toUnsignedLong(inboundSequence);
  }

  /**
   * {@return the same state with the 64-bit outbound sequence number {@code oseq64}}
   *
   * @param oseq64 the 64-bit outbound sequence number
   */
  public ReplayStateEsn withOutboundSequence64(long oseq64) {
    return new ReplayStateEsn(
        (int) oseq64,
        inboundSequence,
        (int) (oseq64 >>> 32),
        inboundSequenceHigh,
        replayWindow,
        bitmap);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplayStateEsn e
        && outboundSequence == e.outboundSequence
        && inboundSequence == e.inboundSequence
        && outboundSequenceHigh == e.outboundSequenceHigh
        && inboundSequenceHigh == e.inboundSequenceHigh
        && replayWindow == e.replayWindow
        && Arrays.equals(bitmap, e.bitmap);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bitmap) * 31
        + Arrays.hashCode(
            new int[] {
              outboundSequence,
              inboundSequence,
              outboundSequenceHigh,
              inboundSequenceHigh,
              replayWindow
            });
  }

  @Override
  public String toString() {
    return "ReplayStateEsn[oseq="
        + Long.toUnsignedString(outboundSequence64())
        + ", seq="
        + Long.toUnsignedString(inboundSequence64())
        + ", replayWindow="
        + Integer.toUnsignedString(replayWindow)
        + ", bitmapWords="
        + bitmap.length
        + "]";
  }
}
