package org.failover4j.netlink;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The directories JNA searches for native libraries on Linux, read from the dynamic linker's own
 * configuration ({@code /etc/ld.so.conf} and its includes) instead of from {@code ldconfig -p}.
 *
 * <p>JNA's {@code NativeLibrary} computes its search path once, in its static initialiser, and on
 * Linux it forks {@code /sbin/ldconfig -p} for it whatever library is asked for: about 100 ms of a
 * start on the development VM, more than the rest of loading libc (docs/BENCHMARKS.md). It skips
 * all of that when the system property {@value #PROPERTY} is set. {@link #presetUnlessSet} sets it,
 * before JNA's first use, to the directories JNA would have found: the standard ones and every
 * directory the linker configuration names (ldconfig lists the libraries of exactly those). A value
 * the application set itself is left alone, and libc itself is found by {@code dlopen} either way.
 */
final class LinuxLibraryPath {

  /** JNA's system property for the platform's library directories. */
  static final String PROPERTY = "jna.platform.library.path";

  /** An include nested deeper than this is taken for a loop and ignored. */
  private static final int MAX_INCLUDE_DEPTH = 8;

  private LinuxLibraryPath() {}

  /**
   * Sets {@value #PROPERTY} to {@link #directories} unless it is set already (by the application,
   * or by JNA itself, which sets it when it initialises): call before the first use of JNA's {@code
   * NativeLibrary}.
   */
  static void presetUnlessSet(String multiarch) {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(
          PROPERTY, String.join(":", directories(Path.of("/etc/ld.so.conf"), multiarch)));
    }
  }

  /**
   * The existing library directories in JNA's order: {@code /usr/lib/MULTIARCH}, {@code
   * /lib/MULTIARCH}, {@code /usr/lib64}, {@code /lib64}, {@code /usr/lib}, {@code /lib}, then those
   * of {@code ldSoConf} and the files it includes, each once.
   */
  static List<String> directories(Path ldSoConf, String multiarch) {
    Set<String> found = new LinkedHashSet<>();
    for (String standard :
        List.of(
            "/usr/lib/" + multiarch,
            "/lib/" + multiarch,
            "/usr/lib64",
            "/lib64",
            "/usr/lib",
            "/lib")) {
      addIfDirectory(found, standard);
    }
    read(ldSoConf, found, 0);
    return new ArrayList<>(found);
  }

  /**
   * Adds the directories {@code conf} names, following its {@code include} lines; a file that
   * cannot be read adds nothing, as with the linker.
   */
  private static void read(Path conf, Set<String> found, int depth) {
    if (depth > MAX_INCLUDE_DEPTH) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(conf);
    } catch (IOException | SecurityException e) {
      return;
    }
    for (String raw : lines) {
      int comment = raw.indexOf('#');
      String line = (comment < 0 ? raw : raw.substring(0, comment)).trim();
      if (line.startsWith("include") && line.length() > 7 && isBlank(line.charAt(7))) {
        for (String pattern : line.substring(8).trim().split("\\s+")) {
          for (Path included : expand(conf, pattern)) {
            read(included, found, depth + 1);
          }
        }
      } else if (!line.startsWith("hwcap")) {
        // ldconfig separates directories by blanks, colons or commas; "dir=type" is an old form.
        for (String token : line.split("[\\s:,]+")) {
          int type = token.indexOf('=');
          String dir = type < 0 ? token : token.substring(0, type);
          if (dir.startsWith("/")) {
            addIfDirectory(found, dir);
          }
        }
      }
    }
  }

  /**
   * The files an include pattern names (a glob in its last part), sorted as ldconfig reads them.
   */
  private static List<Path> expand(Path conf, String pattern) {
    Path path = conf.resolveSibling(pattern);
    Path dir = path.getParent();
    List<Path> files = new ArrayList<>();
    if (dir == null || path.getFileName() == null) {
      return files;
    }
    try (DirectoryStream<Path> matches =
        Files.newDirectoryStream(dir, path.getFileName().toString())) {
      for (Path match : matches) {
        if (Files.isRegularFile(match)) {
          files.add(match);
        }
      }
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return List.of(); // an unreadable directory or a pattern the JDK cannot take
    }
    files.sort(null);
    return files;
  }

  private static void addIfDirectory(Set<String> found, String dir) {
    try {
      if (Files.isDirectory(Path.of(dir))) {
        found.add(dir);
      }
    } catch (IllegalArgumentException | SecurityException e) {
      // not a path this system can have: the linker would not find anything there either
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
