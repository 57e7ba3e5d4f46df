package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.platform.IpFamily;

/**
 * Signs and verifies keepalived 2.4's {@code auth_hmac} trailer: HMAC-SHA256, truncated to 128
 * bits, over
 *
 * <ol>
 *   <li>a 20-byte pseudo-header: 4 or 6, the VRRP version, the VRID, 0, the source address
 *       zero-padded to 16 bytes;
 *   <li>the VRRP message (v2 authentication data included) with its checksum read as zero, so the
 *       checksum an IPv6 kernel writes after signing does not matter;
 *   <li>the trailer's first 12 bytes (type, key id, reserved, sequence) and 16 zero bytes in place
 *       of the HMAC.
 * </ol>
 *
 * The IP header and the destination are not covered: unicast copies of one advert share one HMAC.
 * Freshness and replay are {@link HmacReplayGuard}'s part.
 *
 * <p>One instance per VRRP instance and direction: it keeps one keyed HMAC per key and scratch
 * space, and allocates nothing per packet. Not thread-safe.
 */
public final class HmacAuthenticator {

  private static final int MAX_MESSAGE =
      VrrpAdvertDecoder.HEADER_LENGTH + 255 * 16 + VrrpAdvertDecoder.AUTH_DATA_LENGTH;
  private static final byte[] ZERO_HMAC = new byte[HmacTrailer.HMAC_LENGTH];

  private final HmacAuthentication config;
  private final HMac[] macs = new HMac[256];
  private final byte[] input =
      new byte[HmacTrailer.PSEUDO_HEADER_LENGTH + MAX_MESSAGE + HmacTrailer.HMAC_OFFSET];
  private final byte[] digest = new byte[32];

  /**
   * An authenticator holding every key of {@code config}.
   *
   * @param config the instance's keys
   */
  public HmacAuthenticator(HmacAuthentication config) {
    this.config = config;
    for (int id = 1; id < 256; id++) {
      byte[] key = config.key(id);
      if (key != null) {
        macs[id] = new HMac(new SHA256Digest());
        macs[id].init(new KeyParameter(key));
      }
    }
  }

  /** {@return the configuration} */
  public HmacAuthentication config() {
    return config;
  }

  /**
   * Writes the trailer of the IPv4 advert whose VRRP message is at absolute {@code messageOffset}
   * of {@code buffer}, {@code messageLength} bytes: it goes right after the message.
   *
   * @param buffer the packet
   * @param messageOffset where the VRRP message starts
   * @param messageLength its length, v2 authentication data included, trailer excluded
   * @param source the sender's IPv4 address, a network-order int
   * @param sequence the sequence number, from {@link HmacReplayGuard#nextSendSequence(long)}
   */
  public void signIpv4(
      ByteBuffer buffer, int messageOffset, int messageLength, int source, long sequence) {
    input[4] = (byte) (source >>> 24);
    input[5] = (byte) (source >>> 16);
    input[6] = (byte) (source >>> 8);
    input[7] = (byte) source;
    sign(buffer, messageOffset, messageLength, IpFamily.IPV4, sequence);
  }

  /**
   * As {@link #signIpv4} for an IPv6 advert.
   *
   * @param buffer the packet
   * @param messageOffset where the VRRP message starts
   * @param messageLength its length, trailer excluded
   * @param source the sender's IPv6 address, 16 bytes
   * @param sequence the sequence number
   */
  public void signIpv6(
      ByteBuffer buffer, int messageOffset, int messageLength, byte[] source, long sequence) {
    System.arraycopy(source, 0, input, 4, 16);
    sign(buffer, messageOffset, messageLength, IpFamily.IPV6, sequence);
  }

