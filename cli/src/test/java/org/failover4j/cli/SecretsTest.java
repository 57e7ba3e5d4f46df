package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.failover4j.lab.Json;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.codec.VrrpPacketEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets come from files only their owner can read, and no message ever prints one: {@code decode
 * --key-file}, {@code vrrp --auth-ah-file} and {@code --auth-pass-file}.
 */
class SecretsTest extends CommandTest {

  private static final String SECRET = "TopSecret1";

  @TempDir Path dir;

  private Path keyFile(String name, String mode, String... lines) throws Exception {
    return keyFile(dir, name, mode, lines);
  }

  private Path capture() throws Exception {
    Path file = dir.resolve("v2-ah-multicast.pcap");
    try (InputStream in = SecretsTest.class.getResourceAsStream("v2-ah-multicast.pcap")) {
      Files.copy(in, file);
    }
    return file;
  }

  /** Runs a command that must fail on its arguments; its one line of error. */
  private String usageError(String... args) throws Exception {
    err.reset();
    out.reset();
    assertEquals(Main.EXIT_USAGE, run(args), String.join(" ", args));
    String text = error();
    assertEquals(1, text.lines().count(), text);
    assertEquals("", output());
    return text.strip();
  }

  @Test
  void aMalformedKeyIsNeverPrintedBack() throws Exception {
    String[] values = {
      "vrrp51=" + SECRET,
      SECRET,
      "vrrp:" + SECRET,
      SECRET + ":51=x",
      "vrrp:" + SECRET + "=x",
      "vrrp:0=" + SECRET,
      "vrrp:51=" + SECRET + "--",
    };
    for (String value : values) {
      String[] args =
          value.endsWith("--")
              ? new String[] {"decode", "a.pcap", "--key", "vrrp:51=a", "--key", value}
              : new String[] {"decode", "a.pcap", "--key", value};
      String message = usageError(args);
      assertTrue(message.startsWith("failover4j decode: --key"), message);
      assertFalse(message.contains(SECRET), message);
    }
  }

  @Test
  void decodeReadsKeysFromAFileOnlyItsOwnerCanRead() throws Exception {
    Path keys =
        keyFile(
            "keys",
            "rw-------",
            "# keepalived's lab key",
            "",
            "  vrrp:51=secret12  ",
            "carp:3=other@192.0.2.100");
    assertEquals(0, run("decode", capture().toString(), "--key-file", keys.toString()));
    List<String> lines = output().lines().toList();
    assertEquals(10, lines.size());
    for (String line : lines) {
      Map<String, Object> json = Json.parseObject(line);
      assertEquals(true, json.get("auth_ok"), line);
    }
  }

