package org.failover4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Reads a file of secrets ({@code --key-file}, {@code --auth-ah-file}, {@code --auth-pass-file}): a
 * secret on the command line is visible to every user in {@code ps}, a file is not, as long as
 * nobody else can read it. So a file that grants group or others any permission is refused, as ssh
 * refuses such a private key, with its mode and the {@code chmod} that fixes it. A pipe passes the
 * same check: a shell's {@code <(command)} is one only this process can read.
 */
final class SecretFile {

  /** More than any key file needs; guards against {@code /dev/zero} and the like. */
  static final int MAX_BYTES = 64 * 1024;

  private static final Set<PosixFilePermission> OTHERS_AND_GROUP =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SecretFile() {}

  /**
   * The lines of the file at {@code path}, which {@code flag} named, after checking that only its
   * owner may use it.
   *
   * @throws UsageException naming the flag and the file: missing, unreadable, too open, too large
   *     or not UTF-8 (never quoting its content)
   */
  static List<String> lines(String flag, Path path) throws UsageException {
    String where = flag + " " + path;
    try {
      // Not only regular files: --key-file <(pass show vrrp) reads a pipe only we can read.
      if (Files.isDirectory(path)) {
        throw new UsageException(where + ": is a directory");
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      for (PosixFilePermission p : permissions) {
        if (OTHERS_AND_GROUP.contains(p)) {
          throw new UsageException(
              where
                  + ": mode "
                  + mode(permissions)
                  + " ("
                  + PosixFilePermissions.toString(permissions)
                  + ") lets group or others use it; run chmod 600 "
                  + path);
        }
      }
      byte[] content;
      try (InputStream in = Files.newInputStream(path)) {
        content = in.readNBytes(MAX_BYTES + 1);
      }
      if (content.length > MAX_BYTES) {
        throw new UsageException(where + ": larger than " + MAX_BYTES + " bytes");
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(content))
                .toString();
      } catch (CharacterCodingException e) {
        throw new UsageException(where + ": not UTF-8 text");
      }
      return text.lines().toList();
    } catch (AccessDeniedException e) {
      throw new UsageException(where + ": permission denied");
    } catch (NoSuchFileException e) {
      throw new UsageException(where + ": no such file");
    } catch (UnsupportedOperationException e) {
      throw new UsageException(where + ": the file system has no POSIX permissions to check");
    } catch (IOException e) {
      throw new UsageException(where + ": cannot read: " + e.getClass().getSimpleName());
    }
  }

  /** The octal mode, as {@code ls} and {@code chmod} spell it: 0644. */
  static String mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 0400 >> p.ordinal();
    }
    return String.format("0%03o", mode);
  }
}
