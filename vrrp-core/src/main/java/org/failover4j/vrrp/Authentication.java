package org.failover4j.vrrp;

import java.nio.charset.StandardCharsets;
import org.failover4j.api.InvalidConfigurationException;

/**
 * How a VRRPv2 instance authenticates its adverts (RFC 2338 §5.3.6, as keepalived implements it).
 * VRRPv3 has no authentication. The secret never appears in {@code toString()}.
 */
public sealed interface Authentication {

  /** No authentication (auth type 0); the only choice for VRRPv3. */
  Authentication NONE = new None();

  /** The wire value of the auth type field. */
  int wireType();

  /** Simple-text password (auth type 1): up to 8 bytes, zero-padded, compared as they are. */
  static Authentication password(String password) {
    return new Password(keyBytes("authPass", password));
  }

  /** IPsec-AH with HMAC-MD5-96 keyed by up to 8 bytes of {@code password} (auth type 2). */
  static Authentication ipsecAh(String password) {
    return new IpsecAh(keyBytes("authAh", password));
  }

  private static byte[] keyBytes(String field, String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > 8) {
      throw new InvalidConfigurationException(
          field, "must be 1..8 bytes (keepalived uses at most 8), was " + bytes.length);
    }
    return bytes;
  }

  /** Auth type 0. */
  record None() implements Authentication {
    @Override
    public int wireType() {
      return 0;
    }
  }

  /** Auth type 1, the simple-text password. */
  record Password(byte[] secret) implements Authentication {
    /** Keeps a private copy. */
    public Password {
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public int wireType() {
      return 1;
    }

    @Override
    public String toString() {
      return "Password[****]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Password p && java.util.Arrays.equals(secret, p.secret);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(secret);
    }
  }

  /** Auth type 2, IPsec-AH. */
  record IpsecAh(byte[] secret) implements Authentication {
    /** Keeps a private copy. */
    public IpsecAh {
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public int wireType() {
      return 2;
    }

    @Override
    public String toString() {
      return "IpsecAh[****]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IpsecAh p && java.util.Arrays.equals(secret, p.secret);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(secret);
    }
  }
}
