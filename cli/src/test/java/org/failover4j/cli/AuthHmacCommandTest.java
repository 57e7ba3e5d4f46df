package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived 2.4's {@code auth_hmac} on the command line: {@code vrrp --auth-hmac-file} and its
 * settings, and {@code decode} verifying the trailers of a capture of keepalived 2.4.3 (test-only
 * keys: id 1 = hex 00..1f for VRIDs 51 and 53, id 2 = a text for VRID 52).
 */
class AuthHmacCommandTest extends CommandTest {

  private static final String HEX_KEY =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final String TEXT_KEY = "failover4j-test-only-key-not-a-secret";
  private static final String SECRET = "a-secret-that-must-never-be-printed";

  @TempDir Path dir;

  private Path keyFile(String name, String mode, String... lines) throws Exception {
    return keyFile(dir, name, mode, lines);
  }

  private Path capture() throws Exception {
    Path file = dir.resolve("keepalived-2.4.3-auth-hmac.pcap");
    if (Files.exists(file)) {
      return file;
    }
    try (InputStream in = getClass().getResourceAsStream("keepalived-2.4.3-auth-hmac.pcap")) {
      Files.copy(in, file);
    }
    return file;
  }

  private List<String> decode(String... keys) throws Exception {
    out.reset();
    err.reset();
    List<String> args = new ArrayList<>(List.of("decode", capture().toString()));
    for (String key : keys) {
      args.add("--key");
      args.add(key);
    }
    assertEquals(0, run(args.toArray(String[]::new)), error());
    return output().lines().toList();
  }

  @Test
  void decodeVerifiesKeepalivedsTrailersWithTheKeysGiven() throws Exception {
    List<String> lines = decode("hmac:1=" + HEX_KEY, "hmac:2=" + TEXT_KEY);
    assertEquals(12, lines.size(), String.join("\n", lines));
    for (String line : lines) {
      assertTrue(line.contains("\"auth\":\"hmac\""), line);
      assertTrue(line.contains("\"checksum_ok\":true"), line);
      assertTrue(line.contains("\"hmac_time\":\"2026-"), line);
      assertTrue(line.endsWith("\"auth_ok\":true}"), line);
    }
    assertTrue(
        lines.get(2).contains("\"version\":2") && lines.get(2).contains("\"hmac_key_id\":2"));
    assertTrue(
        lines.get(1).contains("\"src\":\"fe80::") && lines.get(1).contains("\"hmac_key_id\":1"));

    for (String line : decode()) {
      assertTrue(line.endsWith("\"auth_ok\":null}"), "no key: " + line);
    }
    List<String> wrong = decode("hmac:1=" + "w".repeat(32), "hmac:2=" + TEXT_KEY);
    assertEquals(8, wrong.stream().filter(l -> l.endsWith("\"auth_ok\":false}")).count());
    assertEquals(4, wrong.stream().filter(l -> l.endsWith("\"auth_ok\":true}")).count());
  }

  @Test
  void theHmacFileGivesTheKeysAndTheFlagsTheRest() throws Exception {
    Path keys =
        keyFile(
            "keys",
            "rw-------",
            "# auth_hmac keys",
            "hmac:1=" + HEX_KEY,
            "hmac:2=" + TEXT_KEY,
            "vrrp:9=other");
    VrrpInstanceConfig config =
        config(
            "--auth-hmac-file",
            keys.toString(),
            "--auth-hmac-active-key",
            "2",
            "--auth-hmac-mode",
            "receive-only",
            "--auth-hmac-anti-replay",
            "monotonic");
    HmacAuthentication hmac = config.wire().hmacAuthentication();
    assertEquals(2, hmac.activeKey());
    assertTrue(hmac.hasKey(1) && hmac.hasKey(2));
    assertEquals(HmacMode.RECEIVE_ONLY, hmac.mode());
    assertEquals(HmacAntiReplay.MONOTONIC, hmac.antiReplay());
    Path one = keyFile("one", "r--------", "hmac:7=" + HEX_KEY);
    HmacAuthentication single =
        config("--auth-hmac-file", one.toString()).wire().hmacAuthentication();
    assertEquals(7, single.activeKey());
    assertEquals(HmacMode.ENFORCE, single.mode());
    assertNull(config().wire().hmacAuthentication());
  }

  @Test
  void mistakesNameTheFlagAndNeverAKey() throws Exception {
    Path two = keyFile("two", "rw-------", "hmac:1=" + HEX_KEY, "hmac:2=" + SECRET);
    assertEquals(
        "failover4j vrrp: --auth-hmac-active-key required with 2 keys: one of [1, 2]",
        usageError("--auth-hmac-file", two.toString()));
    assertEquals(
        "failover4j vrrp: --auth-hmac-active-key must be one of the key ids [1, 2], was 3",
        usageError("--auth-hmac-file", two.toString(), "--auth-hmac-active-key", "3"));
    assertEquals(
        "failover4j vrrp: --auth-hmac-mode must be enforce, permissive or receive-only, was 'on'",
        usageError(
            "--auth-hmac-file",
            two.toString(),
            "--auth-hmac-active-key",
            "1",
            "--auth-hmac-mode",
            "on"));
    Path shortKey = keyFile("short", "rw-------", "hmac:1=" + SECRET.substring(0, 20));
    String message = usageError("--auth-hmac-file", shortKey.toString());
    assertEquals(
        "failover4j vrrp: --auth-hmac-file " + shortKey + ": key 1 must be 32..64 bytes, was 20",
        message);
    Path open = keyFile("open", "rw-r--r--", "hmac:1=" + SECRET);
    message = usageError("--auth-hmac-file", open.toString());
    assertTrue(message.contains("chmod 600") && !message.contains(SECRET), message);
    assertEquals(
        "failover4j vrrp: --auth-hmac-mode needs --auth-hmac-file",
        usageError("--auth-hmac-mode", "enforce"));
    assertEquals(
        "failover4j vrrp: --auth-pass and --auth-hmac-file exclude each other",
        usageError("--auth-pass", "x", "--auth-hmac-file", two.toString()));
    assertFalse(error().contains(SECRET));
  }

  private String usageError(String... args) throws Exception {
    err.reset();
    out.reset();
    List<String> all = new ArrayList<>(base());
    all.addAll(List.of(args));
    assertEquals(Main.EXIT_USAGE, run(all.toArray(String[]::new)), String.join(" ", all));
    String text = error();
    assertEquals(1, text.lines().count(), text);
    assertFalse(text.contains(SECRET), text);
    return text.strip();
  }

  private static List<String> base() {
    return List.of("vrrp", "--interface", "eth0", "--vrid", "51", "--vip", "192.0.2.1/24");
  }

  private static VrrpInstanceConfig config(String... args) throws UsageException {
    List<String> all = new ArrayList<>(base().subList(1, base().size()));
    all.addAll(List.of(args));
    return VrrpCommand.config(VrrpCommand.parse(all));
  }
}
