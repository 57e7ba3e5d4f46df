package org.failover4j.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The process's open file descriptors, from {@code /proc/self/fd}, for leak checks. */
public final class Descriptors {

  private Descriptors() {}

  /** Every open descriptor and what it points to ({@code socket:[1234]}, a path, ...). */
  public static Map<Integer, String> open() {
    Map<Integer, String> fds = new TreeMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        try {
          fds.put(
              Integer.parseInt(entry.getFileName().toString()),
              Files.readSymbolicLink(entry).toString());
        } catch (IOException gone) {
          // the directory stream's own descriptor, closed by now
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fds;
  }

  /** True when descriptor {@code fd} is open. */
  public static boolean isOpen(int fd) {
    return Files.exists(Path.of("/proc/self/fd", Integer.toString(fd)));
  }
}
