package org.failover4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets given as {@code PROTO:ID=SECRET}, on the command line ({@code decode --key}) or one a
 * line in a key file ({@link SecretFile}): per protocol, per group ID (VRRP VRID, CARP VHID,
 * 1..255), the secret's bytes.
 *
 * <p>No message says anything taken from a value: a malformed value may be a bare secret, so errors
 * name only where the value came from (the flag and its position, or the file and line).
 */
final class DecodeKeys {

  private final Set<String> protocols;
  private final Map<String, Map<Integer, byte[]>> keys = new HashMap<>();

  /** Keys for {@code protocols} (such as {@code vrrp} and {@code carp}). */
  DecodeKeys(Set<String> protocols) {
    this.protocols = protocols;
  }

  /**
   * Adds every {@code --key} value of {@code flag} and every line of the {@code --key-file} files
   * of {@code fileFlag}, in that order.
   */
  void addAll(CommandLine line, String flag, String fileFlag) throws UsageException {
    List<String> values = line.all(flag);
    for (int i = 0; i < values.size(); i++) {
      add(values.get(i), values.size() == 1 ? flag : flag + " #" + (i + 1));
    }
    for (String file : line.all(fileFlag)) {
      addFile(fileFlag, Path.of(file));
    }
  }

  /** Adds every entry of the key file at {@code path}, which {@code flag} named. */
  void addFile(String flag, Path path) throws UsageException {
    List<String> lines = SecretFile.lines(flag, path);
    for (int i = 0; i < lines.size(); i++) {
      String entry = lines.get(i).strip();
      if (!entry.isEmpty() && !entry.startsWith("#")) {
        add(entry, flag + " " + path + " line " + (i + 1));
      }
    }
  }

  /**
   * Adds one {@code PROTO:ID=SECRET}; {@code where} names its origin in messages, such as {@code
   * --key} or {@code --key-file keys.txt line 3}.
   *
   * @throws UsageException saying what is wrong, never what the value holds
   */
  void add(String value, String where) throws UsageException {
    int colon = value.indexOf(':');
    int equals = value.indexOf('=');
    if (colon < 1 || equals < colon + 2) {
      throw new UsageException(where + ": expected PROTO:ID=SECRET (such as vrrp:51=secret12)");
    }
    String protocol = value.substring(0, colon);
    if (!protocols.contains(protocol)) {
      throw new UsageException(
          where + ": unknown protocol before ':' (known: " + String.join(", ", protocols) + ")");
    }
    String idText = value.substring(colon + 1, equals);
    int id = idText.matches("\\d{1,3}") ? Integer.parseInt(idText) : -1;
    if (id < 1 || id > 255) {
      throw new UsageException(where + ": the " + protocol + " ID must be a number in 1..255");
    }
    byte[] secret = value.substring(equals + 1).getBytes(StandardCharsets.UTF_8);
    if (secret.length == 0) {
      throw new UsageException(where + ": the secret for " + protocol + ":" + id + " is empty");
    }
    Map<Integer, byte[]> forProtocol = keys.computeIfAbsent(protocol, p -> new HashMap<>());
    if (forProtocol.putIfAbsent(id, secret) != null) {
      throw new UsageException(where + ": " + protocol + ":" + id + " is given twice");
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

  /** The protocols and IDs that have keys, never the secrets. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("DecodeKeys[");
    keys.forEach((p, ids) -> out.append(p).append(ids.keySet()));
    return out.append(']').toString();
  }
}
