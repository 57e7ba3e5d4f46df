package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.failover4j.api.Ipv4Header;

/**
 * The integrity check value of keepalived's IPsec-AH: HMAC-MD5 truncated to 96 bits over {@code
 * IPv4 header | AH | VRRPv2}, keyed with the password zero-padded to 8 bytes.
 *
 * <p>The IPv4 header enters the HMAC with the fields routers may change zeroed: TOS, flags and
 * fragment offset, and the header checksum; in unicast mode keepalived zeroes the TTL as well,
 * while in multicast mode the TTL (255) is covered as sent. The AH header enters with its ICV
 * zeroed; identification, total length, addresses, SPI, sequence number and the whole VRRP message
 * are covered as they are.
 *
 * <p>One instance per VRRP instance: it keeps its HMAC state and scratch space and allocates
 * nothing per packet. Not thread-safe.
 */
public final class AhAuthenticator {

  /** keepalived's key is its 8-byte authentication data: the password, zero-padded. */
  public static final int KEY_LENGTH = 8;

  /** HMAC-MD5-96: the first 12 bytes of the 16-byte HMAC. */
  public static final int ICV_LENGTH = AhHeader.ICV_LENGTH;

  private static final int MAX_IPV4_HEADER = 60;
  private static final int CHUNK = 256;

  private final HMac hmac = new HMac(new MD5Digest());
  private final byte[] headers = new byte[MAX_IPV4_HEADER + AhHeader.LENGTH];
  private final byte[] chunk = new byte[CHUNK];
  private final byte[] digest = new byte[16];

  /**
   * An authenticator keyed with {@code password}, 1 to 8 bytes (keepalived truncates longer
   * passwords to 8 when it reads its configuration: do the same before calling this).
   *
   * @param password the key, 1 to 8 bytes
   */
  public AhAuthenticator(byte[] password) {
    if (password.length < 1 || password.length > KEY_LENGTH) {
      throw new IllegalArgumentException(
          "AH password must be 1.." + KEY_LENGTH + " bytes, was " + password.length);
    }
    byte[] key = new byte[KEY_LENGTH];
    System.arraycopy(password, 0, key, 0, password.length);
    hmac.init(new KeyParameter(key));
  }

  /**
   * Computes the ICV of the IPv4 datagram at absolute {@code offset} of {@code buffer}, {@code
   * length} bytes, and writes it into the datagram's AH header.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the IPv4 datagram
   * @param length its length
   * @param unicast whether the instance sends unicast (keepalived then zeroes the TTL too)
   */
  public void sign(ByteBuffer buffer, int offset, int length, boolean unicast) {
    int icvAt = computeInto(buffer, offset, length, unicast);
    if (icvAt < 0) {
      throw new IllegalArgumentException(
          "not an IPv4 datagram with an AH header: " + length + " bytes at " + offset);
    }
    buffer.put(icvAt, digest, 0, ICV_LENGTH);
  }

  /**
   * {@return true when the ICV in the datagram's AH header matches, compared in constant time}
   * False also when the bytes cannot hold an IPv4 header and an AH header.
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the IPv4 datagram
   * @param length its length
   * @param unicast whether the instance sends unicast (keepalived then zeroes the TTL too)
   */
  public boolean verify(ByteBuffer buffer, int offset, int length, boolean unicast) {
    int icvAt = computeInto(buffer, offset, length, unicast);
    if (icvAt < 0) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < ICV_LENGTH; i++) {
      difference |= digest[i] ^ buffer.get(icvAt + i);
    }
    return difference == 0;
  }

  /** Fills {@link #digest}; returns the absolute offset of the ICV, or -1 if there is none. */
  private int computeInto(ByteBuffer buffer, int offset, int length, boolean unicast) {
    if (offset < 0 || length < Ipv4Header.MIN_LENGTH || offset > buffer.limit() - length) {
      return -1;
    }
    int ihl = (buffer.get(offset + Ipv4Header.VERSION_IHL_OFFSET) & 0x0F) * 4;
    int covered = ihl + AhHeader.LENGTH;
    if (ihl < Ipv4Header.MIN_LENGTH || covered > length) {
      return -1;
    }
    buffer.get(offset, headers, 0, covered);
    headers[Ipv4Header.TOS_OFFSET] = 0;
    headers[Ipv4Header.FLAGS_FRAGMENT_OFFSET] = 0;
    headers[Ipv4Header.FLAGS_FRAGMENT_OFFSET + 1] = 0;
    headers[Ipv4Header.CHECKSUM_OFFSET] = 0;
    headers[Ipv4Header.CHECKSUM_OFFSET + 1] = 0;
    if (unicast) {
      headers[Ipv4Header.TTL_OFFSET] = 0;
    }
    for (int i = 0; i < ICV_LENGTH; i++) {
      headers[ihl + AhHeader.ICV_OFFSET + i] = 0;
    }
    hmac.update(headers, 0, covered);
    update(buffer, offset + covered, length - covered);
    hmac.doFinal(digest, 0);
    return offset + ihl + AhHeader.ICV_OFFSET;
  }

  private void update(ByteBuffer buffer, int from, int length) {
    if (buffer.hasArray()) {
      hmac.update(buffer.array(), buffer.arrayOffset() + from, length);
      return;
    }
    // Direct and read-only buffers: through a small scratch array.
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK, length - done);
      buffer.get(from + done, chunk, 0, n);
      hmac.update(chunk, 0, n);
      done += n;
    }
  }

  @Override
  public String toString() {
    return "AhAuthenticator[HMAC-MD5-96, key hidden]";
  }
}
