package org.failover4j.api.platform;

/**
 * Who receives an advert on a shared protocol-112 socket: a VRRP instance by version and VRID, or a
 * CARP host by VHID.
 *
 * @param protocol VRRP or CARP
 * @param version the VRRP version (2 or 3); 2 for CARP, whose adverts carry version 2
 * @param id the VRID or VHID, 1..255
 */
public record AdvertOwner(AdvertProtocol protocol, int version, int id) {

  /**
   * Checks the ranges.
   *
   * @param protocol VRRP or CARP
   * @param version the VRRP version, 2 or 3 (2 for CARP)
   * @param id the VRID or VHID, 1..255
   */
  public AdvertOwner {
    if (protocol == null) {
      throw new IllegalArgumentException("protocol is required");
    }
    if (id < 1 || id > 255) {
      throw new IllegalArgumentException(protocol + " id must be in 1..255, was " + id);
    }
    if (protocol == AdvertProtocol.VRRP ? version != 2 && version != 3 : version != 2) {
      throw new IllegalArgumentException(protocol + " version " + version + " does not exist");
    }
  }

  /**
   * {@return the VRRP instance with {@code vrid} speaking {@code version}}
   *
   * @param version the VRRP version, 2 or 3 (2 for CARP)
   * @param vrid the virtual router id, 1..255
   */
  public static AdvertOwner vrrp(int version, int vrid) {
    return new AdvertOwner(AdvertProtocol.VRRP, version, vrid);
  }

  /**
   * {@return the CARP host with {@code vhid}}
   *
   * @param vhid the virtual host id, 1..255
   */
  public static AdvertOwner carp(int vhid) {
    return new AdvertOwner(AdvertProtocol.CARP, 2, vhid);
  }

  @Override
  public String toString() {
    return protocol == AdvertProtocol.VRRP ? "VRRPv" + version + " VRID " + id : "CARP VHID " + id;
  }
}
