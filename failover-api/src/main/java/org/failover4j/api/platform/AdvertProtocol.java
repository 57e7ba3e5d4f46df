package org.failover4j.api.platform;

/** The election protocols that share IP protocol 112 and its multicast groups. */
public enum AdvertProtocol {
  /** VRRP v2 or v3 (RFC 3768, RFC 5798), owned by version and VRID. */
  VRRP,
  /** CARP (OpenBSD, ucarp), owned by VHID. */
  CARP
}
