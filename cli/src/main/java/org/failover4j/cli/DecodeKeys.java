package org.failover4j.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The secrets given to {@code failover4j decode} with {@code --key PROTO:ID=SECRET}: per protocol,
 * per group ID (VRRP VRID, CARP VHID, 1..255), the secret's bytes.
 */
final class DecodeKeys {

  private final Set<String> protocols;
  private final Map<String, Map<Integer, byte[]>> keys = new HashMap<>();

  /** Keys for {@code protocols} (such as {@code vrrp} and {@code carp}). */
  DecodeKeys(Set<String> protocols) {
    this.protocols = protocols;
  }

  /**
   * Adds one {@code PROTO:ID=SECRET}.
   *
   * @throws IllegalArgumentException with a message for the user when the value is malformed
   */
  void add(String value) {
    int colon = value.indexOf(':');
    int equals = value.indexOf('=');
    if (colon < 1 || equals < colon + 2) {
      throw new IllegalArgumentException(
          "--key: expected PROTO:ID=SECRET (such as vrrp:51=secret12), got '" + value + "'");
    }
    String protocol = value.substring(0, colon);
    if (!protocols.contains(protocol)) {
      throw new IllegalArgumentException(
          "--key: unknown protocol '"
              + protocol
              + "' (known: "
              + String.join(", ", protocols)
              + ")");
    }
    int id;
    try {
      id = Integer.parseInt(value.substring(colon + 1, equals));
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id < 1 || id > 255) {
      throw new IllegalArgumentException(
          "--key: "
              + protocol
              + " ID must be 1..255, got '"
              + value.substring(colon + 1, equals)
              + "'");
    }
    byte[] secret = value.substring(equals + 1).getBytes(StandardCharsets.UTF_8);
    if (secret.length == 0) {
      throw new IllegalArgumentException(
          "--key: the secret for " + protocol + ":" + id + " is empty");
    }
    Map<Integer, byte[]> forProtocol = keys.computeIfAbsent(protocol, p -> new HashMap<>());
    if (forProtocol.putIfAbsent(id, secret) != null) {
      throw new IllegalArgumentException("--key: " + protocol + ":" + id + " is given twice");
    }
  }

  /** The group IDs of {@code protocol} that have a secret. */
  Set<Integer> ids(String protocol) {
    return Set.copyOf(keys.getOrDefault(protocol, Map.of()).keySet());
  }

  /** The secret for group {@code id} of {@code protocol}, or null when none was given. */
  byte[] get(String protocol, int id) {
    byte[] secret = keys.getOrDefault(protocol, Map.of()).get(id);
    return secret == null ? null : Arrays.copyOf(secret, secret.length);
  }
}
