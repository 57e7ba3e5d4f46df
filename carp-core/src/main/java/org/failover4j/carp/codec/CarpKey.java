package org.failover4j.carp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * What a CARP SHA1-HMAC of one virtual host depends on: the passphrase and the fixed part of the
 * hashed message. The message is {@code 0x02, 0x01, VHID}, the virtual IPv4 addresses in ascending
 * order, the virtual IPv6 addresses in ascending order, then the 8 counter bytes as on the wire
 * (OpenBSD carp(4); ucarp hashes its single IPv4 address). As OpenBSD, adverts are signed without
 * the IPv6 link-local virtual addresses, and verified with or without them ({@code
 * carp_hmac_prepare_ctx}'s two contexts). The key is the passphrase zero-padded to 20 bytes, not a
 * hash of it: ucarp takes at most 19 bytes (it copies the terminating NUL), OpenBSD 20.
 *
 * <p>Immutable. {@link #toString()} never shows the passphrase.
 */
public final class CarpKey {

  /** The longest passphrase: the key is 20 bytes. */
  public static final int MAX_PASSPHRASE_LENGTH = 20;

  /** The longest passphrase ucarp 1.5.2 accepts (it keeps the terminating NUL in the key). */
  public static final int UCARP_MAX_PASSPHRASE_LENGTH = 19;

  private final int vhid;
  private final KeyParameter key;
  private final byte[] prefix;
  private final byte[] prefixWithLinkLocal;
  private final int ipv4Count;
  private final int ipv6Count;

  private CarpKey(
      int vhid,
      KeyParameter key,
      byte[] prefix,
      byte[] prefixWithLinkLocal,
      int ipv4Count,
      int ipv6Count) {
    this.vhid = vhid;
    this.key = key;
    this.prefix = prefix;
    this.prefixWithLinkLocal = prefixWithLinkLocal;
    this.ipv4Count = ipv4Count;
    this.ipv6Count = ipv6Count;
  }

  /**
   * The key of virtual host {@code vhid} with {@code passphrase} (copied) and its virtual {@code
   * addresses} (any order; sorted here).
   *
   * @param vhid the virtual host id
   * @param passphrase the passphrase, at most 20 bytes
   * @param addresses the virtual addresses the HMAC covers
   * @return the key
   * @throws IllegalArgumentException for a VHID outside 1..255, a passphrase over 20 bytes, no
   *     address, or an address given twice
   */
  public static CarpKey of(int vhid, byte[] passphrase, Collection<InetAddress> addresses) {
    if (vhid < 1 || vhid > 255) {
      throw new IllegalArgumentException("vhid must be in 1..255, was " + vhid);
    }
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length > MAX_PASSPHRASE_LENGTH) {
      throw new IllegalArgumentException(
          "passphrase must be at most 20 bytes (19 for ucarp), was " + passphrase.length);
    }
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a CARP virtual host needs at least one address");
    }
    List<byte[]> v4 = new ArrayList<>();
    List<byte[]> v6 = new ArrayList<>();
    for (InetAddress address : addresses) {
      (address instanceof Inet4Address ? v4 : v6).add(address.getAddress());
    }
    v4.sort(Arrays::compareUnsigned);
    v6.sort(Arrays::compareUnsigned);
    rejectDuplicates(v4);
    rejectDuplicates(v6);
    List<byte[]> v6Global = v6.stream().filter(a -> !isLinkLocal(a)).toList();
    byte[] prefix = prefix(vhid, v4, v6Global);
    byte[] withLinkLocal = v6Global.size() == v6.size() ? null : prefix(vhid, v4, v6);
    byte[] padded = Arrays.copyOf(passphrase, MAX_PASSPHRASE_LENGTH);
    return new CarpKey(vhid, new KeyParameter(padded), prefix, withLinkLocal, v4.size(), v6.size());
  }

  private static void rejectDuplicates(List<byte[]> sorted) {
    for (int i = 1; i < sorted.size(); i++) {
      if (Arrays.equals(sorted.get(i - 1), sorted.get(i))) {
        throw new IllegalArgumentException("virtual address given twice");
      }
    }
  }

  // fe80::/10, the addresses OpenBSD leaves out of the HMAC it sends.
  private static boolean isLinkLocal(byte[] ipv6) {
    return (ipv6[0] & 0xFF) == 0xFE && (ipv6[1] & 0xC0) == 0x80;
  }

  private static byte[] prefix(int vhid, List<byte[]> v4, List<byte[]> v6) {
    byte[] prefix = new byte[3 + 4 * v4.size() + 16 * v6.size()];
    prefix[0] = CarpAdvertDecoder.VERSION;
    prefix[1] = CarpAdvertDecoder.TYPE_ADVERTISEMENT;
    prefix[2] = (byte) vhid;
    int at = 3;
    for (List<byte[]> family : List.of(v4, v6)) {
      for (byte[] address : family) {
        System.arraycopy(address, 0, prefix, at, address.length);
        at += address.length;
      }
    }
    return prefix;
  }

  /** {@return the virtual host id} */
  public int vhid() {
    return vhid;
  }

  /** {@return the number of virtual IPv4 addresses hashed} */
  public int ipv4Count() {
    return ipv4Count;
  }

  /** {@return the number of virtual IPv6 addresses hashed} */
  public int ipv6Count() {
    return ipv6Count;
  }

  KeyParameter keyParameter() {
    return key;
  }

  /** The hashed message before the counter, as sent: without IPv6 link-local addresses. */
  byte[] prefix() {
    return prefix;
  }

  /**
   * The same with the IPv6 link-local virtual addresses, also accepted; null when there is none.
   */
  byte[] prefixWithLinkLocal() {
    return prefixWithLinkLocal;
  }

  @Override
  public String toString() {
    return "CarpKey[vhid=" + vhid + ", ipv4=" + ipv4Count + ", ipv6=" + ipv6Count + "]";
  }
}
