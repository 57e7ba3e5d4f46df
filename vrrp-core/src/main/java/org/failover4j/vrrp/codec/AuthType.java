package org.failover4j.vrrp.codec;

import java.util.Optional;

/** The VRRPv2 authentication types keepalived speaks (RFC 2338 §5.3.6; VRRPv3 has none). */
public enum AuthType {
  /** No authentication: 8 zero bytes of authentication data. */
  NONE(0),
  /** Simple text password: the password, zero-padded to 8 bytes, in the clear. */
  SIMPLE_TEXT(1),
  /** IPsec Authentication Header with HMAC-MD5-96, as keepalived implements it. */
  IPSEC_AH(2);

  private final int code;

  AuthType(int code) {
    this.code = code;
  }

  /** {@return the value of the Auth Type field} */
  public int code() {
    return code;
  }

  /**
   * {@return the type whose field value is {@code code}, if any}
   *
   * @param code the Auth Type field's value
   */
  public static Optional<AuthType> fromCode(int code) {
    for (AuthType type : values()) {
      if (type.code == code) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
