package org.failover4j.carp.codec;

import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.macs.HMac;

/**
 * The SHA1-HMAC of CARP adverts, one instance per host, reused for every advert it signs or
 * verifies (sent without the IPv6 link-local virtual addresses, accepted with or without them, as
 * OpenBSD's). It keys BouncyCastle's {@link HMac} only when the {@link CarpKey} changes, so a host
 * with one virtual host never re-keys and allocates nothing per advert (re-keying costs two small
 * objects inside BouncyCastle). Verification compares in constant time.
 *
 * <p>Not thread-safe: use it from one thread, the event loop's.
 */
public final class CarpHmac {

  private final HMac mac = new HMac(new SHA1Digest());
  private final byte[] computed = new byte[CarpAdvertDecoder.HMAC_LENGTH];
  private CarpKey keyed;

  /** A host's HMAC, not yet keyed. */
  public CarpHmac() {}

  /**
   * Computes the HMAC of {@code key} over the 8 counter bytes at absolute {@code counterOffset} of
   * {@code buffer} into {@code destination} at {@code at} (20 bytes).
   *
   * @param key the virtual host's key
   * @param buffer the bytes
   * @param counterOffset the absolute offset of the 8 counter bytes
   * @param destination the array to write the 20-byte HMAC into
   * @param at where in it to start
   */
  public void compute(
      CarpKey key, ByteBuffer buffer, int counterOffset, byte[] destination, int at) {
    compute(key, key.prefix(), buffer, counterOffset, destination, at);
  }

  private void compute(
      CarpKey key,
      byte[] prefix,
      ByteBuffer buffer,
      int counterOffset,
      byte[] destination,
      int at) {
    if (keyed != key) {
      mac.init(key.keyParameter());
      keyed = key;
    }
    mac.update(prefix, 0, prefix.length);
    for (int i = 0; i < CarpAdvertDecoder.COUNTER_LENGTH; i++) {
      mac.update(buffer.get(counterOffset + i));
    }
    mac.doFinal(destination, at);
  }

  /**
   * Writes the HMAC into the advert at absolute {@code advertOffset} over its counter.
   *
   * @param key the virtual host's key
   * @param buffer the bytes
   * @param advertOffset the absolute offset of the 36-byte advert
   */
  public void sign(CarpKey key, ByteBuffer buffer, int advertOffset) {
    compute(key, buffer, advertOffset + CarpAdvertDecoder.COUNTER_OFFSET, computed, 0);
    buffer.put(advertOffset + CarpAdvertDecoder.HMAC_OFFSET, computed);
  }

  /**
   * {@return true when the advert at absolute {@code advertOffset} carries the HMAC {@code key}
   * gives its counter} Every byte is compared whatever the first difference.
   *
   * @param key the virtual host's key
   * @param buffer the bytes
   * @param advertOffset the absolute offset of the 36-byte advert
   */
  public boolean verify(CarpKey key, ByteBuffer buffer, int advertOffset) {
    boolean matches = matches(key, key.prefix(), buffer, advertOffset);
    // OpenBSD also accepts the HMAC over the IPv6 link-local virtual addresses.
    byte[] withLinkLocal = key.prefixWithLinkLocal();
    return withLinkLocal == null
        ? matches
        : matches | matches(key, withLinkLocal, buffer, advertOffset);
  }

  private boolean matches(CarpKey key, byte[] prefix, ByteBuffer buffer, int advertOffset) {
    compute(key, prefix, buffer, advertOffset + CarpAdvertDecoder.COUNTER_OFFSET, computed, 0);
    int difference = 0;
    int at = advertOffset + CarpAdvertDecoder.HMAC_OFFSET;
    for (int i = 0; i < CarpAdvertDecoder.HMAC_LENGTH; i++) {
      difference |= computed[i] ^ buffer.get(at + i);
    }
    return difference == 0;
  }

  /**
   * As {@link #verify(CarpKey, ByteBuffer, int)} for a wrapped advert.
   *
   * @param key the virtual host's key
   * @param advert the wrapped advert
   * @return true when the HMAC verifies
   */
  public boolean verify(CarpKey key, CarpAdvertDecoder advert) {
    return verify(key, advert.buffer(), advert.offset());
  }
}
