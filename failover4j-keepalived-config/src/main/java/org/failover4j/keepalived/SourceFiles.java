package org.failover4j.keepalived;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a configuration is read from: the machine's own, or (in tests) files held in memory.
 */
interface SourceFiles {

  /** What a path is, as far as {@code include} cares. */
  enum Kind {
    /** Nothing there. */
    MISSING,
    /** A directory. */
    DIRECTORY,
    /** A regular file nobody may execute: what keepalived reads. */
    CONFIG_FILE,
    /** An executable or special file, which keepalived skips. */
    OTHER
  }

  /** {@return what {@code path} is} */
  Kind kind(Path path);

  /** {@return the entries of {@code directory}, sorted by name as glob(3) sorts them} */
  List<Path> children(Path directory) throws IOException;

  /** {@return the text of {@code file}, at most {@code maxBytes} long} */
  String read(Path file, int maxBytes) throws IOException;

  /** The machine's file system. */
  SourceFiles DISK =
      new SourceFiles() {
        @Override
        public Kind kind(Path path) {
          PosixFileAttributes attributes;
          try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
          } catch (IOException | UnsupportedOperationException e) {
            return Files.isDirectory(path) ? Kind.DIRECTORY : Kind.MISSING;
          }
          if (attributes.isDirectory()) {
            return Kind.DIRECTORY;
          }
          Set<PosixFilePermission> mode = attributes.permissions();
          boolean executable =
              mode.contains(PosixFilePermission.OWNER_EXECUTE)
                  || mode.contains(PosixFilePermission.GROUP_EXECUTE)
                  || mode.contains(PosixFilePermission.OTHERS_EXECUTE);
          return attributes.isRegularFile() && !executable ? Kind.CONFIG_FILE : Kind.OTHER;
        }

        @Override
        public List<Path> children(Path directory) throws IOException {
          if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
              && !Files.isDirectory(directory)) {
            return List.of();
          }
          try (Stream<Path> entries = Files.list(directory)) {
            List<Path> sorted = new ArrayList<>(entries.toList());
            sorted.sort(null);
            return sorted;
          }
        }

        @Override
        public String read(Path file, int maxBytes) throws IOException {
          if (Files.size(file) > maxBytes) {
            throw new IOException("larger than " + maxBytes + " bytes");
          }
          return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        }
      };
}