  private void sign(
      ByteBuffer buffer, int messageOffset, int messageLength, IpFamily family, long sequence) {
    int at = messageOffset + messageLength;
    int keyId = config.activeKey();
    buffer.put(at + HmacTrailer.EXT_TYPE_OFFSET, (byte) HmacTrailer.TYPE_HMAC_SHA256_128);
    buffer.put(at + HmacTrailer.KEY_ID_OFFSET, (byte) keyId);
    ByteAccess.put16(buffer, at + HmacTrailer.RESERVED_OFFSET, 0);
    ByteAccess.put64(buffer, at + HmacTrailer.SEQUENCE_OFFSET, sequence);
    compute(macs[keyId], buffer, messageOffset, messageLength, family);
    buffer.put(at + HmacTrailer.HMAC_OFFSET, digest, 0, HmacTrailer.HMAC_LENGTH);
  }

  /**
   * Verifies the trailer that follows the VRRP message at {@code messageOffset}, {@code
   * messageLength} bytes (the caller has checked that 28 more bytes are there). Freshness and
   * replay are not checked here.
   *
   * @param buffer the packet
   * @param messageOffset where the VRRP message starts
   * @param messageLength its length, trailer excluded
   * @param source the sender's address, 4 or 16 bytes as {@code family} says
   * @param family the family the advert arrived over
   * @return null when the HMAC verifies, else {@link VrrpDropReason#HMAC_MALFORMED}, {@link
   *     VrrpDropReason#HMAC_UNKNOWN_KEY} or {@link VrrpDropReason#HMAC_BAD}
   */
  public VrrpDropReason verify(
      ByteBuffer buffer, int messageOffset, int messageLength, byte[] source, IpFamily family) {
    int at = messageOffset + messageLength;
    if (messageLength < VrrpAdvertDecoder.HEADER_LENGTH
        || messageLength > MAX_MESSAGE
        || !HmacTrailer.wellFormed(buffer, at)) {
      return VrrpDropReason.HMAC_MALFORMED;
    }
    HMac mac = macs[HmacTrailer.keyId(buffer, at)];
    if (mac == null) {
      return VrrpDropReason.HMAC_UNKNOWN_KEY;
    }
    int width = family.addressLength();
    System.arraycopy(source, 0, input, 4, width);
    compute(mac, buffer, messageOffset, messageLength, family);
    int difference = 0;
    for (int i = 0; i < HmacTrailer.HMAC_LENGTH; i++) {
      difference |= digest[i] ^ buffer.get(at + HmacTrailer.HMAC_OFFSET + i);
    }
    return difference == 0 ? null : VrrpDropReason.HMAC_BAD;
  }

  /** Fills {@link #digest}; the source address is already in {@link #input} at 4. */
  private void compute(
      HMac mac, ByteBuffer buffer, int messageOffset, int messageLength, IpFamily family) {
    input[0] = (byte) (family == IpFamily.IPV4 ? 4 : 6);
    input[1] =
        (byte) ((buffer.get(messageOffset + VrrpAdvertDecoder.VERSION_TYPE_OFFSET) & 0xFF) >>> 4);
    input[2] = buffer.get(messageOffset + VrrpAdvertDecoder.VRID_OFFSET);
    input[3] = 0;
    if (family == IpFamily.IPV4) {
      for (int i = 8; i < HmacTrailer.PSEUDO_HEADER_LENGTH; i++) {
        input[i] = 0;
      }
    }
    int at = HmacTrailer.PSEUDO_HEADER_LENGTH;
    int covered = messageLength + HmacTrailer.HMAC_OFFSET;
    buffer.get(messageOffset, input, at, covered);
    input[at + VrrpAdvertDecoder.CHECKSUM_OFFSET] = 0;
    input[at + VrrpAdvertDecoder.CHECKSUM_OFFSET + 1] = 0;
    mac.update(input, 0, at + covered);
    mac.update(ZERO_HMAC, 0, ZERO_HMAC.length);
    mac.doFinal(digest, 0);
  }

  @Override
  public String toString() {
    return "HmacAuthenticator[HMAC-SHA256-128, " + config + "]";
  }
}
