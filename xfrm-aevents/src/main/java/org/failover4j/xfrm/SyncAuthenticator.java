package org.failover4j.xfrm;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.failover4j.api.MalformedPacketException;

/**
 * Authenticates SA-sync datagrams with HMAC-SHA256 under a key the application supplies, and
 * rejects replays. A sealed datagram is the encoded {@link SaSyncMessage} followed by the 32-byte
 * MAC of everything before it; the message's header carries the sender id and a counter.
 *
 * <p>Replay protection works like IPsec's anti-replay window, per sender: a counter above the
 * highest seen is accepted and moves the window; one inside the window is accepted once; one below
 * the window is rejected. A sender starts its counter at its wall clock in microseconds, so a
 * restarted master continues above where it left off without storing anything. The key never
 * appears in a message or {@code toString()}.
 */
public final class SyncAuthenticator {

  /** Length of the HMAC-SHA256 tag. */
  public static final int MAC_LENGTH = 32;

  /** Counters this far below the highest seen are still accepted once (out-of-order delivery). */
  public static final int WINDOW = 64;

  private final Mac mac;
  private final byte[] tag = new byte[MAC_LENGTH];
  private final Map<Integer, long[]> windows = new HashMap<>();

  /**
   * An authenticator for {@code key} (at least 16 bytes; the array is copied).
   *
   * @param key the key, at least 16 bytes
   */
  public SyncAuthenticator(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("the sync key needs at least 16 bytes, has " + key.length);
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.clone(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Appends the MAC of the bytes from {@code start} to {@code buffer}'s position, at the position.
   *
   * @param buffer the datagram's buffer
   * @param start the absolute offset where the covered bytes start
   */
  public void seal(ByteBuffer buffer, int start) {
    ByteBuffer covered = buffer.duplicate();
    covered.limit(buffer.position()).position(start);
    mac.update(covered);
    try {
      mac.doFinal(tag, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    buffer.put(tag);
  }

  /**
   * Verifies the MAC of the datagram in {@code length} bytes of {@code buffer} from {@code offset}
   * and returns the length of the message before it. The replay check comes separately ({@link
   * #accept}), after decoding, since the counter sits in the message.
   *
   * @param buffer the datagram's buffer
   * @param offset the absolute offset of the datagram
   * @param length its length, MAC included
   * @return the length of the message before the MAC
   * @throws MalformedPacketException {@link XfrmDropReason#SYNC_TRUNCATED} or {@link
   *     XfrmDropReason#SYNC_BAD_MAC}
   */
  public int verify(ByteBuffer buffer, int offset, int length) {
    if (length < SaSyncCodec.HEADER_LENGTH + MAC_LENGTH || offset > buffer.limit() - length) {
      throw new MalformedPacketException(
          XfrmDropReason.SYNC_TRUNCATED,
          "datagram of " + length + " bytes, need " + (SaSyncCodec.HEADER_LENGTH + MAC_LENGTH));
    }
    int messageLength = length - MAC_LENGTH;
    ByteBuffer covered = buffer.duplicate();
    covered.limit(offset + messageLength).position(offset);
    mac.update(covered);
    byte[] received = new byte[MAC_LENGTH];
    buffer.get(offset + messageLength, received);
    try {
      mac.doFinal(tag, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    if (!MessageDigest.isEqual(tag, received)) {
      throw new MalformedPacketException(XfrmDropReason.SYNC_BAD_MAC, "HMAC-SHA256 mismatch");
    }
    return messageLength;
  }

  /**
   * Checks {@code counter} of {@code sender} against its replay window and records it.
   *
   * @param sender the sender's node id
   * @param counter the message's counter
   * @throws MalformedPacketException {@link XfrmDropReason#SYNC_REPLAYED} for a repeat or a counter
   *     below the window
   */
  public void accept(int sender, long counter) {
    long[] w = windows.computeIfAbsent(sender, s -> new long[] {Long.MIN_VALUE, 0});
    long highest = w[0];
    if (highest == Long.MIN_VALUE || counter > highest) {
      long shift = highest == Long.MIN_VALUE ? WINDOW : counter - highest;
      w[1] = shift >= WINDOW ? 1 : (w[1] << shift) | 1;
      w[0] = counter;
      return;
    }
    long behind = highest - counter;
    if (behind >= WINDOW || behind < 0) {
      throw new MalformedPacketException(
          XfrmDropReason.SYNC_REPLAYED,
          "counter " + counter + " of sender " + sender + " is below the window at " + highest);
    }
    long bit = 1L << behind;
    if ((w[1] & bit) != 0) {
      throw new MalformedPacketException(
          XfrmDropReason.SYNC_REPLAYED,
          "counter " + counter + " of sender " + sender + " repeated");
    }
    w[1] |= bit;
  }

  @Override
  public String toString() {
    return "SyncAuthenticator[HmacSHA256, key hidden, senders=" + windows.size() + "]";
  }
}