  @Test
  void aKeyFileOthersCanReadIsRefusedWithItsModeAndTheFix() throws Exception {
    for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"}) {
      Path keys = keyFile("open-" + mode, mode, "vrrp:51=" + SECRET);
      String message = usageError("decode", "x.pcap", "--key-file", keys.toString());
      String octal = SecretFile.mode(PosixFilePermissions.fromString(mode));
      assertEquals(
          "failover4j decode: --key-file "
              + keys
              + ": mode "
              + octal
              + " ("
              + mode
              + ") lets group or others use it; run chmod 600 "
              + keys,
          message);
    }
    assertEquals("0644", SecretFile.mode(PosixFilePermissions.fromString("rw-r--r--")));
    assertEquals("0600", SecretFile.mode(PosixFilePermissions.fromString("rw-------")));
  }

  @Test
  void keyFileMistakesNameTheLineNotItsContent() throws Exception {
    Path keys = keyFile("bad", "rw-------", "# ok", "vrrp:51=fine", SECRET);
    assertEquals(
        "failover4j decode: --key-file "
            + keys
            + " line 3: expected PROTO:ID=SECRET (such as vrrp:51=secret12)",
        usageError("decode", "x.pcap", "--key-file", keys.toString()));
    Path twice = keyFile("twice", "rw-------", "vrrp:51=" + SECRET, "vrrp:51=" + SECRET);
    assertEquals(
        "failover4j decode: --key-file " + twice + " line 2: vrrp:51 is given twice",
        usageError("decode", "x.pcap", "--key-file", twice.toString()));
    assertTrue(
        usageError("decode", "x.pcap", "--key-file", dir.resolve("none").toString())
            .endsWith("none: no such file"));
    assertTrue(
        usageError("decode", "x.pcap", "--key-file", dir.toString()).endsWith(": is a directory"));
    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-------"));
    assertTrue(
        usageError("decode", "x.pcap", "--key-file", binary.toString())
            .endsWith(": not UTF-8 text"));
    Path huge = dir.resolve("huge");
    Files.write(huge, new byte[SecretFile.MAX_BYTES + 1]);
    Files.setPosixFilePermissions(huge, PosixFilePermissions.fromString("rw-------"));
    assertTrue(
        usageError("decode", "x.pcap", "--key-file", huge.toString())
            .endsWith(": larger than 65536 bytes"));
  }

  @Test
  void aPipeOnlyItsOwnerCanReadServesAsAKeyFile() throws Exception {
    // What --key-file <(pass show vrrp) hands over: a pipe, not a regular file.
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).start().waitFor());
    Thread writer =
        new Thread(
            () -> {
              try {
                Files.writeString(fifo, "vrrp:51=secret12\n");
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    writer.start();
    assertEquals(0, run("decode", capture().toString(), "--key-file", fifo.toString()), error());
    writer.join(10_000);
    assertEquals(10, output().lines().filter(l -> l.contains("\"auth_ok\":true")).count());
  }

  private static byte[] advert(VrrpInstanceConfig config) {
    VrrpPacketEncoder encoder = new VrrpPacketEncoder(config.wire());
    ByteBuffer b = ByteBuffer.allocate(encoder.ipv4Length());
    encoder.encodeIpv4(b, 0, 100, 0xc000020b, 0xe0000012, 1, 7);
    return b.array();
  }

  private static VrrpInstanceConfig config(String... args) throws UsageException {
    List<String> base =
        List.of("--interface", "eth0", "--vrid", "51", "--vip", "192.0.2.1/24", "--version", "2");
    List<String> all = new java.util.ArrayList<>(base);
    all.addAll(List.of(args));
    return VrrpCommand.config(VrrpCommand.parse(all));
  }

  @Test
  void vrrpTakesItsKeyFromTheLineForItsVrid() throws Exception {
    Path keys =
        keyFile(
            "vrrp-keys",
            "rw-------",
            "vrrp:50=other123",
            "# decode's too:",
            "carp:51=x",
            "vrrp:51=secret12");
    assertArrayEquals(
        advert(config("--auth-ah", "secret12")),
        advert(config("--auth-ah-file", keys.toString())),
        "the same AH ICV as with the key on the command line");
    assertArrayEquals(
        advert(config("--auth-pass", "secret12")),
        advert(config("--auth-pass-file", keys.toString())));
    assertFalse(
        java.util.Arrays.equals(
            advert(config("--auth-ah", "other123")),
            advert(config("--auth-ah-file", keys.toString()))));
  }

  @Test
  void vrrpRefusesOpenFilesMissingLinesAndTwoSecretsWithoutPrintingOne() throws Exception {
    String[] base = {
      "vrrp", "--interface", "eth0", "--vrid", "51", "--vip", "192.0.2.1/24", "--version", "2"
    };
    Path open = keyFile("open", "rw-rw-r--", "vrrp:51=" + SECRET);
    String message = usageError(concat(base, "--auth-ah-file", open.toString()));
    assertTrue(message.contains("mode 0664") && message.contains("chmod 600"), message);
    Path other = keyFile("other", "rw-------", "vrrp:52=" + SECRET);
    assertEquals(
        "failover4j vrrp: --auth-pass-file " + other + ": no line for vrrp:51",
        usageError(concat(base, "--auth-pass-file", other.toString())));
    Path tooLong = keyFile("long", "r--------", "vrrp:51=" + SECRET);
    message = usageError(concat(base, "--auth-ah-file", tooLong.toString()));
    assertEquals("failover4j vrrp: --auth-ah-file must be 1..8 bytes, was 10", message);
    message = usageError(concat(base, "--auth-pass", SECRET));
    assertEquals("failover4j vrrp: --auth-pass must be 1..8 bytes, was 10", message);
    assertEquals(
        "failover4j vrrp: --auth-ah-file and --auth-pass exclude each other",
        usageError(concat(base, "--auth-pass", SECRET, "--auth-ah-file", other.toString())));
  }

  @Test
  void aStrayWordAfterASecretIsNotShownEither() throws Exception {
    String[] base = {
      "vrrp", "--interface", "eth0", "--vrid", "51", "--vip", "192.0.2.1/24", "--version", "2"
    };
    assertEquals(
        "failover4j vrrp: unexpected argument after the value of --auth-pass"
            + " (not shown: quote a secret that holds spaces)",
        usageError(concat(base, "--auth-pass", "Top", SECRET)));
    assertEquals(
        "failover4j vrrp: unexpected argument after the value of --auth-ah"
            + " (not shown: quote a secret that holds spaces)",
        usageError(concat(base, "--auth-ah=Top", SECRET)));
    assertEquals("failover4j vrrp: unexpected argument 'stray'", usageError(concat(base, "stray")));
  }

  @Test
  void theHelpSaysWhereSecretsAreVisible() throws Exception {
    assertEquals(0, run("vrrp", "--help"));
    String help = output();
    assertTrue(help.contains("--auth-ah-file PATH"), help);
    assertTrue(help.contains("--auth-pass-file PATH"), help);
    assertEquals(2, help.lines().filter(l -> l.contains("every user sees it in ps")).count());
    out.reset();
    assertEquals(0, run("decode", "--help"));
    assertTrue(output().contains("--key-file PATH"));
    assertTrue(output().contains("every user sees it in ps"));
  }

  @Test
  void theKeysSayWhichGroupsHaveOneButNeverTheSecret() throws Exception {
    DecodeKeys keys = new DecodeKeys(java.util.Set.of("vrrp"));
    keys.add("vrrp:51=" + SECRET, "--key");
    assertEquals("DecodeKeys[vrrp[51]]", keys.toString());
    assertThrows(UsageException.class, () -> keys.add("vrrp:52=", "--key"));
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new java.util.ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
