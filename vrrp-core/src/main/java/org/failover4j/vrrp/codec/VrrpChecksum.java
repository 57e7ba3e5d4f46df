package org.failover4j.vrrp.codec;

import java.nio.ByteBuffer;
import org.failover4j.api.InternetChecksum;
import org.failover4j.api.IpProtocol;
import org.failover4j.api.Ipv4Header;

/**
 * The VRRP checksum in each of its forms. It always covers the {@link
 * VrrpAdvertDecoder#expectedLength() expected length} of the message: for VRRPv2 over IPv4 that
 * includes the authentication data, for VRRPv3 over IPv4 it may add the IPv4 pseudo-header (see
 * {@link ChecksumMode}), and over IPv6 it always adds the IPv6 pseudo-header (the kernel computes
 * it there, with IPV6_CHECKSUM at offset 6).
 *
 * <p>{@code compute} methods return the value to store in the checksum field and ignore what is
 * there now; {@code verify} methods check the field as it is. Nothing here allocates.
 */
public final class VrrpChecksum {

  private VrrpChecksum() {}

  /**
   * {@return the checksum of a VRRP message over IPv4 of {@code version}, sent from {@code source}
   * to {@code destination} (network-order ints); {@code mode} matters for version 3 only}
   *
   * @param buffer the bytes
   * @param source the source address
   * @param destination the destination address
   * @param offset the absolute offset of the VRRP message
   * @param length its length
   * @param version the VRRP version
   * @param mode the checksum mode (VRRPv3 only)
   */
  public static int computeIpv4(
      ByteBuffer buffer,
      int offset,
      int length,
      int version,
      ChecksumMode mode,
      int source,
      int destination) {
    return InternetChecksum.finish(
        sumWithoutField(
            ipv4Start(version, mode, source, destination, length), buffer, offset, length));
  }

  /**
   * {@return true when the checksum field of an IPv4 VRRP message verifies as {@link #computeIpv4}}
   *
   * @param buffer the bytes
   * @param source the source address
   * @param destination the destination address
   * @param offset the absolute offset of the VRRP message
   * @param length its length
   * @param version the VRRP version
   * @param mode the checksum mode (VRRPv3 only)
   */
  public static boolean verifyIpv4(
      ByteBuffer buffer,
      int offset,
      int length,
      int version,
      ChecksumMode mode,
      int source,
      int destination) {
    int start = ipv4Start(version, mode, source, destination, length);
    return InternetChecksum.isValid(InternetChecksum.add(start, buffer, offset, length));
  }

  /**
   * {@return the checksum of a VRRP message over IPv6 from {@code source} to {@code destination}}
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the VRRP message
   * @param length its length
   * @param source the source address
   * @param destination the destination address
   */
  public static int computeIpv6(
      ByteBuffer buffer, int offset, int length, byte[] source, byte[] destination) {
    return InternetChecksum.finish(
        sumWithoutField(ipv6Start(source, destination, length), buffer, offset, length));
  }

  /**
   * {@return true when the checksum field of an IPv6 VRRP message verifies}
   *
   * @param buffer the bytes
   * @param offset the absolute offset of the VRRP message
   * @param length its length
   * @param source the source address
   * @param destination the destination address
   */
  public static boolean verifyIpv6(
      ByteBuffer buffer, int offset, int length, byte[] source, byte[] destination) {
    int start = ipv6Start(source, destination, length);
    return InternetChecksum.isValid(InternetChecksum.add(start, buffer, offset, length));
  }

  private static int ipv4Start(
      int version, ChecksumMode mode, int source, int destination, int length) {
    if (version == 2 || mode == ChecksumMode.NO_PSEUDO_HEADER) {
      return 0;
    }
    int pseudoDestination =
        mode == ChecksumMode.PSEUDO_HEADER_GROUP ? Ipv4Header.ADVERT_GROUP : destination;
    return InternetChecksum.addIpv4PseudoHeader(
        0, source, pseudoDestination, IpProtocol.VRRP, length);
  }

  private static int ipv6Start(byte[] source, byte[] destination, int length) {
    return InternetChecksum.addIpv6PseudoHeader(0, source, destination, IpProtocol.VRRP, length);
  }

  /** Adds the message with its checksum field read as zero. */
  private static int sumWithoutField(int sum, ByteBuffer buffer, int offset, int length) {
    int field = offset + VrrpAdvertDecoder.CHECKSUM_OFFSET;
    sum = InternetChecksum.add(sum, buffer, offset, field - offset);
    return InternetChecksum.add(sum, buffer, field + 2, offset + length - field - 2);
  }
}
