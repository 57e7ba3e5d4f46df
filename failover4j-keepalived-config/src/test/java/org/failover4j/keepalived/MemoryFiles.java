package org.failover4j.keepalived;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Configuration files held in memory, for tests and the fuzz target. */
final class MemoryFiles implements SourceFiles {

  private final Map<Path, String> files = new TreeMap<>();

  MemoryFiles put(String path, String text) {
    files.put(Path.of(path), text);
    return this;
  }

  @Override
  public Kind kind(Path path) {
    if (files.containsKey(path)) {
      return Kind.CONFIG_FILE;
    }
    for (Path p : files.keySet()) {
      if (p.startsWith(path)) {
        return Kind.DIRECTORY;
      }
    }
    return Kind.MISSING;
  }

  @Override
  public List<Path> children(Path directory) {
    TreeSet<Path> children = new TreeSet<>();
    for (Path p : files.keySet()) {
      if (p.startsWith(directory) && !p.equals(directory)) {
        children.add(directory.resolve(p.getName(directory.getNameCount())));
      }
    }
    return new ArrayList<>(children);
  }

  @Override
  public String read(Path file, int maxBytes) throws IOException {
    String text = files.get(file);
    if (text == null) {
      throw new IOException("no such file");
    }
    return text;
  }
}
